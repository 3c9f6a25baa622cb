from magnumlite.common import context
from magnumlite.common import exception
from magnumlite.db import api as db_api
from tests.unit import base

UUID1 = '11111111-1111-4111-8111-111111111111'


class TestClusterNodes(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(base.Database(self.conf_fixture))
        self.context = context.get_admin_context()
        self.cluster = db_api.cluster_create(self.context,
                                             {'project_id': 'p1'})

    def test_create_list_update_destroy(self):
        master = db_api.node_create(self.context, self.cluster.uuid,
                                    {'role': 'master', 'name': 'm0'})
        worker = db_api.node_create(self.context, self.cluster.uuid,
                                    {'role': 'worker', 'name': 'w0'})
        self.assertEqual(([], None, None, None),
                         (master.addresses, master.server_id, master.status,
                          master.fault))

        db_api.node_update(self.context, worker.uuid, {
            'server_id': UUID1, 'status': 'ACTIVE',
            'addresses': ['10.0.0.5']})

        nodes = db_api.node_list(self.context, self.cluster.uuid)
        self.assertEqual(
            [('m0', 'master', None, []),
             ('w0', 'worker', 'ACTIVE', ['10.0.0.5'])],
            [(n.name, n.role, n.status, n.addresses) for n in nodes])

        db_api.node_destroy(self.context, master.uuid)
        self.assertEqual(['w0'], [n.name for n in db_api.node_list(
            self.context, self.cluster.uuid)])
        self.assertRaises(exception.ClusterNodeNotFound,
                          db_api.node_destroy, self.context, master.uuid)

    def test_node_of_an_unknown_cluster(self):
        self.assertRaises(exception.ClusterNotFound, db_api.node_create,
                          self.context, UUID1, {'role': 'worker'})

    def test_node_list_by_cluster(self):
        other = db_api.cluster_create(self.context, {'project_id': 'p1'})
        db_api.node_create(self.context, self.cluster.uuid,
                           {'role': 'master', 'name': 'a'})
        db_api.node_create(self.context, other.uuid,
                           {'role': 'master', 'name': 'b'})

        nodes = db_api.node_list_by_cluster(
            self.context, [self.cluster.id, other.id, 999])
        self.assertEqual({self.cluster.id: ['a'], other.id: ['b'], 999: []},
                         {k: [n.name for n in v] for k, v in nodes.items()})

    def test_node_list_by_cluster_reads_the_columns_asked(self):
        db_api.node_create(self.context, self.cluster.uuid,
                           {'role': 'worker', 'name': 'a',
                            'addresses': ['10.0.0.1']})

        [row] = db_api.node_list_by_cluster(
            self.context, [self.cluster.id],
            columns=('addresses', 'role'))[self.cluster.id]
        # Then the cluster's id, by which they were grouped.
        self.assertEqual((['10.0.0.1'], 'worker', self.cluster.id),
                         tuple(row))
