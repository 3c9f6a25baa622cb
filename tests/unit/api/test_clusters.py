import datetime

import fixtures

from magnumlite.api.handlers import cluster
from magnumlite.api.handlers import legacy
from magnumlite.common import context
from magnumlite.db import api as db_api
from tests.unit.api import base
from tests.unit import base as unit_base
from tests.unit.db import test_clusters as db_statements

T0 = datetime.datetime(2025, 1, 1, 12, 0, 0)


class ClusterTestCase(base.ResourceTestCase):

    def setUp(self):
        super().setUp()
        self.clock = self.useFixture(unit_base.Clock(T0))
        self.admin = context.get_admin_context()
        self.template = self.create_template(
            labels={'a': '1', 'b': '2'}, keypair_id='default',
            master_flavor_id='m1.small')

    def set_status(self, uuid, status):
        db_api.cluster_update(self.admin, uuid, {'status': status})


class TestCreate(ClusterTestCase):

    def test_accepted_recorded_and_cast(self):
        uuid = self.create_cluster(node_count=2, labels={'b': '3', 'c': '4'},
                                   merge_labels=True, roles=base.MEMBER)

        row = db_api.cluster_get(self.admin, uuid)
        self.assertEqual(
            ('c1', 'p1', 'u-p1', self.template['uuid'], 'CREATE_IN_PROGRESS',
             T0, 2, 1, 60, 'default', 'm1.tiny', 'm1.small',
             {'a': '1', 'b': '3', 'c': '4'}, None),
            (row.name, row.project_id, row.user_id, row.cluster_template_id,
             row.status, row.operation_started_at, row.node_count,
             row.master_count, row.create_timeout, row.keypair,
             row.flavor_id, row.master_flavor_id, row.labels, row.stack_id))
        [call] = self.conductor.cluster_create.call_args_list
        self.assertEqual(uuid, call.args[1])
        self.assertEqual('p1', call.args[0].project_id)

    def test_labels_replace_the_templates_unless_merged(self):
        uuid = self.create_cluster(labels={'c': '4'})
        self.assertEqual({'c': '4'},
                         db_api.cluster_get(self.admin, uuid).labels)

    def test_template_must_be_visible(self):
        self.create_template(name='theirs', project_id='p2', roles=base.MEMBER)

        resp = self.call('/v1/clusters', 'POST',
                         {'cluster_template_id': 'theirs'}, roles=base.MEMBER)

        self.assertError(400, 'ClusterTemplate theirs could not be found.',
                         resp)
        self.conductor.cluster_create.assert_not_called()

    def test_bad_input_names_the_field(self):
        for body, detail in [
                ({'cluster_template_id': 't1', 'node_count': -1},
                 'Invalid input for field/attribute node_count. Value: -1. '
                 '-1 is less than the minimum of 0.'),
                ({'cluster_template_id': 't1', 'name': '1bad'},
                 'Invalid input for field/attribute name. Value: "1bad". '
                 "'1bad' does not match '^[a-zA-Z][a-zA-Z0-9_.-]*$'."),
                ({'cluster_template_id': 't1', 'stack_id': 'x'},
                 'Unknown attribute(s): stack_id.'),
                ({'name': 'x'},
                 'Mandatory field missing: cluster_template_id.'),
        ]:
            self.assertError(400, detail, self.call('/v1/clusters', 'POST',
                                                    body))

    def test_magnum_uis_body_every_value_a_string(self):
        # What magnum-ui 19's create form sends (through magnumclient 4):
        # each value str()-ed, None as "", labels from the form's fields.
        resp = self.call('/v1/clusters', 'POST', {
            'discovery_url': '', 'create_timeout': '60', 'name': 'ui',
            'cluster_template_id': 't1', 'keypair': 'default',
            'labels': {'availability_zone': 'nova',
                       'auto_scaling_enabled': False},
            'master_lb_enabled': 'False', 'master_count': '1',
            'master_flavor_id': 'm1.tiny', 'node_count': '2',
            'flavor_id': 'm1.tiny'}, version='1.13')
        self.assertEqual(202, resp.status_int, resp.body)
        shown = self.call('/v1/clusters/ui').json
        self.assertEqual(
            (60, 1, 2, False, 'nova'),
            (shown['create_timeout'], shown['master_count'],
             shown['node_count'], shown['master_lb_enabled'],
             shown['labels']['availability_zone']))

    def test_no_workers_only_from_1_10(self):
        self.assertEqual(202, self.call('/v1/clusters', 'POST', {
            'cluster_template_id': 't1', 'node_count': 0},
            version='1.10').status_int)
        self.assertEqual(400, self.call('/v1/clusters', 'POST', {
            'cluster_template_id': 't1', 'node_count': 0},
            version='1.9').status_int)

    def test_quota_from_config_then_from_quotas(self):
        self.conf_fixture.config(group='quotas', max_clusters_per_project=1)
        self.create_cluster()

        resp = self.call('/v1/clusters', 'POST',
                         {'cluster_template_id': 't1'})
        self.assertError(
            403, 'Resource Limit Exceeded: You have reached the maximum '
                 'clusters per project, 1. You may delete a cluster to make '
                 'room for a new one.', resp)
        # Another project has its own count.
        self.create_template(name='t2', project_id='p2', roles=base.MEMBER)
        self.create_cluster(project_id='p2', cluster_template_id='t2')

        db_api.quota_create(self.admin, {'project_id': 'p1',
                                         'resource': 'Cluster',
                                         'hard_limit': 2})
        self.create_cluster(name='c2')

    def test_create_racing_past_the_quota_check_is_undone(self):
        self.conf_fixture.config(group='quotas', max_clusters_per_project=1)
        create = db_api.cluster_create

        def another_worker_first(context, values):
            # Another API worker's create lands between this request's
            # quota check and its insert.
            create(context, dict(values, uuid='racer-uuid', name='racer'))
            self.cluster_create.side_effect = create
            return create(context, values)
        self.cluster_create = self.useFixture(fixtures.MockPatch(
            'magnumlite.db.api.cluster_create',
            side_effect=another_worker_first)).mock

        resp = self.call('/v1/clusters', 'POST',
                         {'cluster_template_id': 't1', 'name': 'late'})

        self.assertError(
            403, 'Resource Limit Exceeded: You have reached the maximum '
                 'clusters per project, 1. You may delete a cluster to make '
                 'room for a new one.', resp)
        self.assertEqual(['racer'], [c.name for c in db_api.cluster_list(
            self.admin, {'project_id': 'p1'})])
        self.conductor.cluster_create.assert_not_called()


