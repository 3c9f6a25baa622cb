"""Conductor workers share the clusters in progress, never one cluster."""

import collections
import threading
import time

import fixtures

from magnumlite.conductor import manager
from magnumlite.db import api as db_api
from tests.unit.conductor import test_clusters


class ClaimsTestCase(test_clusters.ClusterTestCase):
    """Sync passes that only record which claimant drove which cluster."""

    def setUp(self):
        super().setUp()
        self.lock = threading.Lock()
        self.driving = collections.Counter()
        self.overlaps = []
        self.drivers = collections.defaultdict(set)
        # What is under test is who may drive a cluster: a sync pass here
        # only records who drives it and for a while.
        self.useFixture(fixtures.MockPatch(
            'magnumlite.conductor.clusters.sync', side_effect=self._sync_pass))

    def _sync_pass(self, cluster, claimant):
        with self.lock:
            self.driving[cluster.uuid] += 1
            if self.driving[cluster.uuid] > 1:
                self.overlaps.append(cluster.uuid)
            self.drivers[cluster.uuid].add(claimant)
        time.sleep(0.002)
        with self.lock:
            self.driving[cluster.uuid] -= 1

    def _clusters_in_progress(self, count):
        uuids = [self._new_cluster(name='b%d' % i) for i in range(count)]
        for uuid in uuids:
            db_api.cluster_update(self.admin, uuid, {
                'status': 'UPDATE_IN_PROGRESS', 'trust_id': 'trust-1'})
        return uuids

    def _run_together(self, passes):
        start = threading.Barrier(len(self.conductors))

        def run(conductor):
            start.wait()
            for _ in range(passes):
                conductor.sync_clusters()

        threads = [threading.Thread(target=run, args=(c,))
                   for c in self.conductors]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


class TestTwoConductors(ClaimsTestCase):

    def setUp(self):
        super().setUp()
        # Workers 0 and 1 of one host, as [conductor] workers = 2 forks.
        self.conductors = [manager.ConductorManager('host-1', 'host-1/%d' % i)
                           for i in range(2)]

    def test_twenty_clusters_each_driven_by_one_worker(self):
        uuids = self._clusters_in_progress(20)

        self._run_together(passes=5)

        self.assertEqual([], self.overlaps)
        self.assertEqual(set(uuids), set(self.drivers))
        self.assertEqual({uuid: 1 for uuid in uuids},
                         {uuid: len(d) for uuid, d in self.drivers.items()})
        claims = {db_api.cluster_get(self.admin, uuid).claimed_by
                  for uuid in uuids}
        self.assertLessEqual(claims, {'host-1/0', 'host-1/1'})

    def test_clusters_of_a_dead_worker_are_taken_over_when_lease_ends(self):
        uuids = self._clusters_in_progress(3)
        first, second = self.conductors
        first.sync_clusters()          # then worker 0 dies, holding the claims
        second.sync_clusters()
        self.assertEqual({'host-1/0'},
                         set.union(*self.drivers.values()))

        self.clock.advance(self.conf_fixture.conf.conductor.claim_lease + 1)
        second.sync_clusters()

        self.assertEqual({uuid: {'host-1/0', 'host-1/1'} for uuid in uuids},
                         dict(self.drivers))
        self.assertEqual({'host-1/1'}, {
            db_api.cluster_get(self.admin, uuid).claimed_by
            for uuid in uuids})

    def test_a_restarted_worker_takes_its_own_claims_back_at_once(self):
        uuids = self._clusters_in_progress(2)
        self.conductors[0].sync_clusters()
        restarted = manager.ConductorManager('host-1', 'host-1/0')
        restarted.sync_clusters()
        self.assertEqual({uuid: {'host-1/0'} for uuid in uuids},
                         dict(self.drivers))


