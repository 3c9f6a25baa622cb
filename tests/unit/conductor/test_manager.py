"""The conductor executes a cast only while its request is still valid."""

from magnumlite.conductor import manager
from magnumlite.db import api as db_api
from tests.unit.conductor import test_clusters

HUGE = 7735901969592780800


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
