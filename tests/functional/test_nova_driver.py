"""DockerDriver against the real Docker engine.

The driver runs with nova's own objects (Instance, Flavor, ImageMeta) and
nova's FakeVirtAPI. The one thing not real is Glance: ``GlanceStore``
stands in for nova's image API (download, get, update), serving and
receiving real ``docker save`` tarballs from a directory, so a snapshot's
upload can be booted again. Every step is checked with ``docker inspect``.

Restarting the engine is tested on a private engine of its own
(test_nova_driver_engine_restart): this one is shared with the rest of the
run and the all-in-one cloud.
"""

import tests.unit.nova_driver  # noqa: F401,I100  (nova's own CONF first)

import base64
import json
import os
import shutil
import tempfile
import uuid

import docker
import fixtures
from nova.compute import power_state
from nova.compute import task_states
from nova import conf as nova_conf
from nova import context as nova_context
from nova import exception
from nova import objects
from nova.virt import event as virtevent
from nova.virt import fake
import nova.virt.node
from oslo_config import fixture as config_fixture
import testtools

from nova_driver import docker_client
from nova_driver import driver as docker_driver
from nova_driver import image_cache
from tests import waiting

objects.register_all()
CONF = nova_conf.CONF
TEST_IMAGE = 'magnumlite/busybox:latest'
LOOP = 'trap "exit 0" TERM; while :; do sleep 1; done'


class GlanceStore(object):
    """nova.image.glance.API's download/get/update over a directory."""

    def __init__(self, directory):
        self.dir = directory
        self.downloads = []
        self.uploaded = {}
        self.fail_update = None

    def path(self, image_id):
        return os.path.join(self.dir, image_id + '.tar')

    def download(self, context, image_id, data=None, dest_path=None,
                 trusted_certs=None):
        self.downloads.append(image_id)
        shutil.copyfile(self.path(image_id), dest_path)

    def get(self, context, image_id, include_locations=False,
            show_deleted=True):
        return {'id': image_id, 'name': 'snap-' + image_id[:8]}

    def update(self, context, image_id, image_meta, data=None,
               purge_props=False):
        if self.fail_update:
            raise self.fail_update
        with open(self.path(image_id), 'wb') as f:
            shutil.copyfileobj(data, f)
        self.uploaded[image_id] = image_meta
        return image_meta


def save_image(client, ref, path):
    with open(path, 'wb') as f:
        for chunk in client.images.get(ref).save(named=True):
            f.write(chunk)


def derived_image(client, cmd, path):
    """Save TEST_IMAGE with another CMD as tarball path; return its ID."""
    tag = 'magnumlite/func-derived-%s' % uuid.uuid4().hex[:8]
    container = client.containers.create(TEST_IMAGE)
    try:
        container.commit(repository=tag, tag='latest',
                         changes=['CMD ["/bin/sh", "-c", %s]'
                                  % json.dumps(cmd)])
    finally:
        container.remove(force=True)
    save_image(client, tag + ':latest', path)
    image_id = client.images.get(tag + ':latest').id
    client.images.remove(tag + ':latest', force=True)
    return image_id


