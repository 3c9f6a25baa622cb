from tests.unit import base


class TestVersionDocuments(base.APITestCase):

    def test_root_lists_v1(self):
        resp = self.request('/')
        self.assertEqual(200, resp.status_int)
        self.assertEqual('application/json', resp.content_type)
        body = resp.json
        self.assertEqual('OpenStack Magnum API', body['name'])
        self.assertIn('container cluster management', body['description'])
        self.assertEqual([{
            'id': 'v1',
            'links': [{'href': 'http://localhost/v1/', 'rel': 'self'}],
            'status': 'CURRENT',
            'max_version': '1.13',
            'min_version': '1.1',
        }], body['versions'])

    def test_links_follow_the_host_the_client_used(self):
        resp = self.request('/', headers={'Host': 'magnum.example:9511'})
        self.assertEqual('http://magnum.example:9511/v1/',
                         resp.json['versions'][0]['links'][0]['href'])

    def test_links_keep_the_path_the_api_is_served_under(self):
        # DevStack serves the API at http://<host>/container-infra (Apache
        # passes it to uwsgi as SCRIPT_NAME): links must lead back there.
        base = 'http://203.0.113.5/container-infra'
        self.assertEqual(base + '/v1/', self.request(
            '/', base_url=base).json['versions'][0]['links'][0]['href'])
        self.assertIn(
            {'href': base + '/v1/clusters/', 'rel': 'self'},
            self.request('/v1/', base_url=base).json['clusters'])

    def test_v1_document(self):
        for path in ('/v1', '/v1/'):
            resp = self.request(path)
            self.assertEqual(200, resp.status_int)
            body = resp.json
            self.assertEqual('v1', body['id'])
            self.assertIn({'href': 'http://localhost/v1/', 'rel': 'self'},
                          body['links'])
            self.assertEqual(
                [{'base': 'application/json',
                  'type': 'application/vnd.openstack.magnum.v1+json'}],
                body['media_types'])
            self.assertEqual(
                [{'href': 'http://localhost/v1/mservices/', 'rel': 'self'},
                 {'href': 'http://localhost/mservices/', 'rel': 'bookmark'}],
                body['mservices'])
