"""/v1/bays and /v1/baymodels: clusters and templates under Magnum's old names.

What a client of the legacy names sees differs from the cluster and
template it is: other collection keys and links, older attribute names,
fewer attributes, other request bodies and, for a bay create before 1.2,
another answer.
"""

from magnumlite.db import api as db_api
from tests.unit.api import base
from tests.unit.api import test_clusters

BAY_SUMMARY = {'uuid', 'name', 'baymodel_id', 'node_count', 'status',
               'bay_create_timeout', 'master_count', 'stack_id', 'links'}


class TestBays(test_clusters.ClusterTestCase):

    def setUp(self):
        super().setUp()
        self.b1 = self.call('/v1/bays', 'POST', {
            'name': 'b1', 'baymodel_id': 't1', 'bay_create_timeout': 5,
            'node_count': 2}).json['uuid']
        self.b2 = self.create_cluster(name='b2')
        master = db_api.node_create(self.admin, self.b1,
                                    {'role': 'master', 'name': 'b1-master-0'})
        db_api.node_update(self.admin, master.uuid,
                           {'addresses': ['10.0.0.2'],
                            'fault': 'No valid host was found.'})

    def test_create_is_recorded_as_a_cluster_and_cast(self):
        row = db_api.cluster_get(self.admin, self.b1)
        self.assertEqual(
            ('b1', self.template['uuid'], 5, 2, 1, 'CREATE_IN_PROGRESS',
             {'a': '1', 'b': '2'}, 'default'),
            (row.name, row.cluster_template_id, row.create_timeout,
             row.node_count, row.master_count, row.status, row.labels,
             row.keypair))
        self.assertEqual(self.b1,
                         self.conductor.cluster_create.call_args_list[0]
                         .args[1])

    def test_create_takes_the_old_names_only(self):
        for body, detail in [
                ({'cluster_template_id': 't1'},
                 'Mandatory field missing: baymodel_id.'),
                ({'baymodel_id': 't1', 'create_timeout': 5},
                 'Unknown attribute(s): create_timeout.'),
                ({'baymodel_id': 't1', 'merge_labels': True},
                 'Unknown attribute(s): merge_labels.'),
                ({'baymodel_id': 't1', 'fixed_network': 'private'},
                 'Unknown attribute(s): fixed_network.'),
                ({'baymodel_id': 't1', 'node_count': 0},
                 'Invalid input for field/attribute node_count. Value: 0. '
                 '0 is less than the minimum of 1.'),
        ]:
            self.assertError(400, detail, self.call('/v1/bays', 'POST', body))

    def test_list_is_the_bay_summary(self):
        for version in ('1.1', '1.13', 'latest'):
            resp = self.call('/v1/bays', roles=base.READER, version=version)
            self.assertEqual(200, resp.status_int, resp.body)
            [b1, b2] = resp.json['bays']
            self.assertEqual(BAY_SUMMARY, set(b1))
            self.assertEqual(
                ('b1', self.template['uuid'], 5, 'b2', 60),
                (b1['name'], b1['baymodel_id'], b1['bay_create_timeout'],
                 b2['name'], b2['bay_create_timeout']))
            self.assertEqual(
                [{'href': 'http://localhost/v1/bays/%s' % self.b1,
                  'rel': 'self'},
                 {'href': 'http://localhost/bays/%s' % self.b1,
                  'rel': 'bookmark'}], b1['links'])

    def test_detail_has_the_old_names_addresses_and_faults(self):
        [b1, _] = self.call('/v1/bays/detail', version='1.13').json['bays']
        self.assertEqual(
            (self.template['uuid'], 5,
             {'b1-master-0': 'No valid host was found.'}, ['10.0.0.2'], []),
            (b1['baymodel_id'], b1['bay_create_timeout'], b1['bay_faults'],
             b1['master_addresses'], b1['node_addresses']))
        for renamed in ('cluster_template_id', 'create_timeout', 'faults',
                        'cluster_id', 'labels_added'):
            self.assertNotIn(renamed, b1)
        self.assertIn('stack_id', b1)

    def test_show_has_the_old_names_and_the_label_differences(self):
        shown = self.call('/v1/bays/b1', version='1.13').json
        self.assertEqual(
            (self.b1, self.template['uuid'], 5, {}, {}, {}, None),
            (shown['uuid'], shown['baymodel_id'],
             shown['bay_create_timeout'], shown['labels_overridden'],
             shown['labels_added'], shown['labels_skipped'],
             shown['stack_id']))
        self.assertEqual('http://localhost/v1/bays/%s' % self.b1,
                         shown['links'][0]['href'])
        self.assertEqual(shown, self.call('/v1/bays/%s' % self.b1,
                                          version='1.13').json)

    def test_a_full_page_links_the_next_bays(self):
        resp = self.call('/v1/bays/detail?limit=1&status=CREATE_IN_PROGRESS')
        self.assertEqual(
            'http://localhost/v1/bays/detail?status=CREATE_IN_PROGRESS&'
            'sort_key=id&sort_dir=asc&limit=1&marker=%s' % self.b1,
            resp.json['next'])

    def test_update_resizes_with_rollback_from_1_3(self):
        self.set_status(self.b1, 'CREATE_COMPLETE')
        resp = self.call('/v1/bays/b1?rollback=True', 'PATCH',
                         [{'op': 'replace', 'path': '/node_count',
                           'value': 3}], version='1.3')
        self.assertEqual((202, {'uuid': self.b1}),
                         (resp.status_int, resp.json))
        row = db_api.cluster_get(self.admin, self.b1)
        self.assertEqual(('UPDATE_IN_PROGRESS', 2),
                         (row.status, row.rollback_node_count))
        self.assertEqual((self.b1, 3),
                         self.conductor.cluster_update.call_args.args[1:])

    def test_delete(self):
        self.assertEqual(204, self.call('/v1/bays/b1', 'DELETE').status_int)
        self.assertEqual('DELETE_IN_PROGRESS',
                         db_api.cluster_get(self.admin, self.b1).status)
        self.assertError(404, 'Cluster b1x could not be found.',
                         self.call('/v1/bays/b1x', 'DELETE'))


