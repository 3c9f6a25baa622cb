import time

import fixtures
import oslo_messaging as messaging
from oslo_messaging import conffixture

from magnumlite.common import context
from magnumlite.common import rpc
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

    def test_client_and_server_versions_agree(self):
        self.assertEqual(rpcapi.ConductorAPI.RPC_API_VERSION,
                         manager.ConductorManager.target.version)


class TestConductorService(base.TestCase):
    """The real service over oslo.messaging's in-process fake driver."""

    def setUp(self):
        super().setUp()
        self.useFixture(base.Database(self.conf_fixture))
        self.useFixture(conffixture.ConfFixture(self.conf_fixture.conf))
        self.conf_fixture.config(transport_url='fake:/', host='node-1')
        self.conf_fixture.config(group='conductor', topic='test-topic',
                                 report_interval=1)
        self.addCleanup(rpc.cleanup)

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
