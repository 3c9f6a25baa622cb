"""The conductor's RPC endpoint (ConductorManager).

It answers pings, executes a cast only while its request is still valid,
and checks the health of the clusters at rest.
"""

import fixtures

from magnumlite.common import context
from magnumlite.conductor import manager
from magnumlite.conductor import rpcapi
from magnumlite.db import api as db_api
from tests.unit import base
from tests.unit.conductor import test_clusters

HUGE = 7735901969592780800


class TestConductorManager(base.TestCase):

    def test_ping_says_who_answers(self):
        self.assertEqual(
            {'host': 'node-1', 'binary': 'magnumlite-conductor'},
            manager.ConductorManager('node-1').ping(
                context.get_admin_context()))

    def test_bay_changed_with_no_cluster_uuid_does_nothing(self):
        conductor = manager.ConductorManager('node-1')
        with fixtures.MockPatch(
                'magnumlite.db.api.cluster_get') as cluster_get:
            for junk in (2 ** 70, None, 'x' * 10 ** 6, {'a': [[]]}):
                conductor.bay_changed(None, junk)
        cluster_get.mock.assert_not_called()
        self.assertFalse(conductor.work_to_do.is_set())

    def test_client_and_server_versions_agree(self):
        self.assertEqual(rpcapi.ConductorAPI.RPC_API_VERSION,
                         manager.ConductorManager.target.version)


class TestHealthChecks(base.TestCase):

    def test_only_clusters_at_rest_with_a_trust_are_checked(self):
        self.useFixture(base.Database(self.conf_fixture))
        admin = context.get_admin_context()
        for name, status, trust in (
                ('done', 'CREATE_COMPLETE', 't1'),
                ('resized', 'UPDATE_COMPLETE', 't2'),
                ('creating', 'CREATE_IN_PROGRESS', 't3'),
                ('failed', 'CREATE_FAILED', 't4'),
                ('deleting', 'DELETE_IN_PROGRESS', 't5'),
                ('trustless', 'CREATE_COMPLETE', None)):
            db_api.cluster_create(admin, {
                'name': name, 'project_id': 'p1', 'status': status,
                'trust_id': trust, 'cluster_template_id': 'tpl'})
        check = self.useFixture(fixtures.MockPatch(
            'magnumlite.conductor.clusters.check_health',
            side_effect=[RuntimeError('Nova down'), None])).mock

        manager.ConductorManager('node-1').check_clusters_health()

        # one cluster's failure does not stop the others' check
        self.assertEqual(['done', 'resized'],
                         [c.args[0].name for c in check.call_args_list])


class TestDroppedCasts(test_clusters.ClusterTestCase):

    def setUp(self):
        super().setUp()
        self.manager = manager.ConductorManager('host-1')

    def _cluster(self, uuid):
        return db_api.cluster_get(self.admin, uuid)

    def test_create_of_a_cluster_too_big_fails_it_allocating_nothing(self):
        # A row written before the API checked counts, its cast queued.
        uuid = self._new_cluster(workers=HUGE)

        self.manager.cluster_create(self.user, uuid)

        cluster = self._cluster(uuid)
        self.assertEqual('CREATE_FAILED', cluster.status)
        self.assertEqual(
            '1 masters and %d workers are more nodes than a cluster may '
            'have, 100 ([quotas] max_nodes_per_cluster)' % HUGE,
            cluster.status_reason)
        self.assertEqual([], db_api.node_list(self.admin, uuid))
        self.create_trust.assert_not_called()
        self.assertIn('Dropped CREATE of cluster %s: 1 masters' % uuid,
                      self.logger.output)

    def test_update_to_too_many_nodes_fails_it_allocating_nothing(self):
        uuid = self._complete_cluster(workers=1)
        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')

        self.manager.cluster_update(self.user, uuid, 110602)

        cluster = self._cluster(uuid)
        self.assertEqual(('UPDATE_FAILED', 1),
                         (cluster.status, cluster.node_count))
        self.assertIn('110602 workers are more nodes', cluster.status_reason)
        self.assertEqual(2, len(db_api.node_list(self.admin, uuid)))

    def test_casts_for_a_cluster_in_another_state_or_gone_are_dropped(self):
        uuid = self._new_cluster()
        self._start_operation(uuid, 'DELETE_IN_PROGRESS')

        self.manager.cluster_create(self.user, uuid)
        self.manager.cluster_update(self.user, uuid, 3)
        self.manager.cluster_create(self.user, 'gone')

        self.assertEqual('DELETE_IN_PROGRESS', self._cluster(uuid).status)
        self.assertEqual([], db_api.node_list(self.admin, uuid))
        self.create_trust.assert_not_called()
        self.assertIn('Dropped CREATE of cluster %s: it is '
                      'DELETE_IN_PROGRESS now' % uuid, self.logger.output)
        self.assertIn('Dropped CREATE of cluster gone: it no longer exists',
                      self.logger.output)

    def test_a_valid_cast_is_executed(self):
        uuid = self._new_cluster(workers=99)

        self.manager.cluster_create(self.user, uuid)

        self.create_trust.assert_called_once_with(self.user, 'proj-1')
        self.assertEqual(100, len(db_api.node_list(self.admin, uuid)))

    def test_sync_fails_a_cluster_too_big_without_syncing_it(self):
        uuid = self._new_cluster(workers=HUGE, trust_id='trust-1')

        self.manager.sync_clusters()

        cluster = self._cluster(uuid)
        self.assertEqual('CREATE_FAILED', cluster.status)
        self.assertIn('more nodes than a cluster may have',
                      cluster.status_reason)
        self.assertEqual([], db_api.node_list(self.admin, uuid))
        self.assertEqual([], list(self.nova.servers.servers))
