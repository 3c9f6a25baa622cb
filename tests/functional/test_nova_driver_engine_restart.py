"""DockerDriver across a restart of its Docker engine.

The engine of the rest of the run is shared (the all-in-one cloud, the
other functional tests), so this test starts a private dockerd of its
own, on its own socket, data and exec roots and bridge, with no
iptables, and points the driver at it through [docker] api_url.
"""

import tests.unit.nova_driver  # noqa: F401,I100  (nova's own CONF first)

import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid

import docker
import fixtures
from nova.compute import power_state
from nova import exception
from nova.virt import event as virtevent
import testtools

from nova_driver import docker_client
from tests.functional import test_nova_driver as driver_tests

ENGINE_START_TIMEOUT = 60


class PrivateEngine(fixtures.Fixture):
    """A dockerd of the test's own, restartable."""

    def _setUp(self):
        # Short paths: containerd's sockets live under the exec root.
        self.root = tempfile.mkdtemp(prefix='mle-', dir='/tmp')
        self.addCleanup(shutil.rmtree, self.root, ignore_errors=True)
        self.socket = os.path.join(self.root, 'docker.sock')
        self.url = 'unix://' + self.socket
        # A bridge of its own: told --bridge none, dockerd deletes the
        # host's docker0, which the shared engine's containers need.
        self.bridge = 'mle-%s' % uuid.uuid4().hex[:8]
        subprocess.run(['ip', 'link', 'add', self.bridge, 'type', 'bridge'],
                       check=True)
        self.addCleanup(subprocess.run,
                        ['ip', 'link', 'delete', self.bridge], check=False)
        self.log = open(os.path.join(self.root, 'dockerd.log'), 'ab')
        self.addCleanup(self.log.close)
        self.process = None
        self.start()
        self.addCleanup(self.stop)

    def start(self):
        self.process = subprocess.Popen(
            ['dockerd', '--host', self.url,
             '--data-root', os.path.join(self.root, 'data'),
             '--exec-root', os.path.join(self.root, 'exec'),
             '--pidfile', os.path.join(self.root, 'dockerd.pid'),
             '--storage-driver', 'vfs', '--iptables=false',
             '--bridge', self.bridge, '--cgroup-parent', 'magnumlite-test'],
            stdout=self.log, stderr=self.log, start_new_session=True)
        deadline = time.monotonic() + ENGINE_START_TIMEOUT
        while True:
            try:
                docker.DockerClient(base_url=self.url, version='auto',
                                    timeout=10).close()
                return
            except docker.errors.DockerException:
                exited = self.process.poll() is not None
                if exited or time.monotonic() > deadline:
                    raise AssertionError(
                        'private dockerd did not start; see %s'
                        % self.log.name)
                time.sleep(0.2)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=ENGINE_START_TIMEOUT)


class TestEngineRestart(driver_tests.DriverTestCase):
    """The driver tests' setup, on a private engine; one test of its own."""

    @classmethod
    def setUpClass(cls):
        testtools.TestCase.setUpClass()
        cls.shared = docker.from_env(version='auto')
        cls.host = 'func-restart-%s' % uuid.uuid4().hex[:8]
        cls.store_dir = tempfile.mkdtemp(prefix='ml-func-glance-')
        cls.busybox_id = str(uuid.uuid4())
        driver_tests.save_image(
            cls.shared, driver_tests.TEST_IMAGE,
            os.path.join(cls.store_dir, cls.busybox_id + '.tar'))
        cls.derived = []

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.store_dir, ignore_errors=True)
        cls.shared.close()
        testtools.TestCase.tearDownClass()

    def setUp(self):
        # The engine must be up, and the driver pointed at it, before the
        # base class's setUp runs the driver's init_host.
        self.engine = PrivateEngine()
        self.engine.setUp()
        driver_tests.CONF.set_override('api_url', self.engine.url,
                                       group='docker')
        self.client = docker.DockerClient(base_url=self.engine.url,
                                          version='auto')
        # Registered first, so they run last, after the base's cleanups
        # have removed the containers through this engine.
        self.addCleanup(self.engine.cleanUp)
        self.addCleanup(driver_tests.CONF.clear_override, 'api_url',
                        group='docker')
        self.addCleanup(self.client.close)
        super().setUp()

    def test_instance_outlives_an_engine_restart(self):
        instance = self.spawn()
        driver = self.driver
        self.assertEqual(power_state.RUNNING,
                         driver.get_info(instance).state)

        self.lifecycle.clear()
        self.engine.stop()
        # The engine's shutdown stopped the container: Nova is told at
        # once, not at its next power-state sync.
        self.wait_for_lifecycle(instance, virtevent.EVENT_LIFECYCLE_STOPPED)
        # While the engine is down the driver says so; it never reports
        # the instance as gone, which would make Nova forget it.
        try:
            driver.get_info(instance)
        except exception.InstanceNotFound:
            self.fail('get_info called the instance gone: the engine is')
        except Exception:
            pass    # any other error says what it is: no engine
        else:
            self.fail('get_info answered with the engine down')

        self.engine.start()
        # The event reader reconnects by itself and reports the state it
        # finds, in case an event was missed while it was away.
        self.wait_for_lifecycle(instance, virtevent.EVENT_LIFECYCLE_STOPPED)
        # The same driver, with no new init_host, finds the instance
        # again, stopped by the engine's shutdown, and boots it as
        # nova-compute does for a host that came back.
        self.assertEqual([instance.uuid], driver.list_instance_uuids())
        self.assertEqual(power_state.SHUTDOWN,
                         driver.get_info(instance).state)
        driver.resume_state_on_host_boot(self.context, instance, None, None)
        self.assertEqual(power_state.RUNNING,
                         driver.get_info(instance).state)
        self.assertEqual('running',
                         self.inspect(instance)['State']['Status'])
        self.wait_for_lifecycle(instance, virtevent.EVENT_LIFECYCLE_STARTED)

        driver.destroy(self.context, instance, None)
        self.assertIsNone(docker_client.find_container(
            self.client, self.driver._node, instance.uuid))
