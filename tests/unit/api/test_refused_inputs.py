"""Inputs that once took the API or the conductor down, or got a 5xx.

Each is refused with a 4xx in Magnum's error document, before anything is
recorded or cast.
"""

import fixtures
from oslo_serialization import jsonutils
import webob

from magnumlite.api import app
from magnumlite.common import context
from magnumlite.db import api as db_api
from tests.unit.api import base

ABOVE_INT64 = 2 ** 63 + 1


class TestCounts(base.ResourceTestCase):

    def setUp(self):
        super().setUp()
        self.create_template()

    def _clusters(self):
        return db_api.cluster_list(context.get_admin_context())

    def test_huge_node_counts_are_refused_before_anything_is_recorded(self):
        for body, detail in (
                ({'node_count': 7735901969592780800},
                 'Invalid input for field/attribute node_count. Value: '
                 '7735901969592780800. 7735901969592780800 is greater than '
                 'the maximum of 2147483647.'),
                ({'node_count': 14016},
                 'A cluster may have at most 100 nodes: master_count 1 plus '
                 'node_count 14016 is 14017.'),
                ({'node_count': 110602, 'master_count': 3},
                 'A cluster may have at most 100 nodes: master_count 3 plus '
                 'node_count 110602 is 110605.'),
                ({'master_count': 100},
                 'A cluster may have at most 100 nodes: master_count 100 '
                 'plus node_count 1 is 101.')):
            self.assertError(400, detail, self.call(
                '/v1/clusters', 'POST',
                dict(body, cluster_template_id='t1')))
        self.assertEqual([], self._clusters())
        self.conductor.cluster_create.assert_not_called()

    def test_the_limit_is_the_configured_one(self):
        self.conf_fixture.config(group='quotas', max_nodes_per_cluster=3)
        self.assertEqual(400, self.call('/v1/clusters', 'POST', {
            'cluster_template_id': 't1', 'node_count': 3}).status_int)
        self.create_cluster(node_count=2)

    def test_update_and_resize_beyond_the_limit(self):
        self.create_cluster()
        for path, method, body in (
                ('/v1/clusters/c1', 'PATCH', [{'op': 'replace',
                                               'path': '/node_count',
                                               'value': 14016}]),
                ('/v1/clusters/c1/actions/resize', 'POST',
                 {'node_count': 110602})):
            resp = self.call(path, method, body)
            self.assertEqual(400, resp.status_int, resp.body)
            self.assertIn('A cluster may have at most 100 nodes',
                          resp.json['errors'][0]['detail'])
            self.assertError(400, (
                'Invalid input for field/attribute node_count. Value: '
                '9223372036854775809. 9223372036854775809 is greater than '
                'the maximum of 2147483647.'), self.call(
                    path, method, [{'op': 'replace', 'path': '/node_count',
                                    'value': ABOVE_INT64}]
                    if method == 'PATCH' else {'node_count': ABOVE_INT64}))
        self.conductor.cluster_update.assert_not_called()
        self.assertEqual('CREATE_IN_PROGRESS', self._clusters()[0].status)

    def test_nodes_per_project(self):
        self.conf_fixture.config(group='quotas', max_nodes_per_project=5)
        self.create_cluster(name='a', node_count=2)  # 3 nodes
        db_api.cluster_update(context.get_admin_context(), 'a',
                              {'status': 'CREATE_COMPLETE'})
        self.assertError(
            403, 'Resource Limit Exceeded: You have reached the maximum '
                 'nodes per project, 5: its clusters have 3 nodes and the '
                 'request adds 3.',
            self.call('/v1/clusters', 'POST', {
                'cluster_template_id': 't1', 'name': 'b', 'node_count': 2}))
        # Another project's nodes are not counted.
        self.create_template(name='t2', project_id='p2')
        self.create_cluster(name='b', node_count=3, project_id='p2',
                            cluster_template_id='t2')
        # Growing counts only what is added; shrinking is always allowed.
        self.assertEqual(403, self.call(
            '/v1/clusters/a/actions/resize', 'POST',
            {'node_count': 5}).status_int)
        self.assertEqual(202, self.call(
            '/v1/clusters/a/actions/resize', 'POST',
            {'node_count': 4}).status_int)


