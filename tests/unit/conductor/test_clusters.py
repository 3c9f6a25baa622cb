"""Provisioning against a real database and a fake Nova (novaclient)."""

import datetime
import threading
import types

import fixtures
from novaclient import exceptions as nova_exc
from openstack import exceptions as sdk_exc

from magnumlite.common import context
from magnumlite.common import exception
from magnumlite.conductor import cluster_state
from magnumlite.conductor import clusters
from magnumlite.db import api as db_api
from tests.unit import base
from tests.unit.conductor import fake_neutron
from tests.unit.conductor import fake_nova

NOW = datetime.datetime(2026, 1, 1, 12, 0, 0)
TEMPLATE = '7d3cd6e8-5b1a-4a55-8f0e-9a7cbbe1f0aa'


class ClusterTestCase(base.TestCase):
    """A real database, a fake Nova and Neutron, keystone trusts mocked."""

    def setUp(self):
        super().setUp()
        self.useFixture(base.Database(self.conf_fixture))
        self.clock = self.useFixture(base.Clock(NOW))
        self.neutron = fake_neutron.FakeNeutron()
        self.nova = fake_nova.FakeNova(self.neutron)
        self.glance = fake_nova.FakeGlance()
        self.useFixture(fixtures.MockPatch(
            'magnumlite.common.clients.nova', return_value=self.nova))
        self.useFixture(fixtures.MockPatch(
            'magnumlite.common.clients.openstack_sdk',
            return_value=types.SimpleNamespace(network=self.neutron,
                                               image=self.glance)))
        self.trust_session = self.useFixture(fixtures.MockPatch(
            'magnumlite.common.clients.trust_session')).mock
        self.create_trust = self.useFixture(fixtures.MockPatch(
            'magnumlite.common.keystone.create_trust',
            return_value=('trust-1', 'trustee-1'))).mock
        self.delete_trust = self.useFixture(fixtures.MockPatch(
            'magnumlite.common.keystone.delete_trust')).mock
        self.admin = context.get_admin_context()
        db_api.cluster_template_create(self.admin, {
            'uuid': TEMPLATE, 'name': 'k8s', 'coe': 'kubernetes',
            'image_id': 'busybox', 'flavor_id': 'm1.tiny',
            'master_flavor_id': 'm1.small', 'keypair_id': 'key'})
        self.user = context.RequestContext(
            user_id='user-1', project_id='proj-1', auth_token='tok',
            roles=['member'])

    def _new_cluster(self, name='b', masters=1, workers=2, **values):
        cluster = db_api.cluster_create(self.admin, dict({
            'name': name, 'project_id': 'proj-1', 'user_id': 'user-1',
            'cluster_template_id': TEMPLATE, 'master_count': masters,
            'node_count': workers, 'create_timeout': 10,
            'status': 'CREATE_IN_PROGRESS', 'operation_started_at': NOW},
            **values))
        return cluster.uuid

    def _sync(self, uuid):
        """One sync pass; the cluster after it, None once deleted."""
        clusters.sync(db_api.cluster_get(self.admin, uuid), 'host-1')
        try:
            return db_api.cluster_get(self.admin, uuid)
        except exception.ClusterNotFound:
            return None

    def _nodes(self, uuid):
        return {n.name: n for n in db_api.node_list(self.admin, uuid)}

    @staticmethod
    def _tag(uuid):
        return 'magnumlite_cluster=' + uuid

    def _start_operation(self, uuid, status):
        db_api.cluster_update(self.admin, uuid, {
            'status': status, 'operation_started_at': self.clock.now})

    def _complete_cluster(self, workers=2):
        uuid = self._new_cluster(workers=workers)
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        self.nova.servers.activate()
        self.assertEqual('CREATE_COMPLETE', self._sync(uuid).status)
        return uuid