class TestListAndShow(ClusterTestCase):

    def setUp(self):
        super().setUp()
        self.c1 = self.create_cluster(name='c1')
        self.c2 = self.create_cluster(name='c2')
        self.create_template(name='t2', project_id='p2', roles=base.MEMBER)
        self.theirs = self.create_cluster(name='theirs', project_id='p2',
                                          cluster_template_id='t2')
        self.set_status(self.c2, 'CREATE_FAILED')
        master = db_api.node_create(self.admin, self.c2,
                                    {'role': 'master', 'name': 'c2-master-0'})
        db_api.node_update(self.admin, master.uuid,
                           {'addresses': ['10.0.0.2'],
                            'fault': 'No valid host was found.'})
        worker = db_api.node_create(self.admin, self.c2,
                                    {'role': 'worker', 'name': 'c2-node-0'})
        db_api.node_update(self.admin, worker.uuid,
                           {'addresses': ['10.0.0.3', 'fd00::3']})

    def _names(self, resp):
        self.assertEqual(200, resp.status_int, resp.body)
        return [c['name'] for c in resp.json['clusters']]

    def test_list_shows_magnums_summary_of_own_project(self):
        resp = self.call('/v1/clusters', roles=base.READER)

        self.assertEqual(['c1', 'c2'], self._names(resp))
        self.assertEqual(
            {'uuid', 'name', 'cluster_template_id', 'keypair',
             'docker_volume_size', 'labels', 'node_count', 'status',
             'master_flavor_id', 'flavor_id', 'create_timeout',
             'master_count', 'cluster_id', 'health_status', 'project_id',
             'links'},
            set(resp.json['clusters'][0]))

    def test_cluster_id_replaces_stack_id_from_1_13(self):
        for version, present, absent in (('1.12', 'stack_id', 'cluster_id'),
                                         ('1.13', 'cluster_id', 'stack_id')):
            for path in ('/v1/clusters', '/v1/clusters/detail'):
                [first, _] = self.call(path, roles=base.READER,
                                       version=version).json['clusters']
                self.assertIn(present, first)
                self.assertNotIn(absent, first)
            shown = self.call('/v1/clusters/c1', roles=base.READER,
                              version=version).json
            self.assertIn(present, shown)
            self.assertNotIn(absent, shown)
        # Bays keep the old name at every version.
        [bay, _] = self.call('/v1/bays', roles=base.READER).json['bays']
        self.assertIn('stack_id', bay)

    def test_list_items_are_the_shown_bodies_in_the_same_order(self):
        # What a list shows of a cluster, field for field and in the same
        # order: lists and show build bodies differently, and clients may
        # compare bodies as bytes.
        for path, summary_fields, version in (
                ('/v1/clusters', cluster.SUMMARY_FIELDS + ('cluster_id',),
                 '1.12'),
                ('/v1/clusters', cluster.SUMMARY_FIELDS + ('cluster_id',),
                 'latest'),
                ('/v1/bays', legacy.BAY_SUMMARY_FIELDS, 'latest')):
            key = path.rsplit('/', 1)[1]
            shown = []
            for uuid in (self.c1, self.c2):
                body = self.call('%s/%s' % (path, uuid), roles=base.MEMBER,
                                 version=version).json
                # Only a single cluster is compared with its template.
                for name in ('labels_overridden', 'labels_added',
                             'labels_skipped'):
                    del body[name]
                shown.append(body)
            detail = self.call(path + '/detail', roles=base.MEMBER,
                               version=version).json[key]
            self.assertEqual([list(body.items()) for body in shown],
                             [list(item.items()) for item in detail])
            summary = self.call(path, roles=base.MEMBER,
                                version=version).json[key]
            self.assertEqual(
                [[(name, body[name]) for name in summary_fields
                  if name in body] for body in shown],
                [list(item.items()) for item in summary])

    def test_detail_fields_in_magnums_order(self):
        [c1, _] = self.call('/v1/clusters/detail',
                            roles=base.MEMBER).json['clusters']
        self.assertEqual(
            [field for field in cluster.FIELDS if field != 'stack_id'] + [
                'created_at', 'updated_at', 'links', 'master_addresses',
                'node_addresses', 'faults', 'cluster_id'], list(c1))

    def test_admin_lists_every_project(self):
        self.assertEqual(['c1', 'c2', 'theirs'],
                         self._names(self.call('/v1/clusters')))

    def test_detail_has_addresses_and_faults(self):
        [_, c2] = self.call('/v1/clusters/detail',
                            roles=base.MEMBER).json['clusters']

        self.assertEqual(
            (['10.0.0.2'], ['10.0.0.3', 'fd00::3'],
             {'c2-master-0': 'No valid host was found.'}, 'CREATE_FAILED'),
            (c2['master_addresses'], c2['node_addresses'], c2['faults'],
             c2['status']))

    def test_filters(self):
        self.assertEqual(['c2'], self._names(
            self.call('/v1/clusters?status=CREATE_FAILED')))
        self.assertEqual(['c1', 'c2'], self._names(self.call(
            '/v1/clusters?status=CREATE_FAILED&status=CREATE_IN_PROGRESS'
            '&sort_key=name', roles=base.MEMBER)))
        self.assertEqual(['theirs'], self._names(
            self.call('/v1/clusters?name=theirs')))
        self.assertEqual([], self._names(
            self.call('/v1/clusters?name=theirs', roles=base.MEMBER)))

    def test_next_link_keeps_filters(self):
        resp = self.call('/v1/clusters?limit=1&status=CREATE_IN_PROGRESS')

        self.assertEqual(
            'http://localhost/v1/clusters?status=CREATE_IN_PROGRESS'
            '&sort_key=id&sort_dir=asc&limit=1&marker=%s' % self.c1,
            resp.json['next'])
        following = self.call(resp.json['next'][len('http://localhost'):])
        self.assertEqual(['theirs'], self._names(following))

    def test_show_by_name_or_uuid(self):
        for ident in ('c2', self.c2):
            body = self.call('/v1/clusters/%s' % ident,
                             roles=base.READER).json
            self.assertEqual(
                (self.c2, ['10.0.0.2'], {'a': '1', 'b': '2'}, {}, {}, {},
                 '2025-01-01T12:00:00+00:00'),
                (body['uuid'], body['master_addresses'], body['labels'],
                 body['labels_overridden'], body['labels_added'],
                 body['labels_skipped'], body['created_at']))

    def test_another_projects_cluster_is_not_found(self):
        for method in ('GET', 'DELETE', 'PATCH'):
            resp = self.call('/v1/clusters/%s' % self.theirs, method,
                             body=[] if method == 'PATCH' else None,
                             roles=base.MEMBER)
            self.assertError(404, 'Cluster %s could not be found.'
                             % self.theirs, resp)
        self.conductor.cluster_delete.assert_not_called()


