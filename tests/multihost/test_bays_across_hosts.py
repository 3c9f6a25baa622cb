"""Bays whose nodes Nova spreads over two Docker compute hosts.

Each host has its own engine, nova-compute and OVN chassis; its nodes'
ports are on its own datapath, and traffic between hosts is geneve over
the underlay between the chassis (tools/allinone-neutron). A bay's node
groups are soft-anti-affinity by default, so its workers land on both
hosts; these tests check that they did and that the nodes then work
together as one cluster.
"""

import collections
import os
import subprocess
import tempfile

import docker

from tests.integration import base
from tests.integration import test_bays
from tests.integration import test_swarm

PING = ('ping', '-c', '3', '-W', '2')


class MultiHostTestCase(test_bays.BayTestCase):

    def setUp(self):
        super().setUp()
        self.engines = base.docker_engines()
        if len(self.engines) < 2:
            self.fail('these tests need two Docker hosts, found %s: '
                      'MAGNUMLITE_DOCKER_HOSTS=2 tools/allinone up (tools/'
                      'run-tests multihost does it)' % sorted(self.engines))

    def engine(self, host):
        client = docker.DockerClient(base_url=self.engines[host],
                                     version='auto')
        self.addCleanup(client.close)
        return client

    def servers_by_host(self, bay_uuid):
        """{host: [servers]} of a bay's servers (any project's)."""
        by_host = collections.defaultdict(list)
        for server in self.conn.compute.servers(all_projects=True):
            if server.metadata.get('magnumlite_cluster') == bay_uuid:
                by_host[server.compute_host].append(server)
        return by_host

    def container(self, server):
        [found] = self.engine(server.compute_host).containers.list(
            filters={'label': '%s=%s' % (base.INSTANCE_LABEL, server.id)})
        return found

    @staticmethod
    def fixed_ip(server):
        return [address['addr'] for addresses in server.addresses.values()
                for address in addresses
                if address.get('OS-EXT-IPS:type') == 'fixed'][0]

    def assert_spread(self, by_host):
        self.assertEqual(sorted(self.engines), sorted(by_host),
                         'the bay\'s servers are on only some hosts')
        worker_hosts = {host for host, servers in by_host.items()
                        for server in servers if '-node-' in server.name}
        # 3 workers in one soft-anti-affinity group, 2 hosts: both.
        self.assertEqual(2, len(worker_hosts))


class TestEnginesSideBySide(MultiHostTestCase):
    """A further Docker host leaves the other hosts' engines as they were."""

    # tools/allinone builds it in the first host's engine.
    IMAGE = 'magnumlite/busybox:latest'

    def test_each_engine_runs_a_container_on_its_default_network(self):
        # Heat's DockerInc::Docker::Container resources run on the first
        # host's default network, docker0, which an engine started with
        # no bridge of its own deletes.
        [first] = [host for host, url in self.engines.items()
                   if url == 'unix:///var/run/docker.sock']
        image = b''.join(self.engine(first).images.get(self.IMAGE).save())
        for host in sorted(self.engines):
            engine = self.engine(host)
            if host != first:
                engine.images.load(image)
                self.addCleanup(engine.images.remove, self.IMAGE)
            interfaces = engine.containers.run(
                self.IMAGE, ['ls', '/sys/class/net'], remove=True)
            self.assertIn('eth0', interfaces.decode().split(), host)


