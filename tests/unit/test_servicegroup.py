import datetime

from magnumlite.common import servicegroup
from tests.unit import base

T0 = datetime.datetime(2025, 1, 1, 12, 0, 0)


class TestServiceIsUp(base.TestCase):

    def setUp(self):
        super().setUp()
        self.conf_fixture.config(group='conductor', service_down_time=60)
        self.clock = self.useFixture(base.Clock(T0))

    def _service(self, seconds_ago, never_updated=False):
        reported = T0 - datetime.timedelta(seconds=seconds_ago)
        if never_updated:
            return {'created_at': reported, 'updated_at': None}
        return {'created_at': T0 - datetime.timedelta(days=1),
                'updated_at': reported}

    def test_up_within_service_down_time(self):
        self.assertTrue(servicegroup.service_is_up(self._service(0)))
        self.assertTrue(servicegroup.service_is_up(self._service(60)))

    def test_down_after_service_down_time(self):
        self.assertFalse(servicegroup.service_is_up(self._service(61)))

    def test_never_updated_counts_from_creation(self):
        self.assertTrue(servicegroup.service_is_up(
            self._service(30, never_updated=True)))
        self.assertFalse(servicegroup.service_is_up(
            self._service(90, never_updated=True)))

    def test_clock_skew_either_way_is_tolerated_up_to_the_limit(self):
        self.assertTrue(servicegroup.service_is_up(self._service(-60)))
        self.assertFalse(servicegroup.service_is_up(self._service(-61)))
