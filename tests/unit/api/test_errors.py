from unittest import mock

from oslo_middleware import request_id

from magnumlite.db import api as db_api
from tests.unit import base

ERROR_KEYS = {'request_id', 'code', 'status', 'title', 'detail', 'links'}


class TestErrorDocument(base.APITestCase):

    def _error(self, resp, status):
        self.assertEqual(status, resp.status_int)
        self.assertEqual('application/json', resp.content_type)
        [error] = resp.json['errors']
        self.assertEqual(ERROR_KEYS, set(error))
        self.assertEqual(status, error['status'])
        return error

    def test_unknown_path_is_404(self):
        error = self._error(self.request('/v1/nosuchthing'), 404)
        self.assertEqual('client', error['code'])
        self.assertEqual('Not Found', error['title'])
        self.assertEqual('The resource could not be found.',
                         error['detail'])

    def test_unknown_path_outside_v1_is_404(self):
        self._error(self.request('/nosuchthing'), 404)

    def test_unknown_method_is_405_with_allowed_methods(self):
        resp = self.request('/v1/mservices', method='DELETE')
        error = self._error(resp, 405)
        self.assertEqual('GET', resp.headers['Allow'])
        self.assertEqual('Method Not Allowed', error['title'])
        self.assertEqual(
            'The method specified is not allowed for this resource.',
            error['detail'])

    def test_error_carries_the_request_id(self):
        self.app = request_id.RequestId(self.app)
        resp = self.request('/v1/nosuchthing')
        error = self._error(resp, 404)
        self.assertTrue(error['request_id'].startswith('req-'))
        self.assertEqual(resp.headers['x-openstack-request-id'],
                         error['request_id'])

    def test_unexpected_exception_is_a_logged_500(self):
        self.useFixture(base.Database(self.conf_fixture))
        with mock.patch.object(db_api, 'mservice_list',
                               side_effect=RuntimeError('database on fire')):
            resp = self.request('/v1/mservices')

        error = self._error(resp, 500)
        self.assertEqual('server', error['code'])
        self.assertEqual('Internal Server Error', error['title'])
        # The exception's text stays in the log.
        self.assertEqual('The server could not complete the request; its '
                         'log has the error under this request_id.',
                         error['detail'])
        self.assertIn('Unexpected error serving GET /v1/mservices',
                      self.logger.output)
        self.assertIn('RuntimeError: database on fire', self.logger.output)
