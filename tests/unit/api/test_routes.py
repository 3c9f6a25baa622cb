"""The route table against what is derived from it and what it declares.

The router, the OpenAPI document and the policy rules' operations all come
from magnumlite.api.routes.ROUTES; these tests fail if one of them
disagrees with the table, or the table with the handlers.
"""

import re

import fixtures
import webob

from magnumlite.api import app
from magnumlite.api import errors
from magnumlite.api import handler
from magnumlite.api import microversion
from magnumlite.api import openapi
from magnumlite.api import routes
from magnumlite.common import policies
from magnumlite.common import policy
from tests.unit.api import base
from tests.unit import base as unit_base
from tests.unit import test_x509


def _routed():
    """{(path, method)} as the Routes mapper has them, 405 fallbacks aside."""
    mapper = handler.make_map(routes.ROUTES)
    return {(route.routepath, method)
            for route in mapper.matchlist if route.conditions
            for method in route.conditions['method']}


def _example(path):
    """path with a value in each variable (none of them "detail")."""
    return re.sub(r'{(\w+)}', r'v-\1', path)


def _documented_operations():
    """{rule name: [(path, method)]} of the policy defaults."""
    return {rule.name: [(op['path'], op['method'])
                        for op in rule.operations]
            for rule in policies.list_rules() if ':' in rule.name}


class TestTable(unit_base.TestCase):

    def test_every_route_declares_its_access(self):
        registered = {rule.name for rule in policies.list_rules()}
        for route in routes.ROUTES:
            if route.policy in (routes.PUBLIC, routes.ANY_TOKEN):
                continue
            self.assertIsInstance(route.policy, tuple, route)
            self.assertTrue(route.policy, route)
            self.assertLessEqual(set(route.policy), registered, route)

    def test_each_path_and_method_once(self):
        operations = [(route.path, route.method) for route in routes.ROUTES]
        self.assertEqual(len(set(operations)), len(operations))

    def test_router_serves_the_table(self):
        self.assertEqual(
            {(route.path, route.method) for route in routes.ROUTES},
            _routed())
        mapper = handler.make_map(routes.ROUTES)
        for route in routes.ROUTES:
            match = mapper.match(_example(route.path),
                                 environ={'REQUEST_METHOD': route.method})
            # Not a path declared before it ("detail" before "{ident}").
            self.assertEqual('%s %s' % (route.method, route.path),
                             match['_route'])

    def test_every_routed_operation_is_a_rules_operation_or_declared(self):
        documented = _documented_operations()
        by_operation = {(route.path, route.method): route
                        for route in routes.ROUTES}
        for operation in _routed():
            route = by_operation[operation]
            if route.policy in (routes.PUBLIC, routes.ANY_TOKEN):
                continue
            for rule in route.policy:
                self.assertIn(operation, documented[rule], rule)

    def test_every_rules_operation_is_routed_and_checks_it(self):
        routed = _routed()
        by_operation = {(route.path, route.method): route
                        for route in routes.ROUTES}
        for rule, operations in _documented_operations().items():
            self.assertTrue(operations, rule)
            for operation in operations:
                self.assertIn(operation, routed, rule)
                self.assertIn(rule, by_operation[operation].rules)

    def test_public_paths_are_public_for_every_method(self):
        # The auth middleware lets a public path through by its path only.
        for path, path_routes in routes.paths().items():
            public = {route.policy == routes.PUBLIC for route in path_routes}
            self.assertEqual(1, len(public), path)
            self.assertEqual(public == {True},
                             path in handler.PUBLIC_ROUTES, path)
        self.assertEqual(('/', '/v1'), handler.PUBLIC_ROUTES)

    def test_document_describes_the_table(self):
        paths = openapi.build()['paths']
        self.assertEqual(
            {(path, method.upper()) for path, item in paths.items()
             for method in item if method != 'parameters'},
            _routed())
        for route in routes.ROUTES:
            item = paths[route.path]
            self.assertEqual(route.variables, [
                parameter['name']
                for parameter in item.get('parameters', [])], route.path)
            operation = item[route.method.lower()]
            responses = set(operation['responses'])
            self.assertEqual(route.policy != routes.PUBLIC,
                             '401' in responses, route)
            self.assertEqual(bool(route.rules), '403' in responses, route)
            self.assertEqual(route.since is not None, '406' in responses,
                             route)
            self.assertEqual(route.body is not None, '413' in responses,
                             route)
            self.assertEqual(route.deprecated,
                             operation.get('deprecated', False), route)

    def test_a_gated_operation_says_since_when(self):
        paths = openapi.build()['paths']
        for route in routes.ROUTES:
            self.assertEqual(route.since is not None,
                             '{since}' in route.summary, route)
            if route.since is not None:
                self.assertIn(route.since, microversion.VERSIONS, route)
                self.assertIn('(%s)' % route.since,
                              paths[route.path][route.method.lower()][
                                  'summary'])


def _echo(req):
    return webob.Response(json_body={'urlvars': req.urlvars})


def _require_1_5(req):
    """How a handler refused a version below its own before the table."""
    microversion.require(req, '1.5')
    return _echo(req)


