"""The Docker engine the driver and the Heat plugin build on.

Runs against the real engine (tools/allinone up starts one) and the test
image it builds offline; checks what the virt driver will rely on: API
version negotiation, unprivileged containers, and images moving as
`docker save` tarballs, as Glance stores them.
"""

import uuid

import docker
import testtools

TEST_IMAGE = 'magnumlite/busybox:latest'


class TestDockerEngine(testtools.TestCase):

    def setUp(self):
        super().setUp()
        try:
            # version='auto': negotiate the API version, never pin it.
            self.client = docker.from_env(version='auto')
            self.client.ping()
        except docker.errors.DockerException as e:
            self.fail('no Docker engine (tools/allinone up starts one): %s'
                      % e)
        self.addCleanup(self.client.close)

    def test_api_version_is_negotiated(self):
        server = self.client.version()['ApiVersion']
        self.assertEqual(server, self.client.api.api_version)

    def test_unprivileged_container_runs_the_test_image(self):
        name = 'ml-func-%s' % uuid.uuid4().hex[:8]
        container = self.client.containers.run(
            TEST_IMAGE, ['sh', '-c', 'id -u; cat /proc/self/status'],
            name=name, detach=True, network_mode='none')
        self.addCleanup(container.remove, force=True)
        result = container.wait(timeout=60)
        self.assertEqual(0, result['StatusCode'])
        logs = container.logs().decode()
        host_config = self.client.api.inspect_container(name)['HostConfig']
        self.assertFalse(host_config['Privileged'])
        self.assertFalse(host_config['CapAdd'])
        # not all capabilities: CAP_SYS_ADMIN (bit 21) is not effective
        cap_eff = int([line.split()[1] for line in logs.splitlines()
                       if line.startswith('CapEff:')][0], 16)
        self.assertFalse(cap_eff & (1 << 21), hex(cap_eff))

    def test_docker_save_tarball_loads_under_its_own_tag(self):
        tag = 'magnumlite/func-%s:saved' % uuid.uuid4().hex[:8]
        image = self.client.images.get(TEST_IMAGE)
        image.tag(tag)
        # saved by name, so the tarball's manifest carries this repo:tag
        tarball = b''.join(self.client.api.get_image(tag))
        self.client.images.remove(tag)
        self.assertRaises(docker.errors.ImageNotFound,
                          self.client.images.get, tag)
        loaded = self.client.images.load(tarball)
        self.addCleanup(self.client.images.remove, tag)
        self.assertIn(tag, loaded[0].tags)
        self.assertEqual(image.id, loaded[0].id)
