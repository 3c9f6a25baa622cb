import datetime

from magnumlite.common import context
from magnumlite.db import api as db_api
from tests.unit import base

T0 = datetime.datetime(2025, 1, 1, 12, 0, 0, 123456)


class TestListMServices(base.APITestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(base.Database(self.conf_fixture))
        self.conf_fixture.config(group='conductor', service_down_time=60)
        self.clock = self.useFixture(base.Clock(T0))
        admin = context.get_admin_context()
        db_api.mservice_heartbeat(admin, 'quiet', 'magnumlite-conductor')
        self.clock.advance(30)
        db_api.mservice_heartbeat(admin, 'busy', 'magnumlite-conductor')
        db_api.mservice_heartbeat(admin, 'busy', 'magnumlite-conductor')

    def test_lists_services_as_magnum_does(self):
        resp = self.request('/v1/mservices')

        self.assertEqual(200, resp.status_int)
        self.assertEqual({'mservices': [
            {'id': 1, 'host': 'quiet', 'binary': 'magnum-conductor',
             'state': 'up', 'report_count': 1, 'disabled': False,
             'disabled_reason': None,
             'created_at': '2025-01-01T12:00:00+00:00',
             'updated_at': '2025-01-01T12:00:00+00:00'},
            {'id': 2, 'host': 'busy', 'binary': 'magnum-conductor',
             'state': 'up', 'report_count': 2, 'disabled': False,
             'disabled_reason': None,
             'created_at': '2025-01-01T12:00:30+00:00',
             'updated_at': '2025-01-01T12:00:30+00:00'},
        ]}, resp.json)

    def test_state_goes_down_after_service_down_time(self):
        self.clock.advance(31)

        states = {m['host']: m['state']
                  for m in self.request('/v1/mservices').json['mservices']}
        self.assertEqual({'quiet': 'down', 'busy': 'up'}, states)

    def test_non_admin_is_forbidden(self):
        for roles in ('member', 'reader', 'member,reader'):
            resp = self.request('/v1/mservices', roles=roles)
            self.assertEqual(403, resp.status_int)
            [error] = resp.json['errors']
            self.assertEqual(
                "Policy doesn't allow magnum-service:get_all to be "
                "performed.", error['detail'])
            self.assertEqual('client', error['code'])
