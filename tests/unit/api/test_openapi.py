import yaml

from magnumlite.api import openapi
from magnumlite.api import patch
from magnumlite.api import routes
from magnumlite.api.schemas import cluster
from magnumlite.api.schemas import cluster_template
from magnumlite.api.schemas import quota
from tests.unit import base


class TestOpenAPIDocument(base.APITestCase):

    def setUp(self):
        super().setUp()
        resp = self.request('/v1/openapi.yaml', roles='reader')
        self.assertEqual(200, resp.status_int)
        self.assertEqual('application/yaml', resp.content_type)
        self.document = yaml.safe_load(resp.body)

    def test_is_openapi_3(self):
        self.assertEqual('3.1.0', self.document['openapi'])
        self.assertEqual('1.13', self.document['info']['version'])

    def test_every_route_and_method_is_described(self):
        described = {path: {method.upper() for method in item
                            if method != 'parameters'}
                     for path, item in self.document['paths'].items()}
        served = {path: {route.method for route in path_routes}
                  for path, path_routes in routes.paths().items()}
        self.assertEqual(served, described)

    def test_is_the_one_built_from_the_table(self):
        self.assertEqual(openapi.build(), self.document)
        self.assertTrue(openapi.dump().startswith('# The OpenAPI 3.1'))

    def test_request_schemas_are_those_the_api_validates_with(self):
        schemas = self.document['components']['schemas']
        for name, schema in [
                ('ClusterTemplateCreate', cluster_template.CREATE),
                ('ClusterCreate', cluster.CREATE_V1_10),
                ('QuotaUpdate', quota.UPDATE),
                ('JSONPatch', patch.SCHEMA)]:
            self.assertEqual(schema, schemas[name], name)

    def test_every_reference_resolves(self):
        references = []

        def walk(node):
            if isinstance(node, dict):
                if '$ref' in node:
                    references.append(node['$ref'])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)
        walk(self.document)

        self.assertTrue(references)
        for reference in references:
            target = self.document
            for part in reference.lstrip('#/').split('/'):
                target = target[part]  # KeyError names a dangling one
