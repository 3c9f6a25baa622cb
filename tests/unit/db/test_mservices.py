import datetime

from magnumlite.common import context
from magnumlite.db import api as db_api
from tests.unit import base

T0 = datetime.datetime(2025, 1, 1, 12, 0, 0)


class TestMServiceHeartbeat(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(base.Database(self.conf_fixture))
        self.context = context.get_admin_context()
        self.clock = self.useFixture(base.Clock(T0))

    def test_first_heartbeat_creates_the_service(self):
        db_api.mservice_heartbeat(self.context, 'host1', 'magnumlite-x')

        [mservice] = db_api.mservice_list(self.context)
        self.assertEqual(('host1', 'magnumlite-x', 1, False, None),
                         (mservice.host, mservice.binary,
                          mservice.report_count, mservice.disabled,
                          mservice.disabled_reason))
        self.assertEqual(T0, mservice.created_at)
        self.assertEqual(T0, mservice.updated_at)

    def test_later_heartbeats_count_and_update(self):
        db_api.mservice_heartbeat(self.context, 'host1', 'magnumlite-x')
        self.clock.advance(10)
        db_api.mservice_heartbeat(self.context, 'host1', 'magnumlite-x')
        db_api.mservice_heartbeat(self.context, 'host1', 'magnumlite-x')

        [mservice] = db_api.mservice_list(self.context)
        self.assertEqual(3, mservice.report_count)
        self.assertEqual(T0, mservice.created_at)
        self.assertEqual(T0 + datetime.timedelta(seconds=10),
                         mservice.updated_at)

    def test_services_are_kept_apart_by_host_and_binary(self):
        for host, binary in [('h1', 'b1'), ('h2', 'b1'), ('h1', 'b2'),
                             ('h1', 'b1')]:
            db_api.mservice_heartbeat(self.context, host, binary)

        self.assertEqual(
            [('h1', 'b1', 2), ('h2', 'b1', 1), ('h1', 'b2', 1)],
            [(m.host, m.binary, m.report_count)
             for m in db_api.mservice_list(self.context)])