class TestProvisioning(ClusterTestCase):

    def test_create_boots_servers_then_completes(self):
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        self.create_trust.assert_called_once_with(self.user, 'proj-1')
        self.assertEqual({'PENDING'},
                         {n.status for n in self._nodes(uuid).values()})
        self.assertEqual([], list(self.nova.servers.servers))

        cluster = self._sync(uuid)
        self.trust_session.assert_called_with('trust-1')
        self.assertEqual('CREATE_IN_PROGRESS', cluster.status)
        self.assertEqual('waiting for b-master-0: BUILD, b-node-0: BUILD, '
                         'b-node-1: BUILD', cluster.status_reason)
        master = self.nova.servers.by_name('b-master-0')
        self.assertEqual(
            {'magnumlite_cluster': uuid, 'magnumlite_role': 'master'},
            master.metadata)
        # Every node's port in one request, each tagged as it was made,
        # never afterwards (tagged while Nova bound it, a port once never
        # reported itself plugged).
        self.assertEqual(1, self.neutron.calls.count('create_ports'))
        ports = self.neutron.of('ports', tags=self._tag(uuid))
        self.assertEqual(3, len(ports))
        self.assertFalse({p.id for p in ports} & set(self.neutron.retagged))
        port, = self.neutron.of('ports', name='b-master-0')
        self.assertEqual(('image-1', '2', [{'port-id': port.id}], 'key'),
                         (master.create_args['image'],
                          master.create_args['flavor'],
                          master.create_args['nics'],
                          master.create_args['key_name']))
        self.assertIn('COE=kubernetes', master.create_args['userdata'])
        self.assertNotIn('kubeadm', master.create_args['userdata'])
        node = self.nova.servers.by_name('b-node-1')
        self.assertEqual('1', node.create_args['flavor'])
        self.assertEqual('worker', node.metadata['magnumlite_role'])
        self.assertEqual(node.id, self._nodes(uuid)['b-node-1'].server_id)

        self.nova.servers.activate()
        cluster = self._sync(uuid)
        self.assertEqual('CREATE_COMPLETE', cluster.status)
        # Nothing runs kubernetes on them: no API address, and it says so.
        self.assertIsNone(cluster.api_address)
        self.assertEqual('3 servers ACTIVE; magnumlite does not install '
                         'kubernetes, so the cluster is its servers only, '
                         'with no API address', cluster.status_reason)
        self.assertEqual(['10.0.0.2'], self._nodes(uuid)['b-node-1'].addresses)
        self.assertIsNone(cluster.claimed_by)

    def test_one_list_call_per_pass_with_nothing_to_do(self):
        uuid = self._new_cluster(workers=5)
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        calls = self.nova.servers.list_calls
        self._sync(uuid)
        self.assertEqual(calls + 1, self.nova.servers.list_calls)

    def test_fixed_network_by_name_gets_the_nodes_ports(self):
        uuid = self._new_cluster(fixed_network='private')
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        port, = self.neutron.of('ports', name='b-node-0')
        self.assertEqual([{'port-id': port.id}], self.nova.servers.by_name(
            'b-node-0').create_args['nics'])
        self.assertEqual('private-id', port.network_id)
        # no network, subnet or router of its own; its security group
        self.assertEqual((0, 0, 1), tuple(
            len(self.neutron.of(kind, tags=self._tag(uuid)))
            for kind in ('networks', 'routers', 'security_groups')))
        self.assertEqual(self.neutron.of('security_groups')[0].id,
                         port.security_group_ids[0])

    def test_fixed_subnet_gets_the_nodes_ports(self):
        uuid = self._new_cluster(fixed_subnet='private-subnet')
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        port, = self.neutron.of('ports', name='b-master-0')
        self.assertEqual(('private-id', 'private-subnet-id'),
                         (port.network_id, port.fixed_ips[0]['subnet_id']))

    def test_availability_zone_label_picks_the_zone(self):
        uuid = self._new_cluster(labels={'availability_zone': 'docker'})
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        self.assertEqual('docker', self.nova.servers.by_name(
            'b-master-0').create_args['availability_zone'])

    def test_nova_refusal_fails_the_cluster_naming_the_node(self):
        self.nova.servers.refuse['b-node-1'] = nova_exc.Forbidden(
            403, 'Quota exceeded for instances: Requested 1, but already '
                 'used 10 of 10 instances')
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        cluster = self._sync(uuid)
        self.assertEqual('CREATE_FAILED', cluster.status)
        self.assertEqual(
            'b-node-1: Nova refused to create the server: Quota exceeded '
            'for instances: Requested 1, but already used 10 of 10 '
            'instances (HTTP 403)', cluster.status_reason)

    def test_unknown_flavor_fails_the_cluster_naming_the_node(self):
        db_api.cluster_template_update(self.admin, TEMPLATE,
                                       {'master_flavor_id': 'm1.huge'})
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        cluster = self._sync(uuid)
        self.assertEqual('CREATE_FAILED', cluster.status)
        self.assertTrue(cluster.status_reason.startswith(
            'b-master-0: Nova refused to create the server: No Flavor '
            'matching m1.huge'), cluster.status_reason)

    def test_server_fault_is_quoted(self):
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        self.nova.servers.activate()
        server = self.nova.servers.by_name('b-node-0')
        server.status = 'ERROR'
        server.fault = {'message': 'No valid host was found. There are not '
                                   'enough hosts available.', 'code': 500}
        cluster = self._sync(uuid)
        self.assertEqual('CREATE_FAILED', cluster.status)
        self.assertEqual('b-node-0: No valid host was found. There are not '
                         'enough hosts available.', cluster.status_reason)
        self.assertEqual('ERROR', self._nodes(uuid)['b-node-0'].status)

    def test_create_times_out_naming_the_node(self):
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        self.nova.servers.by_name('b-master-0').status = 'ACTIVE'
        self.clock.advance(10 * 60 + 1)
        cluster = self._sync(uuid)
        self.assertEqual('CREATE_FAILED', cluster.status)
        self.assertEqual('timed out after 10 minutes waiting for '
                         'b-node-0: BUILD, b-node-1: BUILD',
                         cluster.status_reason)

    def test_restarted_conductor_adopts_server_created_before_it_died(self):
        uuid = self._new_cluster(workers=1)
        clusters.start_create(self.user, uuid)
        # The server was created, but its id never reached the row.
        self.nova.servers.create(
            'b-node-0', 'image-1', '1',
            meta={'magnumlite_cluster': uuid, 'magnumlite_role': 'worker'})
        self._sync(uuid)
        self.assertEqual(2, len(self.nova.servers.servers))
        self.assertEqual(self.nova.servers.by_name('b-node-0').id,
                         self._nodes(uuid)['b-node-0'].server_id)

    def test_sync_records_nodes_a_dead_conductor_did_not(self):
        # The trust was made, then the conductor died: no node rows.
        uuid = self._new_cluster(trust_id='trust-1')
        self._sync(uuid)
        self.assertEqual(['b-master-0', 'b-node-0', 'b-node-1'],
                         sorted(s.name for s in
                                self.nova.servers.servers.values()))

    def test_sync_finishes_a_resize_a_dead_conductor_began(self):
        uuid = self._complete_cluster(workers=2)
        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')
        # node_count was recorded, the node to remove was not.
        db_api.cluster_update(self.admin, uuid, {'node_count': 1})
        self._sync(uuid)
        self.nova.servers.finish_deletes()
        cluster = self._sync(uuid)
        self.assertEqual('UPDATE_COMPLETE', cluster.status)
        self.assertEqual(['b-master-0', 'b-node-0'], sorted(self._nodes(uuid)))

    def test_servers_of_another_cluster_with_the_same_name_are_ignored(self):
        uuid = self._new_cluster(workers=1)
        self.nova.servers.create(
            'b-node-0', 'image-1', '1',
            meta={'magnumlite_cluster': 'other', 'magnumlite_role': 'worker'})
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        self.assertEqual(3, len(self.nova.servers.servers))

    def test_lost_create_request_fails_the_cluster(self):
        uuid = self._new_cluster()
        cluster = db_api.cluster_get(self.admin, uuid)
        self.assertTrue(clusters.awaiting_create_request(cluster, grace=60))
        self.clock.advance(61)
        self.assertFalse(clusters.awaiting_create_request(cluster, grace=60))
        cluster = self._sync(uuid)
        self.assertEqual('CREATE_FAILED', cluster.status)
        self.assertIn('no keystone trust', cluster.status_reason)

    def test_trust_failure_fails_the_cluster(self):
        self.create_trust.side_effect = RuntimeError('token expired')
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        cluster = db_api.cluster_get(self.admin, uuid)
        self.assertEqual('CREATE_FAILED', cluster.status)
        self.assertEqual('could not create a keystone trust for the '
                         'cluster: token expired', cluster.status_reason)

    def test_delete_while_creating(self):
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        self._start_operation(uuid, 'DELETE_IN_PROGRESS')
        cluster = self._sync(uuid)
        self.assertEqual('DELETE_IN_PROGRESS', cluster.status)
        self.nova.servers.finish_deletes()
        self.assertIsNone(self._sync(uuid))
        self.assertEqual([], db_api.node_list(self.admin, uuid))
        self.delete_trust.assert_called_once_with('trust-1')
        self.assertEqual({}, self.nova.servers.servers)

    def test_delete_when_servers_are_already_gone(self):
        uuid = self._complete_cluster()
        for server_id in list(self.nova.servers.servers):
            self.nova.servers.delete(server_id)
        self.nova.servers.finish_deletes()
        self._start_operation(uuid, 'DELETE_IN_PROGRESS')
        self.assertIsNone(self._sync(uuid))
        self.delete_trust.assert_called_once_with('trust-1')

    def test_delete_of_a_cluster_whose_trust_was_never_made(self):
        self.create_trust.side_effect = RuntimeError('no token')
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        self._start_operation(uuid, 'DELETE_IN_PROGRESS')
        self.assertIsNone(self._sync(uuid))
        self.delete_trust.assert_not_called()

    def test_rotate_trust_replaces_then_deletes_the_old_one(self):
        uuid = self._complete_cluster()
        self.create_trust.return_value = ('trust-2', 'trustee-1')
        self.assertIsNone(clusters.rotate_trust(self.user, uuid))
        self.assertEqual('trust-2',
                         db_api.cluster_get(self.admin, uuid).trust_id)
        self.delete_trust.assert_called_once_with('trust-1')
        self._sync(uuid)
        self.trust_session.assert_called_with('trust-2')

    def test_rotate_trust_failure_keeps_the_old_one(self):
        uuid = self._complete_cluster()
        self.create_trust.side_effect = RuntimeError('no role')
        self.assertEqual('could not create a keystone trust: no role',
                         clusters.rotate_trust(self.user, uuid))
        self.assertEqual('trust-1',
                         db_api.cluster_get(self.admin, uuid).trust_id)
        self.delete_trust.assert_not_called()

    def test_rotate_trust_of_a_cluster_without_one(self):
        uuid = self._new_cluster()
        self.assertEqual('the cluster has no credential yet',
                         clusters.rotate_trust(self.user, uuid))
        self.create_trust.assert_not_called()

    def test_resize_up_then_down(self):
        uuid = self._complete_cluster(workers=2)
        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')
        clusters.start_update(uuid, 3)
        cluster = self._sync(uuid)
        self.assertEqual(('UPDATE_IN_PROGRESS', 3),
                         (cluster.status, cluster.node_count))
        self.nova.servers.activate()
        self.assertEqual('UPDATE_COMPLETE', self._sync(uuid).status)
        self.assertEqual(['b-master-0', 'b-node-0', 'b-node-1', 'b-node-2'],
                         sorted(self._nodes(uuid)))

        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')
        node_0 = self._nodes(uuid)['b-node-0']
        clusters.start_update(uuid, 1, [node_0.server_id])
        cluster = self._sync(uuid)
        self.assertEqual('UPDATE_IN_PROGRESS', cluster.status)
        self.assertEqual('waiting for b-node-0: DELETING, '
                         'b-node-2: DELETING', cluster.status_reason)
        self.nova.servers.finish_deletes()
        cluster = self._sync(uuid)
        self.assertEqual(('UPDATE_COMPLETE', 1),
                         (cluster.status, cluster.node_count))
        self.assertEqual(['b-master-0', 'b-node-1'], sorted(self._nodes(uuid)))
        self.assertEqual(['b-master-0', 'b-node-1'], sorted(
            s.name for s in self.nova.servers.servers.values()))

    def _failed_resize(self, rollback_to):
        """A cluster of 2 workers grown to 3, whose new server goes ERROR."""
        uuid = self._complete_cluster(workers=2)
        self.clock.advance(60)
        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')
        db_api.cluster_update(self.admin, uuid,
                              {'rollback_node_count': rollback_to})
        clusters.start_update(uuid, 3)
        self._sync(uuid)
        server = self.nova.servers.by_name('b-node-2')
        server.status = 'ERROR'
        server.fault = {'message': 'No valid host was found.', 'code': 500}
        return uuid

    def test_update_replaces_a_worker_that_broke_before_it(self):
        uuid = self._complete_cluster(workers=2)
        self.nova.servers.by_name('b-node-1').status = 'ERROR'
        self.clock.advance(60)
        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')
        clusters.start_update(uuid, 2)
        cluster = self._sync(uuid)
        self.assertEqual('UPDATE_IN_PROGRESS', cluster.status)
        self.assertEqual(cluster_state.DELETING,
                         self._nodes(uuid)['b-node-1'].status)
        self.assertIn('b-node-2', self._nodes(uuid))
        self.nova.servers.finish_deletes()
        self.nova.servers.activate()
        cluster = self._sync(uuid)
        self.assertEqual(('UPDATE_COMPLETE', 2),
                         (cluster.status, cluster.node_count))
        self.assertEqual(['b-master-0', 'b-node-0', 'b-node-2'],
                         sorted(self._nodes(uuid)))

    def test_failed_resize_without_rollback_stays_failed(self):
        uuid = self._failed_resize(rollback_to=None)
        cluster = self._sync(uuid)
        self.assertEqual(('UPDATE_FAILED', 3, 'b-node-2: No valid host was '
                          'found.'),
                         (cluster.status, cluster.node_count,
                          cluster.status_reason))

    def test_failed_resize_with_rollback_goes_back(self):
        uuid = self._failed_resize(rollback_to=2)
        self.clock.advance(30)
        cluster = self._sync(uuid)
        self.assertEqual(('ROLLBACK_IN_PROGRESS', 2, None),
                         (cluster.status, cluster.node_count,
                          cluster.rollback_node_count))
        self.assertEqual(self.clock.now, cluster.operation_started_at)
        self.assertEqual('the resize failed (b-node-2: No valid host was '
                         'found.); rolling back to 2 workers: starting',
                         cluster.status_reason)
        cluster = self._sync(uuid)
        self.assertEqual(('ROLLBACK_IN_PROGRESS',
                          'the resize failed (b-node-2: No valid host was '
                          'found.); rolling back to 2 workers: waiting for '
                          'b-node-2: DELETING'),
                         (cluster.status, cluster.status_reason))
        self.nova.servers.finish_deletes()
        cluster = self._sync(uuid)
        self.assertEqual(('ROLLBACK_COMPLETE', 2,
                          'the resize failed (b-node-2: No valid host was '
                          'found.); rolled back to 2 workers'),
                         (cluster.status, cluster.node_count,
                          cluster.status_reason))
        self.assertEqual(['b-master-0', 'b-node-0', 'b-node-1'],
                         sorted(self._nodes(uuid)))
        self.assertEqual(['b-master-0', 'b-node-0', 'b-node-1'], sorted(
            s.name for s in self.nova.servers.servers.values()))
        self.assertIsNone(cluster.claimed_by)

    def test_rollback_that_fails_says_both_causes(self):
        uuid = self._failed_resize(rollback_to=2)
        self._sync(uuid)
        self.clock.advance(10 * 60 + 1)
        cluster = self._sync(uuid)
        self.assertEqual(('ROLLBACK_FAILED',
                          'the resize failed (b-node-2: No valid host was '
                          'found.); the rollback to 2 workers failed: timed '
                          'out after 10 minutes waiting for b-node-2: '
                          'DELETING'),
                         (cluster.status, cluster.status_reason))

    def test_resize_naming_an_unknown_node_fails(self):
        uuid = self._complete_cluster(workers=2)
        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')
        clusters.start_update(uuid, 1, ['nosuchnode'])
        cluster = db_api.cluster_get(self.admin, uuid)
        self.assertEqual(('UPDATE_FAILED', 'nosuchnode is not a worker node '
                          'of this cluster'),
                         (cluster.status, cluster.status_reason))