class TestConductorHosts(ClaimsTestCase):
    """Conductors on two hosts, each heartbeating to the database."""

    def setUp(self):
        super().setUp()
        self.conductors = [manager.ConductorManager(host)
                           for host in ('host-1', 'host-2')]
        self._heartbeat('host-1', 'host-2')

    def _heartbeat(self, *hosts):
        for host in hosts:
            db_api.mservice_heartbeat(self.admin, host, manager.BINARY)

    def _claims(self, uuids):
        return {db_api.cluster_get(self.admin, uuid).claimed_by
                for uuid in uuids}

    def test_clusters_of_a_host_whose_heartbeat_stopped_are_taken_over(self):
        uuids = self._clusters_in_progress(3)
        first, second = self.conductors
        first.sync_clusters()          # then host-1 stops, holding the claims
        down_time = self.conf_fixture.conf.conductor.service_down_time
        self.clock.advance(down_time)
        self._heartbeat('host-2')
        second.sync_clusters()
        # Not yet: host-1's last heartbeat is just service_down_time old.
        self.assertEqual({'host-1/0'}, self._claims(uuids))

        self.clock.advance(1)
        self._heartbeat('host-2')
        second.sync_clusters()
        # Long before the claims' lease would have ended.
        self.assertLess(down_time + 1,
                        self.conf_fixture.conf.conductor.claim_lease)
        self.assertEqual({'host-2/0'}, self._claims(uuids))
        self.assertEqual({uuid: {'host-1/0', 'host-2/0'} for uuid in uuids},
                         dict(self.drivers))

    def test_a_live_host_keeps_its_clusters(self):
        uuids = self._clusters_in_progress(2)
        first, second = self.conductors
        first.sync_clusters()
        self.clock.advance(100)
        self._heartbeat('host-1', 'host-2')
        second.sync_clusters()
        self.assertEqual({'host-1/0'}, self._claims(uuids))

    def test_a_host_name_is_not_a_pattern(self):
        # A dead host "host_1" must not free the claims of host-1's
        # workers (LIKE's "_" matches any character).
        uuids = self._clusters_in_progress(1)
        self.conductors[0].sync_clusters()
        self.assertFalse(db_api.cluster_claim(
            self.admin, uuids[0], 'host-2/0', 60, dead_hosts=['host_1']))
        self.assertEqual({'host-1/0'}, self._claims(uuids))

    def test_a_host_going_down_wakes_the_sync_pass_once(self):
        second = self.conductors[1]
        self.assertFalse(second.hosts_went_down())
        self.assertFalse(second.work_to_do.is_set())
        self.clock.advance(
            self.conf_fixture.conf.conductor.service_down_time + 1)
        self._heartbeat('host-2')
        self.assertTrue(second.hosts_went_down())
        self.assertTrue(second.work_to_do.is_set())
        second.work_to_do.clear()
        # still down: no news, no wake-up
        self.assertFalse(second.hosts_went_down())
        self.assertFalse(second.work_to_do.is_set())


class TestParallelSync(ClaimsTestCase):
    """One conductor drives several clusters at once, each by one thread."""

    def _sync_meeting(self, parties, timeout):
        """clusters.sync passes that each wait for parties - 1 others."""
        barrier = threading.Barrier(parties, timeout=timeout)

        def sync(cluster, claimant):
            self._sync_pass(cluster, claimant)
            barrier.wait()
            return False
        self.useFixture(fixtures.MockPatch(
            'magnumlite.conductor.clusters.sync', side_effect=sync))
        return barrier

    def test_clusters_are_driven_at_the_same_time(self):
        uuids = self._clusters_in_progress(3)
        barrier = self._sync_meeting(3, timeout=10)
        manager.ConductorManager('host-1').sync_clusters()
        self.assertFalse(barrier.broken)
        self.assertEqual({uuid: {'host-1/0'} for uuid in uuids},
                         dict(self.drivers))

    def test_one_thread_drives_them_one_after_another(self):
        self.conf_fixture.config(group='conductor', sync_threads=1)
        self._clusters_in_progress(2)
        barrier = self._sync_meeting(2, timeout=0.5)
        manager.ConductorManager('host-1').sync_clusters()
        self.assertTrue(barrier.broken)

    def test_a_cast_for_a_cluster_does_not_wait_for_another_ones_pass(self):
        busy, idle = self._clusters_in_progress(2)
        conductor = manager.ConductorManager('host-1')
        started, release = threading.Event(), threading.Event()

        def slow_sync(cluster, claimant):
            started.set()
            release.wait(10)
            return False
        self.useFixture(fixtures.MockPatch(
            'magnumlite.conductor.clusters.sync', side_effect=slow_sync))
        db_api.cluster_update(self.admin, idle, {'status': 'CREATE_COMPLETE'})
        sync = threading.Thread(target=conductor.sync_clusters)
        sync.start()
        self.addCleanup(sync.join)
        self.addCleanup(release.set)
        self.assertTrue(started.wait(10))
        rotated = threading.Event()
        self.useFixture(fixtures.MockPatch(
            'magnumlite.conductor.clusters.start_ca_rotation',
            side_effect=lambda uuid: rotated.set()))
        caster = threading.Thread(target=conductor.rotate_ca,
                                  args=(self.user, idle))
        caster.start()
        # while busy's pass still runs
        self.assertTrue(rotated.wait(5))
        caster.join()
        self.assertFalse(release.is_set())