class TestNumbers(base.ResourceTestCase):

    def test_integers_above_what_the_database_holds(self):
        self.create_template()
        for path, body in (
                ('/v1/quotas', {'project_id': 'p2', 'resource': 'Cluster',
                                'hard_limit': ABOVE_INT64}),
                ('/v1/clustertemplates', {'coe': 'kubernetes',
                                          'image_id': 'busybox',
                                          'docker_volume_size': ABOVE_INT64}),
                ('/v1/clusters', {'cluster_template_id': 't1',
                                  'docker_volume_size': ABOVE_INT64}),
                ('/v1/clusters', {'cluster_template_id': 't1',
                                  'create_timeout': str(ABOVE_INT64)})):
            resp = self.call(path, 'POST', body)
            self.assertEqual(400, resp.status_int, resp.body)
            self.assertIn('is greater than the maximum of 2147483647',
                          resp.json['errors'][0]['detail'])

    def test_query_integers_above_what_the_database_holds(self):
        for query in ('marker=%d' % ABOVE_INT64, 'limit=%d' % ABOVE_INT64,
                      'marker=1' + '0' * 5000, 'marker=-9999999999'):
            self.assertEqual(400, self.call('/v1/quotas?' + query).status_int,
                             query)

    def test_a_float_is_no_integer(self):
        resp = self.call('/v1/quotas', 'POST', {
            'project_id': 'p2', 'resource': 'Cluster', 'hard_limit': 645.0})
        self.assertError(400, "Invalid input for field/attribute hard_limit. "
                              "Value: 645.0. 645.0 is not of type "
                              "'integer'.", resp)

    def test_non_finite_numbers(self):
        for text in ('{"coe": "kubernetes", "image_id": "busybox", '
                     '"labels": {"a": NaN}}',
                     '{"coe": "kubernetes", "image_id": "busybox", '
                     '"labels": {"a": -Infinity}}',
                     '{"coe": "kubernetes", "image_id": "busybox", '
                     '"labels": {"a": 1e999}}'):
            resp = self.post_bytes('/v1/clustertemplates', text.encode())
            self.assertError(400, 'Malformed JSON in request body.', resp)
        # Labels as magnumclient sends them in a PATCH: a Python literal.
        self.create_template()
        resp = self.call('/v1/clustertemplates/t1', 'PATCH', [
            {'op': 'replace', 'path': '/labels', 'value': "{'a': 1e999}"}])
        self.assertEqual(400, resp.status_int, resp.body)
        self.assertEqual({}, self.call('/v1/clustertemplates/t1')
                         .json['labels'])