class TestConcurrentCreates(ClusterTestCase):
    """A pass asks for the groups at once, a group's members in turn."""

    def _all_asked_at_once(self, names):
        # Each create waits for the others to have been asked.
        all_asked = threading.Barrier(len(names), timeout=5)
        for name in names:
            self.nova.servers.before_create[name] = (
                lambda name: all_asked.wait())

    def _placed_when_created(self):
        """{name: the names of the servers Nova had placed} of each create"""
        return dict(self.nova.servers.creates)

    def test_the_groups_creates_overlap(self):
        self._all_asked_at_once(('b-master-0', 'b-node-0'))
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        self.assertEqual('CREATE_IN_PROGRESS', self._sync(uuid).status)
        self.assertEqual(
            {name: (self.nova.servers.by_name(name).id, 'BUILD')
             for name in ('b-master-0', 'b-node-0', 'b-node-1')},
            {name: (node.server_id, node.status)
             for name, node in self._nodes(uuid).items()})

    def test_a_groups_members_are_asked_for_once_the_one_before_is_placed(
            self):
        uuid = self._new_cluster(workers=3)
        clusters.start_create(self.user, uuid)
        self.assertEqual('CREATE_IN_PROGRESS', self._sync(uuid).status)
        placed = self._placed_when_created()
        self.assertEqual(4, len(placed))
        for before, after in (('b-node-0', 'b-node-1'),
                              ('b-node-1', 'b-node-2')):
            self.assertIn(before, placed[after])

    def test_a_member_nova_does_not_place_holds_the_next_only_so_long(self):
        self.conf_fixture.config(group='conductor', group_placement_wait=1)
        self.nova.servers.unplaced.add('b-node-0')
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        self.assertNotIn('b-node-0', self._placed_when_created()['b-node-1'])
        self.assertEqual(
            ['BUILD'] * 3, [n.status for n in self._nodes(uuid).values()])

    def test_a_waiting_member_does_not_hold_another_groups_first(self):
        # Two threads; the second master waits 2 s for the first one's
        # placement, which never comes, and the third for the second.
        self.conf_fixture.config(group='conductor', group_placement_wait=2,
                                 cluster_request_threads=2)
        self.nova.servers.unplaced.add('b-master-0')
        uuid = self._new_cluster(masters=3)
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        asked = [name for name, _ in self.nova.servers.creates]
        self.assertLess(asked.index('b-node-0'), asked.index('b-master-1'))

    def test_a_refused_member_does_not_hold_the_next(self):
        self.nova.servers.refuse['b-node-0'] = nova_exc.Forbidden(
            403, 'Quota exceeded for instances')
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        self.assertEqual(
            {'b-master-0': 'BUILD', 'b-node-0': 'ERROR', 'b-node-1': 'BUILD'},
            {name: n.status for name, n in self._nodes(uuid).items()})

    def test_no_wait_asks_for_all_members_at_once(self):
        self.conf_fixture.config(group='conductor', group_placement_wait=0)
        self.nova.servers.unplaced.update(('b-node-0', 'b-node-1'))
        self._all_asked_at_once(('b-master-0', 'b-node-0', 'b-node-1'))
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        self.assertEqual('CREATE_IN_PROGRESS', self._sync(uuid).status)
        self.assertEqual(3, len(self.nova.servers.servers))

    def test_a_row_gets_its_server_id_as_soon_as_its_create_answers(self):
        uuid = self._new_cluster(workers=1)

        def master_recorded(name):
            base.wait_until(
                lambda: self._nodes(uuid)['b-master-0'].server_id,
                'the master\'s server id in its row')

        self.nova.servers.before_create['b-node-0'] = master_recorded
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        self.assertEqual(
            [self.nova.servers.by_name(name).id
             for name in ('b-master-0', 'b-node-0')],
            [self._nodes(uuid)[name].server_id
             for name in ('b-master-0', 'b-node-0')])

    def test_a_refusal_does_not_stop_the_others(self):
        self.nova.servers.refuse['b-master-0'] = nova_exc.Forbidden(
            403, 'Quota exceeded for cores')
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        cluster = self._sync(uuid)
        self.assertEqual(('CREATE_FAILED', 'b-master-0: Nova refused to '
                          'create the server: Quota exceeded for cores '
                          '(HTTP 403)'),
                         (cluster.status, cluster.status_reason))
        nodes = self._nodes(uuid)
        self.assertEqual(('ERROR', None), (nodes['b-master-0'].status,
                                           nodes['b-master-0'].server_id))
        for name in ('b-node-0', 'b-node-1'):
            self.assertEqual(
                (self.nova.servers.by_name(name).id, 'BUILD'),
                (nodes[name].server_id, nodes[name].status))

    def test_rows_are_written_before_nova_is_asked(self):
        # The trust was made, then the conductor died: the pass records
        # the rows; each create finds its row PENDING, with no server.
        uuid = self._new_cluster(trust_id='trust-1')
        seen = {}

        def row_of(name):
            node = self._nodes(uuid).get(name)
            seen[name] = node and (node.status, node.server_id)

        for name in ('b-master-0', 'b-node-0', 'b-node-1'):
            self.nova.servers.before_create[name] = row_of
        self._sync(uuid)
        self.assertEqual(dict.fromkeys(seen, ('PENDING', None)), seen)
        self.assertEqual(3, len(seen))

    def test_lookups_and_server_groups_overlap_neutron(self):
        # Each waits for Neutron's ports, which come after them when made
        # one after the other.
        def after_ports(request):
            def waiting(*args, **kwargs):
                base.wait_until(
                    lambda: 'create_ports' in self.neutron.calls,
                    'the ports')
                return request(*args, **kwargs)
            return waiting

        glance, groups = self.glance, self.nova.server_groups
        glance.find_image = after_ports(glance.find_image)
        groups.list = after_ports(groups.list)
        uuid = self._new_cluster(workers=1)
        clusters.start_create(self.user, uuid)
        self.assertEqual('CREATE_IN_PROGRESS', self._sync(uuid).status)
        self.assertEqual(2, len(self.nova.servers.servers))

    def test_one_request_at_a_time_still_creates_them_all(self):
        self.conf_fixture.config(group='conductor',
                                 cluster_request_threads=1)
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        self.nova.servers.activate()
        self.assertEqual('CREATE_COMPLETE', self._sync(uuid).status)