class TestListQueries(ClusterTestCase):

    def setUp(self):
        super().setUp()
        self.conf_fixture.config(group='quotas',
                                 max_clusters_per_project=100)

    def _statements_to_list(self, clusters, path):
        for _ in range(clusters - len(db_api.cluster_list(self.admin))):
            uuid = self.create_cluster(name=None)
            db_api.node_create(self.admin, uuid, {'role': 'master'})
        with db_statements.StatementCounter(db_api.get_engine()) as counter:
            resp = self.call(path, roles=base.MEMBER)
        self.assertEqual(clusters, len(resp.json['clusters']))
        return counter.count

    def test_lists_cost_the_same_for_5_or_25_clusters(self):
        paths = ('/v1/clusters', '/v1/clusters/detail',
                 '/v1/clusters?limit=30&sort_key=name')
        few = [self._statements_to_list(5, path) for path in paths]
        many = [self._statements_to_list(25, path) for path in paths]

        self.assertEqual(few, many)


class TestUpdateAndResize(ClusterTestCase):

    def setUp(self):
        super().setUp()
        self.uuid = self.create_cluster(node_count=2)
        self.set_status(self.uuid, 'CREATE_COMPLETE')
        self.clock.advance(60)

    def _patch(self, operations, **kwargs):
        return self.call('/v1/clusters/%s' % self.uuid, 'PATCH', operations,
                         **kwargs)

    def test_patch_node_count(self):
        resp = self._patch([{'op': 'replace', 'path': '/node_count',
                             'value': 5}], roles=base.MEMBER)

        self.assertEqual(202, resp.status_int, resp.body)
        self.assertEqual({'uuid': self.uuid}, resp.json)
        row = db_api.cluster_get(self.admin, self.uuid)
        self.assertEqual(('UPDATE_IN_PROGRESS',
                          T0 + datetime.timedelta(seconds=60)),
                         (row.status, row.operation_started_at))
        [call] = self.conductor.cluster_update.call_args_list
        self.assertEqual(((self.uuid, 5), {'nodes_to_remove': None}),
                         (call.args[1:], call.kwargs))

    def test_patch_with_rollback_records_the_size_to_go_back_to(self):
        grow = [{'op': 'replace', 'path': '/node_count', 'value': 4}]
        for query, version, expected in (
                ('?rollback=True', 'latest', 2),
                ('?rollback=false', 'latest', None),
                ('', 'latest', None),
                # 1.3 added it; before, Magnum ignored it too.
                ('?rollback=True', '1.2', None)):
            self.set_status(self.uuid, 'UPDATE_COMPLETE')
            resp = self.call('/v1/clusters/%s%s' % (self.uuid, query),
                             'PATCH', grow, version=version)
            self.assertEqual(202, resp.status_int, resp.body)
            row = db_api.cluster_get(self.admin, self.uuid)
            self.assertEqual(expected, row.rollback_node_count, query)

    def test_patch_with_rollback_not_a_boolean(self):
        resp = self.call('/v1/clusters/%s?rollback=perhaps' % self.uuid,
                         'PATCH', [{'op': 'replace', 'path': '/node_count',
                                    'value': 4}])
        self.assertError(400, "Invalid input for query parameter rollback: "
                              "'perhaps' is not a boolean.", resp)
        self.conductor.cluster_update.assert_not_called()

    def test_patch_refuses_other_attributes(self):
        self.assertError(400, 'cannot change cluster property(ies) name.',
                         self._patch([{'op': 'replace', 'path': '/name',
                                       'value': 'x'}]))
        self.assertError(
            400, 'Invalid input for field/attribute node_count. Value: '
                 '"many". \'many\' is not of type \'integer\'.',
            self._patch([{'op': 'replace', 'path': '/node_count',
                          'value': 'many'}]))
        self.conductor.cluster_update.assert_not_called()

    def test_refused_while_in_progress(self):
        for status in ('CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS',
                       'DELETE_IN_PROGRESS'):
            self.set_status(self.uuid, status)
            for resp in (
                    self._patch([{'op': 'replace', 'path': '/node_count',
                                  'value': 3}]),
                    self.call('/v1/clusters/%s/actions/resize' % self.uuid,
                              'POST', {'node_count': 3})):
                self.assertError(409, 'Updating a cluster when status is '
                                      '"%s" is not supported.' % status,
                                 resp)
        self.conductor.cluster_update.assert_not_called()

    def test_resize_with_nodes_to_remove(self):
        resp = self.call('/v1/clusters/c1/actions/resize', 'POST',
                         {'node_count': 1, 'nodes_to_remove': ['c1-node-1'],
                          'nodegroup': 'default-worker'})

        self.assertEqual(202, resp.status_int, resp.body)
        self.assertEqual({'uuid': self.uuid}, resp.json)
        [call] = self.conductor.cluster_update.call_args_list
        self.assertEqual(((self.uuid, 1), {'nodes_to_remove': ['c1-node-1']}),
                         (call.args[1:], call.kwargs))

    def test_resize_refusals(self):
        path = '/v1/clusters/c1/actions/resize'
        self.assertEqual(406, self.call(path, 'POST', {'node_count': 1},
                                        version='1.6').status_int)
        self.assertError(404, 'Nodegroup nope could not be found.',
                         self.call(path, 'POST', {'node_count': 1,
                                                  'nodegroup': 'nope'}))
        self.assertError(400, 'Resizing a nodegroup with role master is not '
                              'supported.',
                         self.call(path, 'POST', {'node_count': 1,
                                                  'nodegroup':
                                                  'default-master'}))
        self.assertError(403, "Policy doesn't allow cluster:resize to be "
                              "performed.",
                         self.call(path, 'POST', {'node_count': 1},
                                   roles=base.READER))
        self.conductor.cluster_update.assert_not_called()