class TestBodies(base.ResourceTestCase):

    def test_deeply_nested_json(self):
        for depth in (11, 100000):
            resp = self.post_bytes('/v1/clusters',
                                   b'[' * depth + b']' * depth)
            self.assertError(400, 'The request body is nested deeper than '
                                  '10 levels.', resp)
        # Brackets inside strings do not nest.
        resp = self.post_bytes('/v1/clustertemplates',
                               jsonutils.dump_as_bytes({
                                   'coe': 'kubernetes', 'image_id': 'busybox',
                                   'name': 'x', 'labels': {'a': '[' * 50}}))
        self.assertEqual(201, resp.status_int, resp.body)

    def test_a_body_that_is_not_json(self):
        for content_type in ('text/plain', 'application/xml', None):
            resp = self.post_bytes('/v1/clusters',
                                   b'{"cluster_template_id": "t"}',
                                   content_type)
            self.assertEqual(415, resp.status_int, content_type)
            self.assertEqual('Unknown mimetype: %s' % (content_type or ''),
                             resp.json['errors'][0]['detail'])

    def test_labels_are_bounded(self):
        for labels, detail in (
                ({str(i): 'v' for i in range(101)},
                 'has too many properties'),
                ({'a': 'v' * 1025}, 'is too long'),
                ({'k' * 256: 'v'}, 'is too long')):
            resp = self.call('/v1/clustertemplates', 'POST', {
                'coe': 'kubernetes', 'image_id': 'busybox',
                'labels': labels})
            self.assertEqual(400, resp.status_int)
            self.assertIn(detail, resp.json['errors'][0]['detail'])
            # The value is not echoed whole.
            self.assertLess(len(resp.body), 1000)

    def test_server_group_policy_label_is_one_nova_knows(self):
        for path, body in (
                ('/v1/clustertemplates', {'coe': 'kubernetes',
                                          'image_id': 'busybox'}),
                ('/v1/clusters', {'cluster_template_id': 't1'})):
            resp = self.call(path, 'POST', dict(body, labels={
                'server_group_policies': 'spread-out'}))
            self.assertEqual(400, resp.status_int, resp.body)
            self.assertIn("'spread-out' is not one of",
                          resp.json['errors'][0]['detail'])
        resp = self.call('/v1/clustertemplates', 'POST', {
            'coe': 'kubernetes', 'image_id': 'busybox',
            'labels': {'server_group_policies': 'anti-affinity'}})
        self.assertEqual(201, resp.status_int, resp.body)

    def test_names_are_bounded(self):
        for path, body in (
                ('/v1/clustertemplates', {'coe': 'kubernetes',
                                          'image_id': 'busybox',
                                          'name': 'n' * 256}),
                ('/v1/clusters', {'cluster_template_id': 't1',
                                  'name': 'n' * 243})):
            self.assertEqual(400, self.call(path, 'POST', body).status_int)

    def test_bodies_above_the_size_limit_are_413(self):
        # The paste filter, in front of the API as in api-paste.ini.
        self.app = app.sizelimit_filter_factory({})(self.app)
        self.conf_fixture.config(group='oslo_middleware',
                                 max_request_body_size=1024)
        resp = self.call('/v1/clustertemplates', 'POST', {
            'coe': 'kubernetes', 'image_id': 'busybox',
            'labels': {'a': 'v' * 1000}})
        self.assertError(413, 'The body of your request was too large for '
                              'this server.', resp)
        self.assertEqual('Request Entity Too Large',
                         resp.json['errors'][0]['title'])
        # A chunked body, whose length is known only once read.
        req = webob.Request.blank('/v1/clustertemplates', method='POST')
        req.headers.update({'X-Roles': base.ADMIN, 'X-Project-Id': 'p1',
                            'Transfer-Encoding': 'chunked'})
        req.content_type = 'application/json'
        req.body_file = webob.request.io.BytesIO(b'{"a": "%s"}' % (
            b'v' * 2000))
        req.content_length = None
        resp = req.get_response(self.app)
        self.assertEqual(413, resp.status_int, resp.body)
        self.assertEqual('application/json', resp.content_type)


class TestPatchBodyFirst(base.ResourceTestCase):

    def test_a_patch_that_is_not_a_list_is_400_even_for_nothing(self):
        for path in ('/v1/clustertemplates/nothing', '/v1/clusters/nothing',
                     '/v1/baymodels/nothing', '/v1/bays/nothing'):
            resp = self.call(path, 'PATCH', {'op': 'replace'})
            self.assertEqual(400, resp.status_int, path)
            self.assertIn("is not of type 'array'",
                          resp.json['errors'][0]['detail'])
        self.assertEqual(400, self.call('/v1/clusters/nothing/actions/resize',
                                        'POST', {'node_count': -1})
                         .status_int)
        # A valid patch for nothing is a 404.
        self.assertEqual(404, self.call(
            '/v1/clusters/nothing', 'PATCH',
            [{'op': 'replace', 'path': '/node_count', 'value': 2}])
            .status_int)