class TestBaymodels(base.ResourceTestCase):

    def test_create_answers_the_baymodel_at_its_old_location(self):
        resp = self.call('/v1/baymodels', 'POST', {
            'name': 'bm1', 'coe': 'swarm-mode', 'image_id': 'busybox'})

        self.assertEqual(201, resp.status_int, resp.body)
        body = resp.json
        self.assertEqual('http://localhost/v1/baymodels/%s' % body['uuid'],
                         resp.location)
        self.assertEqual(
            [{'href': 'http://localhost/v1/baymodels/%s' % body['uuid'],
              'rel': 'self'},
             {'href': 'http://localhost/baymodels/%s' % body['uuid'],
              'rel': 'bookmark'}], body['links'])
        for newer in ('hidden', 'tags', 'driver'):
            self.assertNotIn(newer, body)
        self.assertEqual(('bm1', 'docker'),
                         (body['name'], body['network_driver']))
        template = self.call('/v1/clustertemplates/bm1').json
        self.assertEqual((body['uuid'], False, None),
                         (template['uuid'], template['hidden'],
                          template['tags']))

    def test_create_refuses_what_baymodels_never_had(self):
        for newer in ('hidden', 'tags', 'driver'):
            self.assertError(
                400, 'Unknown attribute(s): %s.' % newer,
                self.call('/v1/baymodels', 'POST', {
                    'coe': 'swarm-mode', 'image_id': 'busybox',
                    newer: 'x'}))

    def test_list_show_update_delete(self):
        template = self.create_template(name='t1', tags='a')
        self.create_template(name='t2')

        resp = self.call('/v1/baymodels/detail?limit=1')
        [listed] = resp.json['baymodels']
        self.assertEqual('http://localhost/v1/baymodels/detail?sort_key=id&'
                         'sort_dir=asc&limit=1&marker=%s' % template['uuid'],
                         resp.json['next'])
        shown = self.call('/v1/baymodels/t1').json
        self.assertEqual(listed, shown)
        self.assertNotIn('tags', shown)

        resp = self.call('/v1/baymodels/t1', 'PATCH', [
            {'op': 'replace', 'path': '/labels', 'value': {'k': 'v'}}])
        self.assertEqual((200, {'k': 'v'}),
                         (resp.status_int, resp.json['labels']))
        self.assertNotIn('tags', resp.json)
        self.assertEqual(
            'a', self.call('/v1/clustertemplates/t1').json['tags'])

        self.assertEqual(204,
                         self.call('/v1/baymodels/t1', 'DELETE').status_int)
        self.assertError(404, 'ClusterTemplate t1 could not be found.',
                         self.call('/v1/baymodels/t1'))
