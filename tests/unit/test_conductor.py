import time

import fixtures
import oslo_messaging as messaging

from magnumlite.common import context
from magnumlite.conductor import manager
from magnumlite.conductor import rpcapi
from magnumlite.conductor import service
from magnumlite.db import api as db_api
from tests.unit import base


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