class TestQuotas(base.ResourceTestCase):

    def _create(self, **values):
        return self.call('/v1/quotas', 'POST', dict(
            {'project_id': 'p2', 'resource': 'Cluster', 'hard_limit': 3},
            **values))

    def test_a_missing_quota_is_not_created_by_patch(self):
        self.assertError(404, 'Quota could not be found: project_id p2 '
                              'resource Cluster.', self.call(
                                  '/v1/quotas/p2/Cluster', 'PATCH',
                                  {'hard_limit': 5}))
        self.assertEqual([], self.call('/v1/quotas?all_tenants=True')
                         .json['quotas'])
        self.assertEqual(404, self.call('/v1/quotas/p2/Cluster',
                                        'DELETE').status_int)

    def test_project_ids_nobody_could_use(self):
        for project_id in ('a/b', 'p\x01', 'p\n', 'é', '', 'x' * 65):
            resp = self._create(project_id=project_id)
            self.assertEqual(400, resp.status_int, project_id)
            self.assertIn('Invalid input for field/attribute project_id',
                          resp.json['errors'][0]['detail'])

    def test_unknown_resources(self):
        self.assertEqual(400, self._create(resource='Pod').status_int)
        for method in ('GET', 'PATCH', 'DELETE'):
            resp = self.call('/v1/quotas/p1/Pod', method,
                             {'hard_limit': 1} if method == 'PATCH' else None)
            self.assertError(400, 'Invalid input for field/attribute '
                                  'resource. Value: "Pod". \'Pod\' is not '
                                  'one of [\'Cluster\'].', resp)

    def test_projects_keystone_does_not_know(self):
        self.assertError(404, 'The project_id nobody could not be found.',
                         self._create(project_id='nobody'))
        self.assertError(404, 'The project_id nobody could not be found.',
                         self.call('/v1/quotas/nobody/Cluster'))
        self.assertEqual(201, self._create().status_int)


class TestReferences(base.ResourceTestCase):
    """Template and cluster references, looked up in the cloud."""

    TEMPLATE = {'coe': 'kubernetes', 'image_id': 'busybox',
                'flavor_id': 'm1.tiny', 'master_flavor_id': 'm1.small',
                'keypair_id': 'default', 'external_network_id': 'public',
                'fixed_network': 'private', 'fixed_subnet': 'private-subnet'}

    def test_template_create_names_the_field_in_magnums_words(self):
        for field, value, words in (
                ('image_id', 'nope', 'Image nope could not be found.'),
                ('flavor_id', 'm1.huge', 'Unable to find flavor m1.huge.'),
                ('master_flavor_id', 'm1.huge',
                 'Unable to find flavor m1.huge.'),
                ('keypair_id', 'nope', 'Unable to find keypair nope.'),
                ('external_network_id', 'private',
                 'Unable to find external network private.'),
                ('external_network_id', 'nope',
                 'Unable to find external network nope.'),
                ('fixed_network', 'nope', 'Unable to find fixed network '
                                          'nope.'),
                ('fixed_subnet', 'nope', 'Unable to find fixed subnet '
                                         'nope.')):
            self.assertError(
                400, 'Invalid input for field/attribute %s. %s'
                     % (field, words),
                self.call('/v1/clustertemplates', 'POST',
                          dict(self.TEMPLATE, **{field: value})))
        self.assertEqual([], self.call('/v1/clustertemplates')
                         .json['clustertemplates'])

    def test_what_exists_is_accepted_by_name_or_id(self):
        self.create_template(**self.TEMPLATE)
        self.create_template(name='by-id', image_id=base.IMAGE_ID,
                             external_network_id=base.PUBLIC_ID,
                             fixed_network=base.PRIVATE_ID, flavor_id='1')

    def test_template_update_checks_what_it_changes(self):
        self.create_template(**self.TEMPLATE)
        self.assertError(
            400, 'Invalid input for field/attribute keypair_id. Unable to '
                 'find keypair other.', self.call(
                     '/v1/clustertemplates/t1', 'PATCH',
                     [{'op': 'replace', 'path': '/keypair_id',
                       'value': 'other'}]))
        # A reference that went away since is not what the patch changes.
        self.cloud.images[:] = []
        resp = self.call('/v1/clustertemplates/t1', 'PATCH', [
            {'op': 'replace', 'path': '/flavor_id', 'value': 'm1.small'}])
        self.assertEqual(200, resp.status_int, resp.body)

    def test_cluster_create_checks_its_overrides(self):
        self.create_template(**self.TEMPLATE)
        for field, value, words in (
                ('flavor_id', 'm1.huge', 'Unable to find flavor m1.huge.'),
                ('master_flavor_id', 'm1.huge',
                 'Unable to find flavor m1.huge.'),
                ('keypair', 'nope', 'Unable to find keypair nope.'),
                ('fixed_network', 'nope', 'Unable to find fixed network '
                                          'nope.')):
            self.assertError(
                400, 'Invalid input for field/attribute %s. %s'
                     % (field, words),
                self.call('/v1/clusters', 'POST', {
                    'cluster_template_id': 't1', field: value}))
        self.conductor.cluster_create.assert_not_called()
        self.create_cluster(flavor_id='m1.small', keypair='default')

    def test_a_name_several_networks_have_is_a_conflict(self):
        self.cloud.networks.append(base._named(
            id='0d9a4c1e-97a4-4d5e-a3e1-6a0f3b5d2c11', name='private',
            is_router_external=False))
        self.assertError(
            409, "Multiple networks exist with same name 'private'. Please "
                 "use the network ID instead.",
            self.call('/v1/clustertemplates', 'POST', self.TEMPLATE))

    def test_a_service_that_does_not_answer_is_503(self):
        self.useFixture(fixtures.MockPatch(
            'magnumlite.common.clients.openstack_sdk',
            side_effect=ConnectionError('glance down')))
        self.assertError(
            503, 'Could not check image_id: the service that has it did not '
                 'answer', self.call('/v1/clustertemplates', 'POST',
                                     self.TEMPLATE))
        self.assertNotIn('glance down', self.call(
            '/v1/clustertemplates', 'POST', self.TEMPLATE).body.decode())