class DriverTestCase(testtools.TestCase):
    """A DockerDriver of its own compute host, and helpers; no tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = docker.from_env(version='auto')
        # one host per class: the engine cache is per compute host
        cls.host = 'func-%s' % uuid.uuid4().hex[:8]
        cls.store_dir = tempfile.mkdtemp(prefix='ml-func-glance-')
        cls.busybox_id = str(uuid.uuid4())
        save_image(cls.client, TEST_IMAGE,
                   os.path.join(cls.store_dir, cls.busybox_id + '.tar'))
        cls.exits_id = str(uuid.uuid4())
        cls.derived = []
        cls.derived.append(derived_image(
            # It runs a moment first: spawn must wait for the exit, not
            # just find a process that is already gone.
            cls.client, 'echo starting up; echo fatal: no config >&2; '
            'sleep 0.3; exit 3',
            os.path.join(cls.store_dir, cls.exits_id + '.tar')))
        cls.chatty_id = str(uuid.uuid4())
        cls.derived.append(derived_image(
            cls.client, 'i=0; while [ $i -lt 3000 ]; do echo '
            'console-line-$i-$(printf %080d 0); i=$((i+1)); done;'
            ' echo console-done; ' + LOOP,
            os.path.join(cls.store_dir, cls.chatty_id + '.tar')))

    @classmethod
    def tearDownClass(cls):
        prefix = image_cache.cache_prefix(cls.host)
        # The low-level list: images.list() inspects each image it lists,
        # and another test's cleanup may remove one in between.
        refs = [tag for image in cls.client.api.images()
                for tag in image.get('RepoTags') or ()
                if tag.startswith(prefix)]
        # derived images by ID: loading their tarball tagged them again
        for ref in refs + cls.derived:
            try:
                cls.client.images.remove(ref, force=ref in cls.derived)
            except docker.errors.NotFound:
                pass
        shutil.rmtree(cls.store_dir, ignore_errors=True)
        cls.client.close()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.state = self.useFixture(fixtures.TempDir()).path
        conf = self.useFixture(config_fixture.Config(CONF))
        conf.config(host=self.host, instances_path=self.state,
                    state_path=self.state)
        # "Exits at once" with room for a loaded CI machine, where a shell
        # that only echoes once took longer than the default 0.2 s to end.
        conf.config(group='docker', boot_grace_period=1.0)
        # parsed without files: nova.virt.node reads CONF.config_file
        CONF([], project='nova', default_config_files=[])
        self.useFixture(fixtures.MonkeyPatch(
            'nova.virt.node.LOCAL_NODE_UUID', None))
        self.glance = GlanceStore(self.store_dir)
        self.driver = docker_driver.DockerDriver(fake.FakeVirtAPI())
        self.driver._image_api = self.glance
        # What the compute manager would be told, as (uuid, transition).
        self.lifecycle = []
        self.driver.register_event_listener(
            lambda e: self.lifecycle.append((e.get_instance_uuid(),
                                             e.get_transition())))
        self.driver.init_host(self.host)
        self.addCleanup(self.driver.cleanup_host, self.host)
        self.addCleanup(self._remove_our_containers)
        self.context = nova_context.get_admin_context()

    def _remove_our_containers(self):
        for c in docker_client.list_containers(self.client, self.driver._node):
            c.remove(force=True)

    def instance(self, **kw):
        values = dict(
            uuid=str(uuid.uuid4()), display_name='func-server',
            hostname='func-server', project_id='p1', user_id='u1',
            availability_zone='docker', launch_index=0,
            metadata={'role': 'test'}, key_name=None, key_data=None,
            user_data=base64.b64encode(b'#!/bin/sh\necho hi\n').decode(),
            # Nova loads an instance's flavor with its extra specs.
            flavor=objects.Flavor(name='m1.tiny', memory_mb=64, vcpus=1,
                                  root_gb=1, ephemeral_gb=0, swap=0,
                                  extra_specs={}))
        values.update(kw)
        return objects.Instance(**values)

    def image_meta(self, image_id, container_format='docker'):
        return objects.ImageMeta.from_dict({
            'id': image_id, 'name': 'busybox', 'checksum': 'c' * 32,
            'container_format': container_format, 'disk_format': 'raw',
            'properties': {}})

    def spawn(self, image_id=None, instance=None):
        instance = instance or self.instance()
        self._last_spawned = instance
        self.driver.spawn(self.context, instance,
                          self.image_meta(image_id or self.busybox_id),
                          [], None, {})
        return instance

    def inspect(self, instance):
        found = docker_client.find_container(self.client, self.driver._node,
                                             instance.uuid)
        self.assertIsNotNone(found, 'no container for %s' % instance.uuid)
        return self.client.api.inspect_container(found.id)

    def wait_for_lifecycle(self, instance, transition, timeout=30):
        """Wait until the driver emitted transition for instance."""
        try:
            waiting.wait_until(
                lambda: (instance.uuid, transition) in self.lifecycle,
                'lifecycle event %s for %s' % (transition, instance.uuid),
                timeout, interval=0.05)
        except AssertionError as exc:
            self.fail('%s; got %s' % (exc, self.lifecycle))
        self.lifecycle.clear()

    def exec_(self, instance, cmd):
        container = self.client.containers.get(self.inspect(instance)['Id'])
        code, out = container.exec_run(['sh', '-c', cmd])
        return code, out.decode()


class TestDockerDriver(DriverTestCase):

    def test_engine_api_version_is_negotiated(self):
        self.assertEqual(self.client.version()['ApiVersion'],
                         self.driver._client.api.api_version)

    def test_spawn_runs_an_unprivileged_limited_container(self):
        instance = self.spawn()
        attrs = self.inspect(instance)
        self.assertTrue(attrs['State']['Running'])
        self.assertEqual(
            {docker_client.LABEL_INSTANCE: instance.uuid,
             docker_client.LABEL_HOST: self.host,
             docker_client.LABEL_NODE: nova.virt.node.get_local_node_uuid()},
            {k: v for k, v in attrs['Config']['Labels'].items()
             if k.startswith('magnumlite.')})
        hc = attrs['HostConfig']
        self.assertFalse(hc['Privileged'])
        self.assertEqual('none', hc['NetworkMode'])
        self.assertFalse(hc['CapAdd'])
        self.assertEqual(64 * 1024 * 1024, hc['Memory'])
        self.assertEqual(10 ** 9, hc['NanoCpus'])
        self.assertEqual(CONF.docker.pids_limit, hc['PidsLimit'])
        self.assertEqual(['no-new-privileges'], hc['SecurityOpt'])
        md_dir = os.path.join(self.state, instance.uuid, 'openstack')
        self.assertEqual(['%s:/run/openstack:ro' % md_dir], hc['Binds'])
        self.assertIn('MAGNUMLITE_INSTANCE_UUID=%s' % instance.uuid,
                      attrs['Config']['Env'])
        self.assertEqual(power_state.RUNNING,
                         self.driver.get_info(instance).state)
        self.assertIn(instance.uuid, self.driver.list_instance_uuids())
        self.assertTrue(self.driver.instance_exists(instance))

    def test_metadata_and_user_data_inside_the_container(self):
        instance = self.spawn()
        code, out = self.exec_(
            instance, 'cat /run/openstack/latest/meta_data.json')
        self.assertEqual(0, code, out)
        md = json.loads(out)
        self.assertEqual(instance.uuid, md['uuid'])
        self.assertEqual({'role': 'test'}, md['meta'])
        code, out = self.exec_(instance, 'cat /run/openstack/latest/user_data')
        self.assertEqual((0, '#!/bin/sh\necho hi\n'), (code, out))
        code, out = self.exec_(instance, 'touch /run/openstack/x')
        self.assertNotEqual(0, code, 'metadata mount is writable')
        self.assertIn('Read-only file system', out)
        code, out = self.exec_(instance, 'echo $MAGNUMLITE_HOSTNAME')
        self.assertEqual('func-server', out.strip())

    def test_second_boot_of_an_image_uses_the_cache(self):
        image_id = str(uuid.uuid4())
        shutil.copyfile(self.glance.path(self.busybox_id),
                        self.glance.path(image_id))
        self.addCleanup(os.unlink, self.glance.path(image_id))
        self.addCleanup(self.client.images.remove,
                        image_cache.cache_tag(self.host, image_id, 'c' * 32))
        self.spawn(image_id)
        self.spawn(image_id)
        self.assertEqual([image_id], self.glance.downloads)
        # the Glance name ('busybox') is not the repository in the tarball
        tags = self.client.images.get(
            image_cache.cache_tag(self.host, image_id, 'c' * 32)).tags
        self.assertIn(TEST_IMAGE, tags)

    def test_image_cache_pass_drops_only_unused_images(self):
        used, unused = str(uuid.uuid4()), str(uuid.uuid4())
        for image_id in (used, unused):
            shutil.copyfile(self.glance.path(self.busybox_id),
                            self.glance.path(image_id))
            self.addCleanup(os.unlink, self.glance.path(image_id))
        # (tearDownClass untags this host's cache; busybox itself stays)
        instance = self.spawn(used, self.instance(image_ref=used))
        self.spawn(unused)
        self.driver.destroy(self.context, self._last_spawned, None)
        self.driver.manage_image_cache(self.context, [instance])
        cached = self.driver._image_cache.cached()
        self.assertIn(used, cached)
        self.assertNotIn(unused, cached)
        self.assertIsNotNone(self.client.images.get(TEST_IMAGE))

    def test_lifecycle_is_reflected_in_the_engine(self):
        instance = self.spawn()
        d = self.driver

        def status():
            return self.inspect(instance)['State']['Status']

        d.pause(instance)
        self.assertEqual('paused', status())
        self.assertEqual(power_state.PAUSED, d.get_info(instance).state)
        d.unpause(instance)
        self.assertEqual('running', status())
        d.suspend(self.context, instance)
        self.assertEqual('paused', status())
        d.resume(self.context, instance, None)
        self.assertEqual('running', status())
        d.power_off(instance, timeout=10)
        self.assertEqual('exited', status())
        self.assertEqual(power_state.SHUTDOWN, d.get_info(instance).state)
        d.power_on(self.context, instance, None)
        self.assertEqual('running', status())
        for kind in ('SOFT', 'HARD'):
            started = self.inspect(instance)['State']['StartedAt']
            d.reboot(self.context, instance, None, kind)
            state = self.inspect(instance)['State']
            self.assertEqual('running', state['Status'], kind)
            self.assertNotEqual(started, state['StartedAt'], kind)
        d.pause(instance)
        d.reboot(self.context, instance, None, 'HARD')
        self.assertEqual('running', status())
        d.power_off(instance, timeout=0)
        d.resume_state_on_host_boot(self.context, instance, None, None)
        self.assertEqual('running', status())

    def test_changes_outside_nova_are_lifecycle_events(self):
        # What libvirt reports for a guest that crashes, shuts down or is
        # paused behind Nova's back, from the engine's event stream.
        instance = self.spawn()
        container = self.client.containers.get(self.inspect(instance)['Id'])
        container.pause()
        self.wait_for_lifecycle(instance, virtevent.EVENT_LIFECYCLE_PAUSED)
        container.unpause()
        self.wait_for_lifecycle(instance, virtevent.EVENT_LIFECYCLE_RESUMED)
        container.kill(signal='TERM')     # its process ends on its own
        self.wait_for_lifecycle(instance, virtevent.EVENT_LIFECYCLE_STOPPED)
        self.assertEqual(power_state.SHUTDOWN,
                         self.driver.get_info(instance).state)
        container.start()
        self.wait_for_lifecycle(instance, virtevent.EVENT_LIFECYCLE_STARTED)

    def test_destroy_removes_the_container_and_is_idempotent(self):
        instance = self.spawn()
        cid = self.inspect(instance)['Id']
        self.driver.destroy(self.context, instance, None)
        self.assertRaises(docker.errors.NotFound,
                          self.client.containers.get, cid)
        self.assertFalse(os.path.exists(os.path.join(self.state,
                                                     instance.uuid)))
        self.driver.destroy(self.context, instance, None)
        self.assertFalse(self.driver.instance_exists(instance))
        self.assertRaises(exception.InstanceNotFound,
                          self.driver.get_info, instance)

    def test_non_docker_container_format_is_refused(self):
        instance = self.instance()
        e = self.assertRaises(
            exception.ImageUnacceptable, self.driver.spawn, self.context,
            instance, self.image_meta(self.busybox_id, 'bare'), [], None, {})
        self.assertIn('container_format=docker', str(e))
        self.assertIn('container_format=bare', str(e))
        self.assertEqual([], self.glance.downloads)
        self.assertFalse(self.driver.instance_exists(instance))

    def test_container_exiting_at_boot_fails_with_its_logs(self):
        instance = self.instance()
        e = self.assertRaises(
            exception.InstanceDeployFailure, self.driver.spawn,
            self.context, instance, self.image_meta(self.exits_id), [],
            None, {})
        self.assertIn('exit code 3', str(e))
        self.assertIn('starting up', str(e))
        self.assertIn('fatal: no config', str(e))
        self.assertFalse(self.driver.instance_exists(instance))

    def test_console_output_is_the_bounded_log(self):
        instance = self.spawn(self.chatty_id)
        container = self.client.containers.get(self.inspect(instance)['Id'])
        waiting.wait_until(lambda: b'console-done' in container.logs(tail=1),
                           'the last console line', timeout=60, interval=0.2)
        out = self.driver.get_console_output(self.context, instance)
        self.assertLessEqual(len(out), CONF.docker.console_log_kib * 1024)
        self.assertGreater(len(out), 32 * 1024)
        self.assertTrue(out.rstrip().endswith(b'console-done'), out[-200:])
        self.assertNotIn(b'console-line-0-', out)

    def test_snapshot_round_trip(self):
        instance = self.spawn()
        code, out = self.exec_(instance, 'echo snapped > /marker')
        self.assertEqual(0, code, out)
        snap_id = str(uuid.uuid4())
        self.addCleanup(os.unlink, self.glance.path(snap_id))
        states = []

        def update_task_state(task_state, expected_state=None):
            states.append((task_state, expected_state,
                           self.inspect(instance)['State']['Status']))

        self.driver.snapshot(self.context, instance, snap_id,
                             update_task_state)
        self.assertEqual(
            [(task_states.IMAGE_PENDING_UPLOAD, None, 'running'),
             (task_states.IMAGE_UPLOADING, task_states.IMAGE_PENDING_UPLOAD,
              'running')], states)
        self.assertEqual('running', self.inspect(instance)['State']['Status'])
        meta = self.glance.uploaded[snap_id]
        self.assertEqual(('docker', 'raw'),
                         (meta['container_format'], meta['disk_format']))
        self.assertEqual([], self.client.images.list(
            name=docker_driver.SNAPSHOT_REPOSITORY + snap_id))
        # boot the uploaded tarball: the file written before is there
        self.addCleanup(self._remove_image_tags, snap_id)
        clone = self.spawn(snap_id)
        code, out = self.exec_(clone, 'cat /marker')
        self.assertEqual((0, 'snapped\n'), (code, out))

    def _remove_image_tags(self, image_id):
        """Delete a snapshot's own image (never the shared test image)."""
        self._remove_our_containers()
        image = self.client.images.get(
            image_cache.cache_tag(self.host, image_id, 'c' * 32))
        self.assertNotIn(TEST_IMAGE, image.tags)
        self.client.images.remove(image.id, force=True)

    def test_failed_snapshot_unpauses_and_removes_the_commit(self):
        instance = self.spawn()
        snap_id = str(uuid.uuid4())
        self.glance.fail_update = exception.ImageNotAuthorized(
            image_id=snap_id)
        self.assertRaises(exception.ImageNotAuthorized, self.driver.snapshot,
                          self.context, instance, snap_id,
                          lambda **kw: None)
        self.assertEqual('running', self.inspect(instance)['State']['Status'])
        self.assertEqual([], self.client.images.list(
            name=docker_driver.SNAPSHOT_REPOSITORY + snap_id))

    def test_only_labelled_containers_are_ours(self):
        other = self.client.containers.create(
            TEST_IMAGE, name='magnumlite-%s' % uuid.uuid4())
        self.addCleanup(other.remove, force=True)
        # another cloud's compute node on the same engine, same host name
        foreign_uuid = str(uuid.uuid4())
        foreign = self.client.containers.create(
            TEST_IMAGE, name='magnumlite-%s' % foreign_uuid,
            labels=docker_client.labels(self.host, str(uuid.uuid4()),
                                        foreign_uuid))
        self.addCleanup(foreign.remove, force=True)
        instance = self.spawn()
        self.assertEqual([instance.uuid], self.driver.list_instance_uuids())
        self.assertEqual(['magnumlite-%s' % instance.uuid],
                         self.driver.list_instances())

    def test_node_resources_and_identity(self):
        info = self.client.info()
        node = self.driver.get_available_nodes()[0]
        self.assertEqual(self.host, node)
        res = self.driver.get_available_resource(node)
        self.assertEqual(info['NCPU'], res['vcpus'])
        self.assertEqual(info['MemTotal'] // (1024 * 1024), res['memory_mb'])
        self.assertEqual('docker', res['hypervisor_type'])
        node_uuid = nova.virt.node.get_local_node_uuid()
        self.assertEqual(node_uuid, res['uuid'])
        self.assertEqual({node_uuid: node},
                         self.driver.get_nodenames_by_uuid())
        # persisted, so a restarted nova-compute keeps its identity
        self.assertEqual(node_uuid, nova.virt.node.read_local_node_uuid())
