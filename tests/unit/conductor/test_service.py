"""The conductor service: casts in over RPC, the sync thread does the rest.

It registers before it serves and heartbeats while it runs; its sync
thread also checks the health of the clusters at rest.
"""

import functools
import time
import types

import fixtures
import oslo_messaging as messaging

from magnumlite.common import context
from magnumlite.common import exception
from magnumlite.conductor import manager
from magnumlite.conductor import rpcapi
from magnumlite.conductor import service
from magnumlite.db import api as db_api
from tests.unit import base
from tests.unit.conductor import fake_neutron
from tests.unit.conductor import fake_nova
from tests import waiting

TEMPLATE = '0b8e3b1e-1c52-4a5e-9d53-4f6d6c8f7a01'


wait_for = functools.partial(waiting.wait_until, timeout=10, interval=0.05)


class TestClustersOverRPC(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(base.Database(self.conf_fixture))
        self.useFixture(base.FakeBus(self.conf_fixture, 'cluster-topic',
                                     sync_interval=1))
        neutron = fake_neutron.FakeNeutron()
        self.nova = fake_nova.FakeNova(neutron)
        self.useFixture(fixtures.MockPatch(
            'magnumlite.common.clients.nova', return_value=self.nova))
        self.useFixture(fixtures.MockPatch(
            'magnumlite.common.clients.openstack_sdk',
            return_value=types.SimpleNamespace(
                network=neutron, image=fake_nova.FakeGlance())))
        self.useFixture(fixtures.MockPatch(
            'magnumlite.common.clients.trust_session'))
        self.useFixture(fixtures.MockPatch(
            'magnumlite.common.keystone.create_trust',
            return_value=('trust-1', 'trustee-1')))
        self.delete_trust = self.useFixture(fixtures.MockPatch(
            'magnumlite.common.keystone.delete_trust')).mock
        self.admin = context.get_admin_context()
        db_api.cluster_template_create(self.admin, {
            'uuid': TEMPLATE, 'name': 'k8s', 'coe': 'kubernetes',
            'image_id': 'busybox', 'flavor_id': 'm1.tiny'})
        conductor = service.ConductorService()
        conductor.start()
        self.addCleanup(conductor.stop)
        self.api = rpcapi.ConductorAPI()

    def _status(self, uuid):
        try:
            return db_api.cluster_get(self.admin, uuid).status
        except exception.ClusterNotFound:
            return None

    def _mark(self, uuid, status):
        db_api.cluster_update(self.admin, uuid, {'status': status})

    def test_create_resize_delete(self):
        uuid = db_api.cluster_create(self.admin, {
            'name': 'b', 'project_id': 'p', 'cluster_template_id': TEMPLATE,
            'master_count': 1, 'node_count': 1,
            'status': 'CREATE_IN_PROGRESS'}).uuid
        self.api.cluster_create(self.admin, uuid)
        wait_for(lambda: len(self.nova.servers.servers) == 2, '2 servers')
        self.nova.servers.activate()
        wait_for(lambda: self._status(uuid) == 'CREATE_COMPLETE',
                 'CREATE_COMPLETE')

        self._mark(uuid, 'UPDATE_IN_PROGRESS')
        self.api.cluster_update(self.admin, uuid, 2)
        wait_for(lambda: len(self.nova.servers.servers) == 3, '3 servers')
        self.nova.servers.activate()
        wait_for(lambda: self._status(uuid) == 'UPDATE_COMPLETE',
                 'UPDATE_COMPLETE')

        self._mark(uuid, 'DELETE_IN_PROGRESS')
        self.api.cluster_delete(self.admin, uuid)
        wait_for(lambda: all(
            getattr(s, 'OS-EXT-STS:task_state') == 'deleting'
            for s in self.nova.servers.servers.values()), 'deletes')
        self.nova.servers.finish_deletes()
        wait_for(lambda: self._status(uuid) is None, 'the cluster to go')
        self.delete_trust.assert_called_once_with('trust-1')


class TestConductorService(base.TestCase):
    """The real service over oslo.messaging's in-process fake driver."""

    def setUp(self):
        super().setUp()
        self.useFixture(base.Database(self.conf_fixture))
        self.useFixture(base.FakeBus(self.conf_fixture, 'test-topic',
                                     report_interval=1))

    def _start(self):
        conductor = service.ConductorService()
        conductor.start()
        self.addCleanup(conductor.stop)
        return conductor

    def test_registers_before_serving(self):
        self._start()
        [mservice] = db_api.mservice_list(context.get_admin_context())
        self.assertEqual(('node-1', 'magnumlite-conductor'),
                         (mservice.host, mservice.binary))

    def test_answers_ping_over_rpc(self):
        self._start()
        self.assertEqual(
            {'host': 'node-1', 'binary': 'magnumlite-conductor'},
            rpcapi.ConductorAPI().ping(context.get_admin_context(),
                                       timeout=10))

    def test_heartbeats_every_report_interval(self):
        self._start()
        admin = context.get_admin_context()

        def report_count():
            return db_api.mservice_list(admin)[0].report_count

        with fixtures.Timeout(10, gentle=True):
            while report_count() < 3:
                time.sleep(0.1)

    def test_stop_ends_serving_and_heartbeating(self):
        conductor = self._start()
        conductor.stop()
        admin = context.get_admin_context()
        count = db_api.mservice_list(admin)[0].report_count
        self.assertRaises(
            messaging.MessagingTimeout,
            rpcapi.ConductorAPI().ping, admin, timeout=1)
        self.assertEqual(count, db_api.mservice_list(admin)[0].report_count)

    def _count_health_checks(self, health_interval):
        self.conf_fixture.config(group='conductor', sync_interval=1,
                                 health_interval=health_interval)
        passes = self.useFixture(fixtures.MockPatchObject(
            manager.ConductorManager, 'sync_clusters')).mock
        checks = self.useFixture(fixtures.MockPatchObject(
            manager.ConductorManager, 'check_clusters_health')).mock
        self._start()
        with fixtures.Timeout(10, gentle=True):
            while passes.call_count < 3:
                time.sleep(0.1)
        # the checks of every cluster; those of clusters Nova said changed
        # aside
        return sum(1 for call in checks.call_args_list
                   if not call.kwargs.get('only_due'))

    def test_checks_health_between_sync_passes(self):
        self.assertGreaterEqual(self._count_health_checks(1), 2)

    def test_health_interval_0_disables_the_checks(self):
        self.assertEqual(0, self._count_health_checks(0))