class TestMicroversionGate(unit_base.APITestCase):

    def setUp(self):
        super().setUp()
        self.called = []

        def gated(req):
            self.called.append(req.urlvars)
            return _echo(req)

        self.app = errors.FaultWrapper(microversion.MicroversionMiddleware(
            handler.MagnumliteHandler([
                routes.Route('/v1/gated/{ident}', 'POST', gated,
                             policy=routes.ANY_TOKEN, summary='', status=200,
                             response='', since='1.5'),
                routes.Route('/v1/in-handler/{ident}', 'POST', _require_1_5,
                             policy=routes.ANY_TOKEN, summary='', status=200,
                             response=''),
            ])))

    def _post(self, path, version):
        return self.request(path, method='POST', headers={
            microversion.VERSION_HEADER: 'container-infra ' + version})

    def test_below_the_minimum_is_refused_as_the_handlers_did(self):
        for version in ('1.1', '1.4'):
            resp = self._post('/v1/gated/x', version)
            old = self._post('/v1/in-handler/x', version)
            self.assertEqual(406, resp.status_int)
            self.assertEqual(old.status, resp.status)
            self.assertEqual(old.json, resp.json)
            self.assertEqual(
                'Version %s was requested but the requested API is not '
                'supported for this version.' % version,
                resp.json['errors'][0]['detail'])
            self.assertEqual(sorted(old.headerlist), sorted(resp.headerlist))
        self.assertEqual([], self.called)

    def test_from_the_minimum_the_handler_runs(self):
        for version in ('1.5', '1.13', 'latest'):
            resp = self._post('/v1/gated/x', version)
            self.assertEqual(200, resp.status_int, resp.body)
            self.assertEqual({'urlvars': {'ident': 'x'}}, resp.json)
        self.assertEqual(3, len(self.called))

    def test_a_method_the_path_lacks_is_405_at_any_version(self):
        resp = self.request('/v1/gated/x', method='GET', headers={
            microversion.VERSION_HEADER: 'container-infra 1.1'})
        self.assertEqual(405, resp.status_int)
        self.assertEqual('POST', resp.headers['Allow'])

    def test_every_gated_route_refuses_the_version_before(self):
        self.app = app.app_factory({})  # the real table
        for route in routes.ROUTES:
            if route.since is None:
                continue
            before = microversion.VERSIONS[
                microversion.VERSIONS.index(route.since) - 1]
            resp = self.request(_example(route.path), method=route.method,
                                headers={microversion.VERSION_HEADER:
                                         'container-infra ' + before})
            self.assertEqual(406, resp.status_int, route)
            self.assertEqual(
                'Version %s was requested but the requested API is not '
                'supported for this version.' % before,
                resp.json['errors'][0]['detail'], route)


# A request body each route's handler gets past its validation with, so
# that it reaches every policy check it makes (the routes are called in
# the table's order, on one template t1 and one cluster).
_TEMPLATE = {'name': 't2', 'coe': 'kubernetes', 'image_id': 'busybox',
             'flavor_id': 'm1.tiny', 'public': True}
# Hidden and shown again: a public template would be shown without a check.
_HIDE = [{'op': 'replace', 'path': '/hidden', 'value': True}]
_SHOW = [{'op': 'replace', 'path': '/hidden', 'value': False}]
_NODE_COUNT = [{'op': 'replace', 'path': '/node_count', 'value': 2}]
_BODIES = {
    ('POST', '/v1/clustertemplates'): _TEMPLATE,
    ('PATCH', '/v1/clustertemplates/{cluster_template_ident}'): _HIDE,
    ('POST', '/v1/clusters'): {'name': 'c2', 'cluster_template_id': 't1'},
    ('PATCH', '/v1/clusters/{cluster_ident}'): _NODE_COUNT,
    ('POST', '/v1/clusters/{cluster_ident}/actions/resize'): {
        'node_count': 2},
    ('POST', '/v1/baymodels'): dict(_TEMPLATE, name='bm2'),
    ('PATCH', '/v1/baymodels/{cluster_template_ident}'): _SHOW,
    ('POST', '/v1/bays'): {'name': 'b2', 'baymodel_id': 't1'},
    ('PATCH', '/v1/bays/{cluster_ident}'): _NODE_COUNT,
    ('POST', '/v1/quotas'): {'project_id': 'p1', 'resource': 'Cluster',
                             'hard_limit': 5},
    ('PATCH', '/v1/quotas/{project_id}/{resource}'): {'hard_limit': 6},
}


class TestRulesAreTheHandlers(base.ResourceTestCase):
    """Each route's rules are those its handler checks."""

    def setUp(self):
        super().setUp()
        self.create_template()
        self.uuid = self.create_cluster()
        self.checked = []
        authorize = policy.authorize

        def recording(context, action, target=None):
            self.checked.append(action)
            return authorize(context, action, target)

        self.useFixture(fixtures.MockPatch(
            'magnumlite.common.policy.authorize', side_effect=recording))

    def _path(self, route):
        values = {'cluster_template_ident': 't1', 'cluster_ident': self.uuid,
                  'node_ident': 'n1', 'nodegroup_ident': 'default-worker',
                  'project_id': 'p1', 'resource': 'Cluster'}
        path = route.path
        for name in route.variables:
            path = path.replace('{%s}' % name, values[name])
        return path

    def test_a_route_checks_the_rules_it_declares(self):
        bodies = dict(_BODIES)
        bodies['POST', '/v1/certificates'] = {'cluster_uuid': self.uuid,
                                              'csr': test_x509.csr()}
        for route in routes.ROUTES:
            del self.checked[:]
            resp = self.call(self._path(route), route.method,
                             bodies.get((route.method, route.path)))
            self.assertLess(resp.status_int, 500, (route, resp.body))
            self.assertEqual(sorted(route.rules), sorted(set(self.checked)),
                             (route, resp.body))
