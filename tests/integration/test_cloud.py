"""The all-in-one's OpenStack services, end to end."""

import hashlib
import subprocess
import tempfile

from tests.integration import base


class TestKeystone(base.IntegrationTestCase):

    def test_token_issue_and_validate(self):
        token = self.conn.auth_token
        self.assertTrue(token)
        # keystone validates the token it issued (GET /v3/auth/tokens)
        resp = self.conn.identity.get(
            '/auth/tokens', headers={'X-Subject-Token': token})
        self.assertEqual(200, resp.status_code)
        self.assertEqual('admin', resp.json()['token']['user']['name'])

    def test_bad_password_is_refused(self):
        conn = base.openstack.connect(
            auth_url=self.conn.config.auth['auth_url'], username='admin',
            password='not-the-password', project_name='admin',
            user_domain_name='Default', project_domain_name='Default')
        error = self.assertRaises(base.openstack.exceptions.SDKException,
                                  conn.authorize)
        self.assertIn('HTTP 401', str(error))


class TestGlance(base.IntegrationTestCase):

    def test_docker_save_tarball_round_trip(self):
        """A docker-save tarball comes back from Glance byte for byte."""
        with tempfile.TemporaryDirectory() as tmp:
            tarball = tmp + '/image.tar'
            subprocess.run(['docker', 'save', '-o', tarball,
                            'magnumlite/busybox:latest'], check=True)
            with open(tarball, 'rb') as f:
                data = f.read()
        image = self.conn.image.create_image(
            name=self.unique_name('image'), data=data,
            container_format='docker', disk_format='raw')
        self.addCleanup(self.conn.image.delete_image, image,
                        ignore_missing=True)
        image = self.conn.image.get_image(image)
        self.assertEqual('active', image.status)
        self.assertEqual('docker', image.container_format)
        self.assertEqual(len(data), image.size)
        downloaded = self.conn.image.download_image(image).content
        self.assertEqual(hashlib.sha256(data).hexdigest(),
                         hashlib.sha256(downloaded).hexdigest())


class TestNova(base.IntegrationTestCase):

    def test_boot_and_delete_server(self):
        image = self.conn.image.find_image(base.TEST_IMAGE,
                                           ignore_missing=False)
        flavor = self.conn.compute.find_flavor(base.TEST_FLAVOR,
                                               ignore_missing=False)
        server = self.conn.compute.create_server(
            name=self.unique_name('server'), image_id=image.id,
            flavor_id=flavor.id, networks='none')
        self.addCleanup(self.conn.compute.delete_server, server,
                        ignore_missing=True)
        server = self.conn.compute.wait_for_server(
            server, status='ACTIVE', failures=['ERROR'],
            wait=base.SETTLE_TIMEOUT, interval=0.5)
        self.assertEqual('ACTIVE', server.status)
        # No zone named: the default one, the Docker driver's host.
        self.assertEqual(('allinone-docker', base.DOCKER_ZONE),
                         (server.compute_host, server.availability_zone))
        self.conn.compute.delete_server(server)
        self.conn.compute.wait_for_delete(server, wait=base.SETTLE_TIMEOUT,
                                          interval=0.5)
        self.assertIsNone(self.conn.compute.find_server(server.id))


class TestHeat(base.IntegrationTestCase):

    TEMPLATE = {
        'heat_template_version': '2021-04-16',
        'parameters': {'image': {'type': 'string'},
                       'flavor': {'type': 'string'}},
        'resources': {
            'server': {
                'type': 'OS::Nova::Server',
                'properties': {
                    'image': {'get_param': 'image'},
                    'flavor': {'get_param': 'flavor'},
                    'networks': [{'allocate_network': 'none'}],
                }},
        },
        'outputs': {'server_id': {'value': {'get_resource': 'server'}}},
    }

    def test_stack_create_and_delete(self):
        stack = self.conn.orchestration.create_stack(
            name=self.unique_name('stack'), template=self.TEMPLATE,
            parameters={'image': base.TEST_IMAGE,
                        'flavor': base.TEST_FLAVOR})
        self.addCleanup(self.conn.orchestration.delete_stack, stack,
                        ignore_missing=True)
        stack = self.conn.orchestration.wait_for_status(
            stack, status='CREATE_COMPLETE', failures=['CREATE_FAILED'],
            wait=base.SETTLE_TIMEOUT, interval=1)
        server_id = [o['output_value'] for o in
                     self.conn.orchestration.get_stack(stack).outputs
                     if o['output_key'] == 'server_id'][0]
        self.assertEqual('ACTIVE',
                         self.conn.compute.get_server(server_id).status)
        self.conn.orchestration.delete_stack(stack)
        self.conn.orchestration.wait_for_delete(
            stack, wait=base.SETTLE_TIMEOUT, interval=1)
        # the stack's server went with it
        self.assertIsNone(self.conn.compute.find_server(server_id))