class TestCoeDrivers(base.ResourceTestCase):

    def test_the_coes_default_network_driver_is_stored(self):
        for coe, driver in (('kubernetes', 'flannel'), ('swarm', 'docker'),
                            ('swarm-mode', 'docker')):
            self.assertEqual(driver, self.create_template(
                name=coe, coe=coe)['network_driver'])
        # and given back when a patch removes it
        resp = self.call('/v1/clustertemplates/kubernetes', 'PATCH', [
            {'op': 'replace', 'path': '/network_driver', 'value': 'calico'}])
        self.assertEqual('calico', resp.json['network_driver'])
        resp = self.call('/v1/clustertemplates/kubernetes', 'PATCH', [
            {'op': 'remove', 'path': '/network_driver'}])
        self.assertEqual('flannel', resp.json['network_driver'])

    def test_drivers_the_coe_does_not_support(self):
        for coe, field, driver, detail in (
                ('kubernetes', 'network_driver', 'docker',
                 'Network driver type docker is not supported, expecting a '
                 'flannel/calico/unspecified network driver.'),
                ('swarm', 'network_driver', 'calico',
                 'Network driver type calico is not supported, expecting a '
                 'docker/flannel/unspecified network driver.'),
                ('kubernetes', 'volume_driver', 'rexray',
                 'Volume driver type rexray is not supported, expecting a '
                 'cinder/unspecified volume driver.'),
                ('swarm-mode', 'volume_driver', 'cinder',
                 'Volume driver type cinder is not supported, expecting a '
                 'rexray/unspecified volume driver.')):
            self.assertError(400, detail, self.call(
                '/v1/clustertemplates', 'POST', {
                    'coe': coe, 'image_id': 'busybox', field: driver}))
        self.create_template(coe='kubernetes', volume_driver='cinder')
        # A patch that changes the COE is checked with the new one.
        self.assertError(
            400, 'Volume driver type cinder is not supported, expecting a '
                 'rexray/unspecified volume driver.',
            self.call('/v1/clustertemplates/t1', 'PATCH', [
                {'op': 'replace', 'path': '/coe', 'value': 'swarm'}]))


class TestClusterId(base.ResourceTestCase):

    def test_from_1_13_every_cluster_has_its_uuid_as_cluster_id(self):
        self.create_template()
        uuid = self.create_cluster()
        for path in ('/v1/clusters/c1', '/v1/clusters', '/v1/clusters/detail'):
            shown = self.call(path).json
            shown = shown.get('clusters', [shown])[0]
            self.assertEqual(uuid, shown['cluster_id'], path)
            self.assertNotIn('stack_id', shown)
        old = self.call('/v1/clusters/c1', version='1.12').json
        self.assertNotIn('cluster_id', old)
        self.assertIsNone(old['stack_id'])