class TestPlacement(ClusterTestCase):
    """Each node role is a Nova server group every server boots into."""

    def _group_of(self, name):
        hints = self.nova.servers.by_name(name).create_args['scheduler_hints']
        return self.nova.server_groups.groups[hints['group']]

    def test_masters_and_workers_each_in_a_group_of_the_default_policy(self):
        uuid = self._new_cluster(workers=2)
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        masters = self._group_of('b-master-0')
        workers = self._group_of('b-node-0')
        self.assertIs(workers, self._group_of('b-node-1'))
        self.assertEqual(
            [(uuid + '-master', ['soft-anti-affinity']),
             (uuid + '-worker', ['soft-anti-affinity'])],
            [(g.name, g.policies) for g in (masters, workers)])
        self.assertEqual(2, len(self.nova.server_groups.groups))

    def test_the_label_chooses_the_policy(self):
        uuid = self._new_cluster(
            labels={'server_group_policies': 'anti-affinity'})
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        self.assertEqual(['anti-affinity'],
                         self._group_of('b-node-0').policies)

    def test_a_resize_adds_workers_to_the_same_group(self):
        uuid = self._complete_cluster(workers=1)
        group = self._group_of('b-node-0')
        clusters.start_update(uuid, 2)
        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')
        self._sync(uuid)
        self.assertIs(group, self._group_of('b-node-1'))
        self.assertEqual(2, len(self.nova.server_groups.groups))

    def test_a_group_made_before_a_crash_is_found_not_made_twice(self):
        uuid = self._new_cluster(workers=1)
        clusters.start_create(self.user, uuid)
        made = self.nova.server_groups.create(uuid + '-worker',
                                              ['soft-anti-affinity'])
        # and another cluster's group, which this cluster leaves alone
        self.nova.server_groups.create('other-worker', ['affinity'])
        self._sync(uuid)
        self.assertIs(made, self._group_of('b-node-0'))
        self.assertEqual(3, len(self.nova.server_groups.groups))

    def test_groups_are_deleted_with_the_cluster_and_only_its_own(self):
        other = self.nova.server_groups.create('other-worker', ['affinity'])
        uuid = self._complete_cluster()
        self._start_operation(uuid, 'DELETE_IN_PROGRESS')
        self._sync(uuid)
        # not while its servers are still there
        self.assertEqual(3, len(self.nova.server_groups.groups))
        self.nova.servers.finish_deletes()
        self.assertIsNone(self._sync(uuid))
        self.assertEqual([other], self.nova.server_groups.list())

    def test_nova_refusing_a_group_fails_the_cluster_with_its_words(self):
        self.nova.server_groups.refuse = nova_exc.Forbidden(
            403, 'Quota exceeded, too many server groups.')
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        cluster = self._sync(uuid)
        self.assertEqual('CREATE_FAILED', cluster.status)
        self.assertEqual('Nova refused the cluster\'s server group: Quota '
                         'exceeded, too many server groups. (HTTP 403)',
                         cluster.status_reason)
        self.assertEqual({}, self.nova.servers.servers)


