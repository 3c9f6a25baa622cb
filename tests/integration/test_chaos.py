"""Bays through faults of the services under them, on the all-in-one.

A process is killed (or the broker restarted) while bays are
being created or deleted, then `tools/allinone up` starts what is down, as
an operator's supervisor would. Whatever the timing, every bay must end
COMPLETE or FAILED with a reason, never stay *_IN_PROGRESS, and once
deleted leave no server, container or Neutron resource behind.
"""

import configparser
import os
import signal
import socket
import subprocess
import time

import docker
import fixtures
import sqlalchemy as sa

from tests.integration import base
from tests.integration import test_bays

# A lost create request fails its bay after [conductor] claim_lease (180 s);
# a server Nova left in BUILD fails it after the bay's 5-minute timeout.
SETTLE_TIMEOUT = 420
# nova-compute reaps a deleted server's container within a minute
# (running_deleted_instance_poll_interval, devstack/lib/magnumlite).
REAP_TIMEOUT = 150
SETTLED = ('CREATE_COMPLETE', 'CREATE_FAILED', 'UPDATE_COMPLETE',
           'UPDATE_FAILED')


def _alive(pid):
    """Whether pid runs (a zombie, exited but not reaped, does not)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except FileNotFoundError:
        return False


def _magnumlite_conf():
    return os.path.join(base.ALLINONE_HOME, 'etc', 'magnumlite',
                        'magnumlite.conf')


def _magnumlite_db():
    """The all-in-one magnumlite's database (what its conductors share)."""
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(_magnumlite_conf())
    return sa.create_engine(conf['database']['connection'])


def _port_open(port):
    try:
        socket.create_connection(('127.0.0.1', port), 1).close()
        return True
    except OSError:
        return False


