"""Requests with JSON bodies to the API over a migrated database."""

import fixtures
from oslo_serialization import jsonutils
import webob

from magnumlite.api import microversion
from tests.unit import base


class ResourceTestCase(base.APITestCase):
    """The API with a database and a mocked conductor RPC client."""

    def setUp(self):
        super().setUp()
        self.useFixture(base.Database(self.conf_fixture))
        self.conductor = self.useFixture(fixtures.MockPatch(
            'magnumlite.conductor.rpcapi.ConductorAPI')).mock.return_value

    def call(self, path, method='GET', body=None, roles='admin',
             project_id='p1', version='latest'):
        req = webob.Request.blank(path, method=method)
        req.headers.update({
            'X-Roles': roles, 'X-Project-Id': project_id,
            'X-User-Id': 'u-' + project_id,
            microversion.VERSION_HEADER: 'container-infra %s' % version})
        if body is not None:
            req.body = jsonutils.dump_as_bytes(body)
            req.content_type = 'application/json'
        return req.get_response(self.app)

    def assertError(self, status, detail, resp):
        self.assertEqual(status, resp.status_int, resp.body)
        [error] = resp.json['errors']
        self.assertEqual(detail, error['detail'])

    def create_template(self, project_id='p1', roles='admin', **values):
        body = dict({'name': 't1', 'coe': 'kubernetes',
                     'image_id': 'busybox', 'flavor_id': 'm1.tiny'}, **values)
        resp = self.call('/v1/clustertemplates', 'POST', body,
                         roles=roles, project_id=project_id)
        self.assertEqual(201, resp.status_int, resp.body)
        return resp.json

    def create_cluster(self, project_id='p1', roles='admin', **values):
        body = dict({'name': 'c1', 'cluster_template_id': 't1'}, **values)
        resp = self.call('/v1/clusters', 'POST', body, roles=roles,
                         project_id=project_id)
        self.assertEqual(202, resp.status_int, resp.body)
        return resp.json['uuid']
