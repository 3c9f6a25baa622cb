"""Servers on the Docker driver, through the real cloud.

The all-in-one runs a second nova-compute, host ``allinone-docker`` in
availability zone ``docker``, with compute_driver = magnumlite.DockerDriver.
Each step goes through the unmodified ``openstack`` CLI, and the result is
checked in the Docker engine with the docker SDK.
"""

import io
import json
import os
import subprocess
import tarfile
import uuid

import docker
import fixtures

from tests.integration import base

DOCKER_HOST = 'allinone-docker'


class DockerServerTestCase(base.DockerServerTestCase):

    def container(self, server_id):
        found = self.containers(server_id)
        return found[0] if found else None

    def state(self, server_id):
        c = self.container(server_id)
        return c.attrs['State'] if c is not None else None

    def boot(self, image=base.TEST_IMAGE, wait=True):
        return super().boot('--nic', 'none', image=image, wait=wait)

    def _untag(self, ref):
        try:
            self.docker.images.remove(ref)
        except docker.errors.APIError:
            pass

    def server(self, server_id):
        return self.conn.compute.get_server(server_id)


class TestDockerServerLifecycle(DockerServerTestCase):

    def test_boot_act_and_delete(self):
        sid = self.boot()
        server = self.server(sid)
        self.assertEqual(('ACTIVE', DOCKER_HOST),
                         (server.status, server.compute_host))
        state = self.state(sid)
        self.assertEqual('running', state['Status'])
        hc = self.container(sid).attrs['HostConfig']
        self.assertEqual(('none', False),
                         (hc['NetworkMode'], hc['Privileged']))

        self.action(sid, 'stop', status='SHUTOFF')
        self.assertEqual('exited', self.state(sid)['Status'])
        self.action(sid, 'start', status='ACTIVE')
        self.assertEqual('running', self.state(sid)['Status'])

        for flags in ((), ('--hard',)):
            started = self.state(sid)['StartedAt']
            base.openstack_cli('server', 'reboot', '--wait', *flags, sid)
            self.wait_server(sid, 'ACTIVE')
            state = self.state(sid)
            self.assertEqual('running', state['Status'], flags)
            self.assertNotEqual(started, state['StartedAt'], flags)

        self.action(sid, 'pause', status='PAUSED')
        self.assertEqual('paused', self.state(sid)['Status'])
        self.action(sid, 'unpause', status='ACTIVE')
        self.assertEqual('running', self.state(sid)['Status'])
        self.action(sid, 'suspend', status='SUSPENDED')
        self.assertEqual('paused', self.state(sid)['Status'])
        self.action(sid, 'resume', status='ACTIVE')
        self.assertEqual('running', self.state(sid)['Status'])

        # what PID 1 writes to stdout is the console log
        marker = 'console-%s' % uuid.uuid4().hex
        code, out = self.container(sid).exec_run(
            ['sh', '-c', 'echo %s > /proc/1/fd/1' % marker])
        self.assertEqual(0, code, out)
        self.assertIn(marker, base.openstack_cli('console', 'log', 'show',
                                                 sid))

        base.openstack_cli('server', 'delete', '--wait', sid)
        self.assertIsNone(self.container(sid))


class TestDockerComputeRestart(DockerServerTestCase):

    def test_instances_keep_running_across_a_nova_compute_restart(self):
        running, stopped = self.boot(), self.boot()
        self.action(stopped, 'stop', status='SHUTOFF')
        started = self.state(running)['StartedAt']

        base.allinone('restart', 'nova-compute-docker')

        # The new nova-compute found both where they were: the running
        # container untouched (not restarted), the stopped one still off.
        self.assertEqual(('ACTIVE', 'SHUTOFF'),
                         (self.server(running).status,
                          self.server(stopped).status))
        state = self.state(running)
        self.assertEqual(('running', started),
                         (state['Status'], state['StartedAt']))
        self.assertEqual('exited', self.state(stopped)['Status'])
        # ...and drives them as before.
        self.action(running, 'stop', status='SHUTOFF')
        self.assertEqual('exited', self.state(running)['Status'])
        self.action(stopped, 'start', status='ACTIVE')
        self.assertEqual('running', self.state(stopped)['Status'])


