"""magnumlite in the all-in-one: found in the catalog, behind keystone."""

import importlib
import json

import requests

from tests.integration import base


class TestMagnumliteThroughKeystone(base.IntegrationTestCase):

    def setUp(self):
        super().setUp()
        # the endpoint python-magnumclient and magnum-ui would find
        self.endpoint = self.conn.session.get_endpoint(
            service_type='container-infra', interface='public')
        self.assertTrue(self.endpoint.endswith('/v1'), self.endpoint)

    def test_version_documents_need_no_token(self):
        root = requests.get(self.endpoint[:-len('/v1')] + '/', timeout=10)
        self.assertEqual(200, root.status_code)
        self.assertIn('v1', [v['id'] for v in root.json()['versions']])
        v1 = requests.get(self.endpoint, timeout=10)
        self.assertEqual(200, v1.status_code)

    def test_api_refuses_requests_without_a_token(self):
        resp = requests.get(self.endpoint + '/mservices', timeout=10)
        self.assertEqual(401, resp.status_code)

    def test_mservices_lists_the_running_conductor(self):
        resp = requests.get(self.endpoint + '/mservices', timeout=10,
                            headers={'X-Auth-Token': self.conn.auth_token})
        self.assertEqual(200, resp.status_code, resp.text)
        conductors = [s for s in resp.json()['mservices']
                      if s['binary'] == 'magnum-conductor']
        self.assertEqual(['allinone'], [s['host'] for s in conductors])
        self.assertEqual('up', conductors[0]['state'])

    def test_openstack_coe_service_list(self):
        """The unmodified python-magnumclient CLI talks to magnumlite."""
        services = json.loads(base.openstack_cli(
            'coe', 'service', 'list', '-f', 'json'))
        self.assertIn(('allinone', 'magnum-conductor', 'up'),
                      [(s['host'], s['binary'], s['state'])
                       for s in services])

    def test_mservices_is_admin_only(self):
        demo = base.cloud(username='demo', project='demo')
        resp = requests.get(self.endpoint + '/mservices', timeout=10,
                            headers={'X-Auth-Token': demo.auth_token})
        self.assertEqual(403, resp.status_code, resp.text)
        error = resp.json()['errors'][0]
        self.assertEqual('403', str(error['status']))


class TestNovaDriverHook(base.IntegrationTestCase):

    def test_nova_virt_shim_is_installed_and_importable(self):
        # nova-compute loads compute_driver = magnumlite.<Driver> as the
        # module nova.virt.magnumlite; `up` installed that shim.
        shim = importlib.import_module('nova.virt.magnumlite')
        with open(shim.__file__) as f:
            self.assertIn('from nova_driver import *', f.read())