class TestHealth(ClusterTestCase):

    def _health(self, uuid):
        cluster = db_api.cluster_get(self.admin, uuid)
        return cluster.health_status, cluster.health_status_reason

    def _check(self, uuid):
        clusters.check_health(db_api.cluster_get(self.admin, uuid))
        return self._health(uuid)

    def test_healthy_once_complete(self):
        uuid = self._complete_cluster(workers=1)
        self.assertEqual(('HEALTHY', {'b-master-0': 'ACTIVE',
                                      'b-node-0': 'ACTIVE'}),
                         self._health(uuid))

    def test_follows_the_servers_in_nova(self):
        uuid = self._complete_cluster(workers=2)
        node_0 = self.nova.servers.by_name('b-node-0')
        node_0.status = 'SHUTOFF'
        del self.nova.servers.servers[
            self.nova.servers.by_name('b-node-1').id]
        self.assertEqual(('UNHEALTHY', {
            'b-master-0': 'ACTIVE', 'b-node-0': 'SHUTOFF',
            'b-node-1': 'server %s no longer exists in Nova'
            % self._nodes(uuid)['b-node-1'].server_id}), self._check(uuid))
        # only the health: the cluster's status is that of its last operation
        self.assertEqual('CREATE_COMPLETE',
                         db_api.cluster_get(self.admin, uuid).status)

        node_0.status = 'ACTIVE'
        status, reason = self._check(uuid)
        self.assertEqual(('UNHEALTHY', 'ACTIVE'), (status, reason['b-node-0']))

    def test_unknown_when_nova_cannot_be_asked(self):
        uuid = self._complete_cluster(workers=1)
        self.trust_session.side_effect = RuntimeError('trust trust-1 gone')
        self.assertEqual(('UNKNOWN', {'nova': 'trust trust-1 gone'}),
                         self._check(uuid))
        self.trust_session.side_effect = None
        self.assertEqual('HEALTHY', self._check(uuid)[0])

    def test_cluster_in_progress_is_left_alone(self):
        uuid = self._complete_cluster(workers=1)
        cluster = db_api.cluster_get(self.admin, uuid)
        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')
        self.nova.servers.by_name('b-node-0').status = 'SHUTOFF'
        clusters.check_health(cluster)   # read before the update began
        self.assertEqual('HEALTHY', self._health(uuid)[0])