class TestContainerOfADeletedServer(DockerServerTestCase):

    # nova-compute's running_deleted_instance_poll_interval, as
    # devstack/lib/magnumlite sets it.
    REAP_INTERVAL = 60

    def test_is_reaped_by_nova(self):
        # What a build that failed while the message bus was down leaves
        # when its delete never reaches this host: a container of this
        # node labelled with a server Nova has deleted.
        sid = self.boot()
        made = self.container(sid)
        base.openstack_cli('server', 'delete', '--wait', sid)
        self.assertIsNone(self.container(sid))
        left = self.docker.containers.run(
            made.image.id, ['sleep', '3600'], detach=True,
            network_mode='none', labels=made.labels)
        self.addCleanup(self._remove_quietly, left)

        base.wait_until(lambda: self.container(sid) is None,
                        timeout=2 * self.REAP_INTERVAL + 30,
                        what="nova-compute to reap the deleted server's "
                             "container")

    @staticmethod
    def _remove_quietly(container):
        try:
            container.remove(force=True)
        except docker.errors.NotFound:
            pass


class TestDockerServerImages(DockerServerTestCase):

    def glance_image(self, data, container_format='docker'):
        name = self.unique_name('img')
        tmp = self.useFixture(fixtures.TempDir()).path
        path = os.path.join(tmp, 'image.tar')
        with open(path, 'wb') as f:
            f.write(data)
        image = json.loads(base.openstack_cli(
            'image', 'create', '--container-format', container_format,
            '--disk-format', 'raw', '--file', path, '-f', 'json', name))
        self.addCleanup(subprocess.run, ['openstack', 'image', 'delete',
                                         image['id']], capture_output=True)
        return name

    def test_snapshot_and_boot_it(self):
        sid = self.boot()
        code, out = self.container(sid).exec_run(
            ['sh', '-c', 'echo snapped > /marker'])
        self.assertEqual(0, code, out)
        snap = self.unique_name('snap')
        image = json.loads(base.openstack_cli(
            'server', 'image', 'create', '--wait', '--name', snap,
            '-f', 'json', sid))
        self.addCleanup(subprocess.run, ['openstack', 'image', 'delete',
                                         image['id']], capture_output=True)
        shown = json.loads(base.openstack_cli('image', 'show', '-f', 'json',
                                              image['id']))
        self.assertEqual(('docker', 'raw', 'active'),
                         (shown['container_format'], shown['disk_format'],
                          shown['status']))
        self.assertEqual('running', self.state(sid)['Status'])
        clone = self.boot(image=snap)
        code, out = self.container(clone).exec_run(['cat', '/marker'])
        self.assertEqual((0, b'snapped\n'), (code, out))

    def test_non_docker_image_is_refused_with_a_fault(self):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode='w'):
            pass
        name = self.glance_image(buf.getvalue(), container_format='bare')
        sid = self.boot(image=name, wait=False)
        server = self.wait_server(sid, 'ERROR')
        self.assertIn('container_format=docker', server.fault['message'])
        self.assertIsNone(self.container(sid))

    def test_container_exiting_at_once_ends_in_error_with_its_logs(self):
        base_container = self.docker.containers.create(
            'magnumlite/busybox:latest')
        repo = 'magnumlite/it-exits-%s' % uuid.uuid4().hex[:8]
        try:
            image = base_container.commit(
                repository=repo, tag='latest',
                changes=['CMD ["/bin/sh", "-c", "echo no-config-found; '
                         'exit 7"]'])
        finally:
            base_container.remove(force=True)
        tarball = b''.join(image.save(named=True))
        self.docker.images.remove(image.id, force=True)
        # nova-compute loads the tarball, which tags it as repo again
        self.addCleanup(self._untag, repo + ':latest')
        name = self.glance_image(tarball)
        sid = self.boot(image=name, wait=False)
        server = self.wait_server(sid, 'ERROR')
        self.assertIsNone(self.container(sid))
        # not rescheduled: the fault is the driver's, with the logs
        self.assertIn('exit code 7', server.fault['message'])
        self.assertIn('no-config-found', server.fault['message'])