class TestBayAcrossHosts(MultiHostTestCase):

    def test_nodes_on_both_hosts_reach_each_other(self):
        name = self._create_bay(node_count=3)
        bay = self._wait_for_status(name, 'CREATE_COMPLETE')
        by_host = self.servers_by_host(bay['uuid'])
        self.assert_spread(by_host)
        servers = [s for host_servers in by_host.values()
                   for s in host_servers]
        self._check_servers(bay, masters=[0], workers=[0, 1, 2])
        # ICMP from every node to every other node, on the bay's network.
        for source in servers:
            container = self.container(source)
            for target in servers:
                if target.id == source.id:
                    continue
                result = container.exec_run(PING + (self.fixed_ip(target),))
                self.assertEqual(0, result.exit_code, '%s (%s) -> %s (%s): %s'
                                 % (source.name, source.compute_host,
                                    target.name, target.compute_host,
                                    result.output.decode()[-500:]))
        # TCP across hosts, a stream much larger than one packet.
        [host_a, host_b] = sorted(by_host)
        server, client = by_host[host_a][0], by_host[host_b][0]
        self.container(server).exec_run(
            ['sh', '-c', 'dd if=/dev/zero bs=1k count=1000 2>/dev/null'
             ' | nc -l -p 5001'], detach=True)
        received = base.wait_until(lambda: self._received(
            client, self.fixed_ip(server), 5001), timeout=30,
            what='a TCP stream from %s' % host_a)
        self.assertEqual(1000 * 1024, received)
        test_bays.coe('cluster', 'delete', name)
        self._wait_for_bay_gone(name, bay['uuid'])

    def _received(self, client, address, port):
        """Bytes read from address:port in the client's container."""
        result = self.container(client).exec_run(
            ['sh', '-c', 'sleep 3 | nc %s %d | wc -c' % (address, port)])
        return int(result.output.decode().strip() or 0)


class TestSwarmBayAcrossHosts(MultiHostTestCase):
    """A swarm-mode bay whose nodes' engines join one swarm across hosts."""

    def test_swarm_nodes_on_both_hosts_join_one_swarm(self):
        name = self.unique_name('swarm')
        env = dict(os.environ, OS_USERNAME=test_swarm.PROJECT,
                   OS_PROJECT_NAME=test_swarm.PROJECT)
        base.openstack_cli('coe', 'cluster', 'create', name,
                           '--cluster-template', test_swarm.TEMPLATE,
                           '--master-count', '1', '--node-count', '3',
                           env=env)
        self.addCleanup(self._delete_swarm, name, env)
        conn = base.cloud(test_swarm.PROJECT, test_swarm.PROJECT)
        bay = base.wait_until(
            lambda: self._settled(conn, name), timeout=test_swarm.BAY_TIMEOUT,
            interval=2, what='bay %s to settle' % name)
        self.assertEqual('CREATE_COMPLETE', bay['status'],
                         bay['status_reason'])
        by_host = self.servers_by_host(bay['uuid'])
        self.assert_spread(by_host)

        certs = tempfile.mkdtemp(prefix='swarm-config-')
        self.addCleanup(subprocess.run, ['rm', '-rf', certs])
        client_env = test_swarm.client_env(base.openstack_cli(
            'coe', 'cluster', 'config', name, '--dir', certs,
            '--output-certs', '--force', env=env))
        out = test_swarm.docker_cli(client_env, 'node', 'ls', '--format',
                                    '{{.Hostname}} {{.Status}}').stdout
        nodes = dict(line.split() for line in out.splitlines())
        self.assertEqual(
            {s.name: 'Ready' for servers in by_host.values()
             for s in servers},
            nodes)
        # The host reaches each node's floating IP, the second host's
        # through the first, which holds the router's gateway.
        for servers in by_host.values():
            for server in servers:
                floating = [a['addr'] for addresses in
                            server.addresses.values() for a in addresses
                            if a.get('OS-EXT-IPS:type') == 'floating']
                self.assertTrue(floating, server.name)
                self.assertTrue(base.wait_until(
                    lambda: base.host_pings(floating[0]), timeout=30,
                    what='%s (%s) answering on %s' % (
                        server.name, server.compute_host, floating[0])))

    @staticmethod
    def _settled(conn, name):
        bay = base.cluster(conn, name)
        return None if bay['status'].endswith('IN_PROGRESS') else bay

    def _delete_swarm(self, name, env):
        conn = base.cloud(test_swarm.PROJECT, test_swarm.PROJECT)
        if base.cluster(conn, name) is None:
            return
        base.openstack_cli('coe', 'cluster', 'delete', name, env=env)
        base.wait_until(lambda: base.cluster(conn, name) is None,
                        timeout=test_swarm.BAY_TIMEOUT, interval=2,
                        what='bay %s to be deleted' % name)
