import webob

from magnumlite.api import microversion
from tests.unit import base


class TestMicroversion(base.APITestCase):

    def _get(self, version=None):
        headers = {}
        if version is not None:
            headers['OpenStack-API-Version'] = version
        return self.request('/v1', headers=headers)

    def _assert_range_headers(self, resp):
        self.assertEqual('container-infra 1.1',
                         resp.headers['OpenStack-API-Minimum-Version'])
        self.assertEqual('container-infra 1.13',
                         resp.headers['OpenStack-API-Maximum-Version'])

    def test_versions_run_from_1_1_to_1_13(self):
        self.assertEqual('1.1', microversion.min_version_string())
        self.assertEqual('1.13', microversion.max_version_string())
        self.assertEqual(['1.%d' % minor for minor in range(1, 14)],
                         microversion.VERSIONS)

    def test_no_header_gets_the_minimum(self):
        resp = self._get()
        self.assertEqual(200, resp.status_int)
        self.assertEqual('container-infra 1.1',
                         resp.headers['OpenStack-API-Version'])
        self.assertEqual('OpenStack-API-Version', resp.headers['Vary'])
        self._assert_range_headers(resp)

    def test_requested_version_is_granted(self):
        resp = self._get('container-infra 1.7')
        self.assertEqual(200, resp.status_int)
        self.assertEqual('container-infra 1.7',
                         resp.headers['OpenStack-API-Version'])

    def test_latest_gets_the_maximum(self):
        resp = self._get('container-infra latest')
        self.assertEqual('container-infra 1.13',
                         resp.headers['OpenStack-API-Version'])

    def test_handler_sees_the_negotiated_version(self):
        seen = []

        def handler(environ, start_response):
            seen.append(environ[microversion.MICROVERSION_ENVIRON])
            return webob.Response()(environ, start_response)

        webob.Request.blank('/v1/clusters', headers={
            'OpenStack-API-Version': 'container-infra 1.9'}).get_response(
                microversion.MicroversionMiddleware(handler))
        self.assertEqual([(1, 9)], seen)

    def test_at_least_compares_with_the_negotiated_version(self):
        req = webob.Request.blank('/v1/clusters')
        req.environ[microversion.MICROVERSION_ENVIRON] = (
            microversion.parse('1.10'))
        self.assertTrue(microversion.at_least(req, '1.9'))
        self.assertTrue(microversion.at_least(req, '1.10'))
        self.assertFalse(microversion.at_least(req, '1.11'))

    def _assert_not_acceptable(self, version):
        resp = self._get(version)
        self.assertEqual(406, resp.status_int)
        self._assert_range_headers(resp)
        self.assertNotIn('OpenStack-API-Version', resp.headers)
        [error] = resp.json['errors']
        self.assertEqual('magnum.microversion-unsupported', error['code'])
        self.assertEqual(406, error['status'])
        self.assertEqual('Requested microversion is unsupported',
                         error['title'])
        self.assertIn(version, error['detail'])
        self.assertEqual(('1.1', '1.13'),
                         (error['min_version'], error['max_version']))
        return error

    def test_too_new_version_is_not_acceptable(self):
        self._assert_not_acceptable('container-infra 1.14')

    def test_too_old_version_is_not_acceptable(self):
        self._assert_not_acceptable('container-infra 1.0')

    def test_other_major_version_is_not_acceptable(self):
        self._assert_not_acceptable('container-infra 2.1')

    def test_malformed_version_is_not_acceptable(self):
        self._assert_not_acceptable('container-infra one.two')

    def test_other_services_versions_are_ignored(self):
        resp = self._get('compute 2.90')
        self.assertEqual('container-infra 1.1',
                         resp.headers['OpenStack-API-Version'])

    def test_root_document_is_not_versioned(self):
        resp = self.request('/', headers={
            'OpenStack-API-Version': 'container-infra 9.9'})
        self.assertEqual(200, resp.status_int)
        self.assertNotIn('OpenStack-API-Version', resp.headers)
        self.assertNotIn('OpenStack-API-Maximum-Version', resp.headers)