class TestChaos(test_bays.BayTestCase):

    def setUp(self):
        super().setUp()
        self.docker = docker.from_env(version='auto')
        self.addCleanup(self.docker.close)

    def _settled(self, name):
        """The bay once it left *_IN_PROGRESS; it must say why it failed."""
        def settled():
            bay = self._show(name)
            return not bay['status'].endswith('_IN_PROGRESS') and bay
        bay = base.wait_until(settled, timeout=SETTLE_TIMEOUT,
                              what='%s to leave *_IN_PROGRESS' % name)
        self.assertIn(bay['status'], SETTLED)
        if bay['status'].endswith('_FAILED'):
            self.assertTrue(bay['status_reason'], bay)
        return bay

    def _delete_leaving_nothing(self, name):
        """Delete the bay; none of its servers, containers or ports stay."""
        bay = self._show(name)
        server_ids = [s.id for s in self._servers(bay['uuid'])]
        test_bays.coe('cluster', 'delete', name)
        self._wait_for_bay_gone(name, bay['uuid'])
        self._assert_nothing_left(bay['uuid'], server_ids)

    def _assert_nothing_left(self, uuid, server_ids):
        for server_id in server_ids:
            # A server whose build failed during the fault may have been
            # deleted by nova-api alone (its host unset or thought down),
            # and its failure cleanup may not have reached the container:
            # nova-compute's reaper removes it (every minute here).
            base.wait_until(
                lambda: not self.docker.containers.list(
                    all=True, filters={'label': '%s=%s' % (
                        base.INSTANCE_LABEL, server_id)}),
                timeout=REAP_TIMEOUT,
                what='no container of deleted server %s' % server_id)
        tag = 'magnumlite_cluster=' + uuid
        network = self.conn.network
        for kind in ('networks', 'routers', 'security_groups'):
            self.assertEqual([], list(getattr(network, kind)(tags=tag)),
                             kind)
        for server_id in server_ids:
            self.assertEqual([], list(network.ports(device_id=server_id)))

    def _first_server(self, name):
        return base.wait_until(
            lambda: list(self.conn.compute.servers(name='^%s-' % name)),
            what="%s's first server" % name)

    def test_conductor_killed_mid_create_finishes_the_bay(self):
        name = self._create_bay(node_count=4)
        # Once its first server is in Nova, the trust is made, the node
        # rows recorded and the Nova work under way: kill the conductor
        # there, as a crash would, and start it again.
        self._first_server(name)
        os.killpg(base.service_pid('magnumlite-conductor'), signal.SIGKILL)
        base.allinone('up')

        bay = self._wait_for_status(name, 'CREATE_COMPLETE')
        # Every node once, none twice: the new conductor adopted what the
        # dead one had asked Nova for and created only what was missing.
        self._check_servers(bay, [0], [0, 1, 2, 3])
        self._delete_leaving_nothing(name)

    def test_conductor_killed_mid_delete_finishes_the_delete(self):
        name = self._create_bay(node_count=2)
        bay = self._wait_for_status(name, 'CREATE_COMPLETE')
        server_ids = [s.id for s in self._servers(bay['uuid'])]
        test_bays.coe('cluster', 'delete', name)
        base.wait_until(
            lambda: len(self._servers(bay['uuid'])) < len(server_ids) or (
                self._show(name)['status'] == 'DELETE_IN_PROGRESS'),
            what='%s to be deleting' % name)
        os.killpg(base.service_pid('magnumlite-conductor'), signal.SIGKILL)
        base.allinone('up')

        self._wait_for_bay_gone(name, bay['uuid'])
        self._assert_nothing_left(bay['uuid'], server_ids)

    def test_rabbitmq_restarted_during_five_creates(self):
        names = [self._create_bay(node_count=1) for _ in range(5)]
        self._first_server(names[0])
        broker = base.service_pid('rabbitmq')
        os.kill(broker, signal.SIGTERM)
        base.wait_until(lambda: not _alive(broker) and not _port_open(5672),
                        timeout=60, what='RabbitMQ to exit')
        time.sleep(2)      # every service sees the broker gone
        base.allinone('up')

        bays = [self._settled(name) for name in names]
        for name in names:
            self._delete_leaving_nothing(name)
        # the cloud works on after the outage: a new bay completes
        self.assertIn('CREATE_COMPLETE', [bay['status'] for bay in bays] + [
            self._wait_for_status(self._create_bay(node_count=1),
                                  'CREATE_COMPLETE')['status']])

    def test_nova_compute_killed_mid_boot(self):
        name = self._create_bay(node_count=3)
        base.wait_until(
            lambda: any(s.status == 'BUILD' for s in
                        self.conn.compute.servers(name='^%s-' % name)),
            what='a server of %s in BUILD' % name)
        os.killpg(base.service_pid('nova-compute-docker'), signal.SIGKILL)
        base.allinone('up')

        self._settled(name)
        self._delete_leaving_nothing(name)

    def test_docker_engine_restarted_with_a_bay_running(self):
        name = self._create_bay(node_count=1)
        bay = self._wait_for_status(name, 'CREATE_COMPLETE')
        engine = base.service_pid('dockerd')
        os.kill(engine, signal.SIGTERM)
        base.wait_until(lambda: not _alive(engine), timeout=60,
                        what='the Docker engine to exit')
        base.allinone('up')

        # The engine stopped the containers: the driver's event stream
        # tells Nova, the servers are SHUTOFF, and the bay's health says so.
        def all_shutoff():
            servers = self._servers(bay['uuid'])
            return all(s.status == 'SHUTOFF' for s in servers) and servers
        servers = base.wait_until(all_shutoff,
                                  what="%s's servers to be SHUTOFF" % name)
        unhealthy = self._wait_for_health(name, 'UNHEALTHY')
        self.assertEqual('CREATE_COMPLETE', unhealthy['status'])
        self.assertEqual({s.name: 'SHUTOFF' for s in servers},
                         unhealthy['health_status_reason'])
        # Started again, on the restarted engine, with their ports.
        for server in servers:
            self.conn.compute.start_server(server)
        self._wait_for_health(name, 'HEALTHY')
        self._check_servers(self._show(name), [0], [0])
        self._delete_leaving_nothing(name)

    def _second_conductor(self, host):
        """Another magnumlite-conductor on the cloud's bus and database.

        Its own host name, as a conductor on a second machine would have;
        stopped, and its service row removed (a retired host), at cleanup.
        """
        conf = os.path.join(self.useFixture(
            fixtures.TempDir()).path, 'host.conf')
        with open(conf, 'w') as f:
            f.write('[DEFAULT]\nhost = %s\n' % host)
        log = open(os.path.join(base.ALLINONE_HOME, 'logs',
                                'magnumlite-conductor-%s.log' % host), 'a')
        self.addCleanup(log.close)
        proc = subprocess.Popen(
            [os.path.join(base.ALLINONE_HOME, 'venv', 'bin',
                          'magnumlite-conductor'),
             '--config-file', _magnumlite_conf(), '--config-file', conf],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.addCleanup(self._forget_service, host)
        self.addCleanup(self._stop, proc)
        base.wait_until(
            lambda: (host, 'up') in [
                (s['host'], s['state']) for s in test_bays.coe_json(
                    'service', 'list')],
            what='conductor %s to report up' % host)
        return proc

    @staticmethod
    def _stop(proc):
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    @staticmethod
    def _forget_service(host):
        engine = _magnumlite_db()
        with engine.begin() as db:
            db.execute(sa.text('DELETE FROM mservices WHERE host = :host'),
                       {'host': host})
        engine.dispose()

    @staticmethod
    def _claimed_by(name):
        engine = _magnumlite_db()
        with engine.connect() as db:
            claimant = db.execute(sa.text(
                'SELECT claimed_by FROM clusters WHERE name = :name'),
                {'name': name}).scalar()
        engine.dispose()
        return claimant

    def test_two_conductors_one_stopped_mid_create_the_other_finishes(self):
        second_host = 'allinone-2'
        second = self._second_conductor(second_host)
        name = self._create_bay(node_count=3)
        self._first_server(name)
        holder = base.wait_until(lambda: self._claimed_by(name),
                                 what='a conductor to claim %s' % name)
        # Stop whichever conductor drives the bay, as a host that dies;
        # the other must take the bay over and finish it.
        if holder.startswith(second_host + '/'):
            os.killpg(second.pid, signal.SIGKILL)
            second.wait()
        else:
            self.addCleanup(base.allinone, 'up')
            os.killpg(base.service_pid('magnumlite-conductor'),
                      signal.SIGKILL)

        bay = self._wait_for_status(name, 'CREATE_COMPLETE')
        # Every node once: the survivor adopted what the stopped one had
        # asked Nova for, and created only what was missing.
        self._check_servers(bay, [0], [0, 1, 2])
        self._delete_leaving_nothing(name)
