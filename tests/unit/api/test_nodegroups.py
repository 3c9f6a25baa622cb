"""/v1/clusters/{cluster_ident}/nodegroups: Magnum's two default groups."""

from magnumlite.common import context
from magnumlite.db import api as db_api
from tests.unit.api import base


class TestNodeGroups(base.ResourceTestCase):

    def setUp(self):
        super().setUp()
        admin = context.get_admin_context()
        self.create_template(master_flavor_id='m1.small')
        self.cluster = self.create_cluster(name='c1', node_count=3,
                                           flavor_id='m1.tiny')
        worker = db_api.node_create(admin, self.cluster,
                                    {'role': 'worker', 'name': 'c1-node-0'})
        db_api.node_update(admin, worker.uuid, {'addresses': ['10.0.0.3']})

    def test_list_as_magnum_summarises(self):
        resp = self.call('/v1/clusters/c1/nodegroups/', roles=base.READER)
        self.assertEqual(200, resp.status_int, resp.body)
        master, worker = resp.json['nodegroups']
        self.assertEqual(
            {'name': 'default-master', 'role': 'master', 'node_count': 1,
             'flavor_id': 'm1.small', 'image_id': 'busybox',
             'is_default': True, 'status': 'CREATE_IN_PROGRESS',
             'stack_id': None, 'uuid': master['uuid']}, master)
        self.assertEqual(('default-worker', 3, 'm1.tiny'),
                         (worker['name'], worker['node_count'],
                          worker['flavor_id']))
        # Stable ids, distinct per group.
        again = self.call('/v1/clusters/c1/nodegroups').json['nodegroups']
        self.assertEqual([master['uuid'], worker['uuid']],
                         [g['uuid'] for g in again])
        self.assertNotEqual(master['uuid'], worker['uuid'])

    def test_detail_role_filter_and_show(self):
        [worker] = self.call('/v1/clusters/c1/nodegroups/detail'
                             '?role=worker').json['nodegroups']
        self.assertEqual((['10.0.0.3'], self.cluster, 0),
                         (worker['node_addresses'], worker['cluster_id'],
                          worker['min_node_count']))
        for ident in ('default-worker', worker['uuid']):
            shown = self.call('/v1/clusters/c1/nodegroups/%s' % ident).json
            self.assertEqual(worker, shown)
        self.assertError(404, 'Nodegroup ng-9 could not be found.',
                         self.call('/v1/clusters/c1/nodegroups/ng-9'))

    def test_from_1_9_and_own_project_only(self):
        self.assertEqual(406, self.call('/v1/clusters/c1/nodegroups',
                                        version='1.8').status_int)
        self.assertError(404, 'Cluster c1 could not be found.',
                         self.call('/v1/clusters/c1/nodegroups',
                                   roles=base.MEMBER, project_id='p2'))
