"""/v1/clusters/{cluster_ident}/nodes: magnumlite's view of a bay's servers."""

from magnumlite.common import context
from magnumlite.db import api as db_api
from tests.unit.api import base


class TestNodes(base.ResourceTestCase):

    def setUp(self):
        super().setUp()
        admin = context.get_admin_context()
        self.create_template()
        self.cluster = self.create_cluster(name='c1')
        master = db_api.node_create(admin, self.cluster,
                                    {'role': 'master', 'name': 'c1-master-0'})
        db_api.node_update(admin, master.uuid, {
            'server_id': 's-1', 'status': 'ACTIVE',
            'addresses': ['10.0.0.2']})
        worker = db_api.node_create(admin, self.cluster,
                                    {'role': 'worker', 'name': 'c1-node-0'})
        db_api.node_update(admin, worker.uuid, {
            'status': 'ERROR', 'fault': 'No valid host was found.'})
        self.master, self.worker = master.uuid, worker.uuid

    def test_list_in_creation_order(self):
        resp = self.call('/v1/clusters/c1/nodes', roles=base.READER,
                         version='1.1')
        self.assertEqual(200, resp.status_int, resp.body)
        self.assertEqual([
            {'uuid': self.master, 'name': 'c1-master-0', 'role': 'master',
             'status': 'ACTIVE', 'server_id': 's-1',
             'addresses': ['10.0.0.2'], 'fault': None,
             'cluster_uuid': self.cluster},
            {'uuid': self.worker, 'name': 'c1-node-0', 'role': 'worker',
             'status': 'ERROR', 'server_id': None, 'addresses': [],
             'fault': 'No valid host was found.',
             'cluster_uuid': self.cluster}], resp.json['nodes'])

    def test_show_by_uuid_name_or_server_id(self):
        for ident in (self.master, 'c1-master-0', 's-1'):
            resp = self.call('/v1/clusters/%s/nodes/%s' % (self.cluster,
                                                           ident))
            self.assertEqual(self.master, resp.json['uuid'], ident)
        self.assertError(404, 'Node c1-node-9 could not be found.',
                         self.call('/v1/clusters/c1/nodes/c1-node-9'))

    def test_other_projects_see_no_cluster(self):
        self.assertError(404, 'Cluster c1 could not be found.',
                         self.call('/v1/clusters/c1/nodes', roles=base.MEMBER,
                                   project_id='p2'))