class TestDelete(ClusterTestCase):

    def test_delete_from_any_state(self):
        uuid = self.create_cluster()
        for status in ('CREATE_IN_PROGRESS', 'DELETE_FAILED',
                       'DELETE_IN_PROGRESS'):
            self.set_status(uuid, status)

            resp = self.call('/v1/clusters/c1', 'DELETE', roles=base.MEMBER)

            self.assertEqual(204, resp.status_int, resp.body)
            self.assertEqual('DELETE_IN_PROGRESS',
                             db_api.cluster_get(self.admin, uuid).status)
        self.assertEqual(3, self.conductor.cluster_delete.call_count)
        self.assertEqual(uuid,
                         self.conductor.cluster_delete.call_args.args[1])

    def test_readers_cannot_delete(self):
        self.create_cluster()
        self.assertError(403, "Policy doesn't allow cluster:delete to be "
                              "performed.",
                         self.call('/v1/clusters/c1', 'DELETE',
                                   roles=base.READER))


class TestBays(ClusterTestCase):

    def test_bays_are_clusters_under_old_names(self):
        resp = self.call('/v1/bays', 'POST', {
            'name': 'b1', 'baymodel_id': 't1', 'bay_create_timeout': 5},
            version='1.2')
        self.assertEqual(202, resp.status_int, resp.body)

        bay = self.call('/v1/bays/b1', version='1.2').json
        self.assertEqual((resp.json['uuid'], self.template['uuid'], 5),
                         (bay['uuid'], bay['baymodel_id'],
                          bay['bay_create_timeout']))
        self.assertNotIn('cluster_template_id', bay)
        self.assertEqual(
            ['b1'], [c['name'] for c in self.call('/v1/clusters').json[
                'clusters']])

    def test_bay_create_answers_the_bay_before_1_2(self):
        resp = self.call('/v1/bays', 'POST', {'name': 'b1',
                                              'baymodel_id': 't1'},
                         version='1.1')
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual(('b1', 'CREATE_IN_PROGRESS'),
                         (resp.json['name'], resp.json['status']))