NET_TEMPLATE = '1f0c4b7e-8d4a-4a3b-9c0e-5e7f6a1b2c3d'


class TestClusterNetwork(ClusterTestCase):
    """A cluster's Neutron resources through cluster_network, fake Neutron."""

    def setUp(self):
        super().setUp()
        db_api.cluster_template_create(self.admin, {
            'uuid': NET_TEMPLATE, 'name': 'k8s-nodes', 'coe': 'kubernetes',
            'image_id': 'busybox', 'flavor_id': 'm1.tiny',
            'external_network_id': 'public', 'dns_nameserver': '172.24.4.1'})

    def _net_cluster(self, **values):
        return self._new_cluster(cluster_template_id=NET_TEMPLATE, **values)

    def _created(self, uuid, workers=2):
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        self.nova.servers.activate()
        self.assertEqual('CREATE_COMPLETE', self._sync(uuid).status)

    def _delete(self, uuid):
        self._start_operation(uuid, 'DELETE_IN_PROGRESS')
        self._sync(uuid)
        self.nova.servers.finish_deletes()
        return self._sync(uuid)

    def test_own_network_router_group_ports_and_floating_ips(self):
        uuid = self._net_cluster()
        self._created(uuid)
        tag = self._tag(uuid)
        network, = self.neutron.of('networks', tags=tag)
        subnet, = self.neutron.of('subnets', tags=tag)
        router, = self.neutron.of('routers', tags=tag)
        group, = self.neutron.of('security_groups', tags=tag)
        self.assertEqual(['b'] * 4, [network.name, subnet.name, router.name,
                                     group.name])
        self.assertEqual(('10.0.0.0/24', ['172.24.4.1'], network.id),
                         (subnet.cidr, subnet.dns_nameservers,
                          subnet.network_id))
        self.assertEqual({'network_id': 'public-id'},
                         router.external_gateway_info)
        self.assertEqual(1, len(self.neutron.of(
            'ports', device_id=router.id, network_id=network.id)))
        ports = self.neutron.of('ports', tags=tag)
        self.assertEqual(['b-master-0', 'b-node-0', 'b-node-1'],
                         sorted(p.name for p in ports))
        for port in ports:
            self.assertEqual(([group.id], subnet.id),
                             (port.security_group_ids,
                              port.fixed_ips[0]['subnet_id']))
        # the COE's rules
        self.assertIn({'security_group_id': group.id, 'direction': 'ingress',
                       'ethertype': 'IPv4', 'protocol': 'tcp',
                       'port_range_min': 6443, 'port_range_max': 6443,
                       'remote_ip_prefix': '0.0.0.0/0'},
                      group.security_group_rules)
        # one floating IP per port; the cluster reports them
        ips = {ip.port_id: ip.floating_ip_address
               for ip in self.neutron.of('ips', tags=tag)}
        self.assertEqual({p.id for p in ports}, set(ips))
        by_name = {p.name: ips[p.id] for p in ports}
        self.assertEqual([by_name['b-node-1']],
                         self._nodes(uuid)['b-node-1'].addresses)

    def test_no_floating_ips_when_disabled(self):
        uuid = self._net_cluster(floating_ip_enabled=False)
        self._created(uuid)
        self.assertEqual([], self.neutron.of('ips'))
        self.assertEqual(['10.0.0.2'], self._nodes(uuid)['b-node-1'].addresses)

    def test_delete_leaves_what_was_there_before(self):
        before = self.neutron.counts()
        uuid = self._net_cluster()
        self._created(uuid)
        self.assertNotEqual(before, self.neutron.counts())
        self.assertIsNone(self._delete(uuid))
        self.assertEqual(before, self.neutron.counts())

    def test_delete_failing_half_way_is_retried(self):
        before = self.neutron.counts()
        uuid = self._net_cluster()
        self._created(uuid)
        self.neutron.fail_on['delete_routers'] = (
            sdk_exc.ConflictException('router in use'))
        self._start_operation(uuid, 'DELETE_IN_PROGRESS')
        self._sync(uuid)
        self.nova.servers.finish_deletes()
        self.assertRaises(sdk_exc.ConflictException, self._sync, uuid)
        cluster = db_api.cluster_get(self.admin, uuid)
        self.assertEqual('DELETE_IN_PROGRESS', cluster.status)
        self.assertIn('router in use', cluster.status_reason)
        del self.neutron.fail_on['delete_routers']
        self.assertIsNone(self._sync(uuid))
        self.assertEqual(before, self.neutron.counts())

    def test_resources_made_before_a_crash_are_found_not_made_twice(self):
        uuid = self._net_cluster()
        # A conductor died between creating the network and tagging it.
        self.neutron.create_network(name='b', description=(
            'magnumlite cluster %s' % uuid))
        self._created(uuid)
        network, = self.neutron.of('networks', name='b')
        self.assertEqual([self._tag(uuid)], network.tags)
        # and a pass that finds everything there creates nothing
        calls = len(self.neutron.calls)
        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')
        self._sync(uuid)
        self.assertFalse([call for call in self.neutron.calls[calls:]
                          if call.startswith('create')])

    def test_a_floating_ip_left_untagged_by_a_crash_is_not_made_twice(self):
        uuid = self._net_cluster()
        self._created(uuid)
        # A conductor died between creating a node's floating IP (with
        # the cluster's description) and tagging it; the others are tagged.
        untagged = self.neutron.of('ips')[-1]
        untagged.tags = []
        calls = len(self.neutron.calls)
        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')
        self.assertEqual('UPDATE_COMPLETE', self._sync(uuid).status)
        self.assertNotIn('create_ip', self.neutron.calls[calls:])
        self.assertEqual([self._tag(uuid)], untagged.tags)
        self.assertEqual(3, len(self.neutron.of('ips')))
        self.assertIsNone(self._delete(uuid))
        self.assertEqual([], self.neutron.of('ips'))

    def _boots_with_waits(self, uuid, **waits_for):
        """A first pass whose Neutron requests wait as waits_for says."""
        self.neutron.waits_for.update(waits_for)
        clusters.start_create(self.user, uuid)
        self.assertEqual('CREATE_IN_PROGRESS', self._sync(uuid).status)
        self.assertEqual(3, len(self.nova.servers.servers))

    def test_the_network_is_made_beside_the_security_group(self):
        # Made one after the other, the network came first.
        self._boots_with_waits(self._net_cluster(),
                               networks='security_groups')

    def test_the_ports_are_listed_while_their_group_is_made(self):
        self._boots_with_waits(self._net_cluster(fixed_network='private'),
                               create_security_group_rules='ports')

    def test_the_ports_are_made_beside_their_groups_rules(self):
        self._boots_with_waits(self._net_cluster(fixed_network='private'),
                               create_security_group_rules='create_ports')

    def test_a_new_group_is_tagged_beside_its_rules(self):
        uuid = self._net_cluster(fixed_network='private')
        self._boots_with_waits(uuid, set_tags='create_security_group_rules')
        self.assertEqual(1, len(self.neutron.of('security_groups',
                                                tags=self._tag(uuid))))

    def test_network_neutron_refuses_fails_the_cluster(self):
        uuid = self._net_cluster(fixed_network='nosuch')
        clusters.start_create(self.user, uuid)
        cluster = self._sync(uuid)
        self.assertEqual(('CREATE_FAILED', 'Neutron refused the cluster\'s '
                          'network: No networks found for nosuch'),
                         (cluster.status, cluster.status_reason))
        self.assertEqual({}, self.nova.servers.servers)

    def test_neutron_unavailable_is_retried(self):
        uuid = self._net_cluster()
        self.neutron.fail_on['create_network'] = sdk_exc.HttpException(
            'Service Unavailable', http_status=503)
        clusters.start_create(self.user, uuid)
        self.assertRaises(sdk_exc.HttpException, self._sync, uuid)
        cluster = db_api.cluster_get(self.admin, uuid)
        self.assertEqual('CREATE_IN_PROGRESS', cluster.status)
        self.assertIn('Service Unavailable', cluster.status_reason)
        del self.neutron.fail_on['create_network']
        self._sync(uuid)
        self.nova.servers.activate()
        self.assertEqual('CREATE_COMPLETE', self._sync(uuid).status)

    def test_resize_down_releases_the_nodes_port_and_floating_ip(self):
        uuid = self._net_cluster()
        self._created(uuid)
        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')
        clusters.start_update(uuid, 1)
        self._sync(uuid)
        self.nova.servers.finish_deletes()
        self.assertEqual('UPDATE_COMPLETE', self._sync(uuid).status)
        self.assertEqual(['b-master-0', 'b-node-0'], sorted(
            p.name for p in self.neutron.of('ports', tags=self._tag(uuid))))
        self.assertEqual(2, len(self.neutron.of('ips')))
