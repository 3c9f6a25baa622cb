"""Swarm-mode clusters against fake engines (the Docker API boundary)."""

import subprocess

from cryptography import x509 as crypto_x509
import fixtures

from magnumlite.common import context
from magnumlite.common import x509
from magnumlite.conductor import certificates
from magnumlite.conductor import clusters
from magnumlite.conductor.coe import base as coe_base
from magnumlite.conductor.coe import swarm_mode
from magnumlite.db import api as db_api
from tests.unit import base
from tests.unit.conductor import fake_docker
from tests.unit.conductor import test_clusters

TEMPLATE = '7d3cd6e8-5b1a-4a55-8f0e-9a7cbbe1f0aa'


def node(index, role='worker', uuid=None):
    name = 'b-%s-%d' % ('master' if role == 'master' else 'node', index)
    fixed = '10.0.0.%d' % (index + (10 if role == 'master' else 20))
    return coe_base.NodeFacts(
        uuid=uuid or 'uuid-%s' % name, name=name, role=role, index=index,
        status='ACTIVE', fixed_address=fixed,
        address=fixed.replace('10.0.0', '172.24.4'))


class SwarmTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(base.Database(self.conf_fixture))
        self.admin = context.get_admin_context()
        db_api.cluster_template_create(self.admin, {
            'uuid': TEMPLATE, 'name': 'swarm', 'coe': 'swarm-mode'})
        self.cluster = db_api.cluster_create(self.admin, {
            'name': 'b', 'project_id': 'p', 'cluster_template_id': TEMPLATE,
            'labels': {'registry_mirror': 'http://172.24.4.1:4000'},
            'status': 'CREATE_IN_PROGRESS'})
        certificates.ensure(self.cluster)
        self.template = db_api.cluster_template_get(self.admin, TEMPLATE)
        self.world = fake_docker.World()
        self.useFixture(fixtures.MockPatch(
            'magnumlite.common.docker_engine.connect',
            side_effect=self.world.connect))
        self.nodes = [node(0, 'master'), node(0), node(1)]
        ca = certificates.ca_certificate(self.cluster.uuid)
        self.engines = [self.world.add(n.address, n.uuid, ca)
                        for n in self.nodes]

    def authorities(self):
        return certificates.authorities(self.cluster.uuid)

    def converge(self, nodes=None):
        return swarm_mode.converge(self.cluster, self.template,
                                   nodes or self.nodes, self.authorities())


class TestConverge(SwarmTestCase):

    def test_first_master_inits_the_others_join(self):
        outcome = self.converge()
        self.assertEqual(coe_base.COMPLETE, outcome.status, outcome.reason)
        self.assertEqual('swarm of 3 nodes, all Ready', outcome.reason)
        self.assertEqual({'api_address': 'tcp://172.24.4.10:2376',
                          'coe_version': '20.10.24',
                          'container_version': '20.10.24'}, outcome.values)
        master, worker0, worker1 = self.engines
        self.assertEqual('10.0.0.10', master.advertised)
        self.assertEqual(
            [(['10.0.0.10:2377'], 'worker-token-%s' % master.swarm.id,
              '10.0.0.20')], worker0.joins)
        self.assertEqual({master.node_id, worker0.node_id, worker1.node_id},
                         set(master.swarm.members))
        self.assertEqual(['master', 'worker', 'worker'],
                         [e.spec['Labels']['role'] for e in self.engines])

    def test_a_second_master_joins_as_a_manager(self):
        second = node(1, 'master')
        engine = self.world.add(second.address, second.uuid,
                                certificates.ca_certificate(
                                    self.cluster.uuid))
        self.converge([self.nodes[0], second])
        self.assertIn('manager-token', engine.joins[0][1])

    def test_passes_are_idempotent(self):
        self.converge()
        swarm = self.engines[0].swarm
        self.assertEqual(coe_base.COMPLETE, self.converge().status)
        self.assertIs(swarm, self.engines[0].swarm)
        self.assertEqual(1, len(self.engines[1].joins))

    def test_an_init_may_take_longer_than_other_calls(self):
        self.engines[0].init_takes = 30
        outcome = self.converge()
        self.assertEqual(coe_base.COMPLETE, outcome.status, outcome.reason)

    def test_an_init_that_times_out_is_waited_for_not_repeated(self):
        master = self.engines[0]
        master.init_takes = 100
        outcome = self.converge()
        self.assertEqual(coe_base.IN_PROGRESS, outcome.status)
        self.assertEqual(
            "waiting for the engine of b-master-0: HTTPSConnectionPool("
            "host='172.24.4.10', port=2376): Read timed out. (read "
            "timeout=60)", outcome.reason)
        swarm = master.swarm
        self.assertEqual(coe_base.COMPLETE, self.converge().status)
        self.assertIs(swarm, master.swarm)

    def test_waits_for_engines_that_do_not_answer_yet(self):
        self.engines[0].up = False
        outcome = self.converge()
        self.assertEqual(coe_base.IN_PROGRESS, outcome.status)
        self.assertEqual('waiting for the engine of b-master-0: Error while '
                         'fetching server API version: Connection refused',
                         outcome.reason)
        self.engines[0].up = True
        self.engines[2].up = False
        outcome = self.converge()
        self.assertEqual(coe_base.IN_PROGRESS, outcome.status)
        self.assertIn('waiting for swarm nodes: b-node-1: Error while '
                      'fetching server API version', outcome.reason)
        self.assertEqual('tcp://172.24.4.10:2376',
                         outcome.values['api_address'])
        self.engines[2].up = True
        self.assertEqual(coe_base.COMPLETE, self.converge().status)

    def test_a_node_not_ready_is_named_with_its_state(self):
        self.converge()
        self.engines[2].state = 'down'
        outcome = self.converge()
        self.assertEqual(coe_base.IN_PROGRESS, outcome.status)
        self.assertEqual('waiting for swarm nodes: b-node-1: down',
                         outcome.reason)

    def test_a_node_in_another_swarm_leaves_it_first(self):
        stray = fake_docker.Swarm(self.engines[1])
        self.engines[1].swarm = stray
        stray.members[self.engines[1].node_id] = self.engines[1]
        self.converge()
        self.assertIs(self.engines[0].swarm, self.engines[1].swarm)

    def test_engines_of_another_ca_are_not_trusted(self):
        self.engines[0].active_ca = x509.generate_ca('evil').cert
        outcome = self.converge()
        self.assertEqual(coe_base.IN_PROGRESS, outcome.status)
        self.assertIn('certificate verify failed', outcome.reason)


class TestShrink(SwarmTestCase):

    def test_a_removed_worker_is_drained_then_forgotten(self):
        self.converge()
        master, _, leaving = self.engines
        master.swarm.tasks[leaving.node_id] = 2

        def may_delete():
            return swarm_mode.may_delete(self.cluster, self.template,
                                         self.nodes[2], self.nodes[:2],
                                         self.authorities())

        self.assertFalse(may_delete())
        self.assertEqual('drain', leaving.spec['Availability'])
        self.assertFalse(may_delete())  # its tasks still run there
        master.swarm.tasks[leaving.node_id] = 0
        self.assertTrue(may_delete())
        self.assertNotIn(leaving.node_id, master.swarm.members)
        self.assertTrue(may_delete())  # gone: nothing left to wait for


class TestHealth(SwarmTestCase):

    def health(self):
        return swarm_mode.health(self.cluster, self.template, self.nodes,
                                 self.authorities())

    def test_health_is_the_swarm_node_list(self):
        self.converge()
        self.assertEqual(('HEALTHY', {'b-master-0': 'Ready',
                                      'b-node-0': 'Ready',
                                      'b-node-1': 'Ready'}), self.health())
        self.engines[1].state = 'down'
        self.engines[0].swarm.members.pop(self.engines[2].node_id)
        self.assertEqual(('UNHEALTHY', {'b-master-0': 'Ready',
                                        'b-node-0': 'down',
                                        'b-node-1': 'not in the swarm'}),
                         self.health())
        self.engines[0].up = False
        status, reason = self.health()
        self.assertEqual('UNKNOWN', status)
        self.assertIn('b-master-0: Error while fetching', reason['api'])


class TestRotateCA(SwarmTestCase):

    def rotate(self):
        return swarm_mode.rotate_ca(self.cluster, self.template, self.nodes,
                                    self.authorities())

    def test_nodes_get_the_new_ca_then_answer_only_through_it(self):
        self.converge()
        certificates.start_rotation(self.cluster)
        new_ca = self.authorities()[1][0].cert
        outcome = self.rotate()
        self.assertEqual(coe_base.IN_PROGRESS, outcome.status)
        self.assertIn('b-node-0: given the new certificate', outcome.reason)
        for engine, facts in zip(self.engines, self.nodes):
            self.assertEqual(new_ca, engine.tls_files['ca.pem'])
            server = crypto_x509.load_pem_x509_certificate(
                engine.tls_files['cert.pem'].encode())
            server.verify_directly_issued_by(
                crypto_x509.load_pem_x509_certificate(new_ca.encode()))
            self.assertIn(facts.address, str(server.extensions))
            self.assertEqual([], engine.containers)  # carrier removed
        written = dict(self.engines[1].tls_files)
        # Not restarted yet: waited for, not written again.
        outcome = self.rotate()
        self.assertIn('b-node-0: restarting its engine', outcome.reason)
        self.assertEqual(written, self.engines[1].tls_files)
        for engine in self.engines:
            engine.restart()
        self.assertEqual(coe_base.COMPLETE, self.rotate().status)


class TestUserData(SwarmTestCase):

    def test_boot_script_writes_the_engine_identity(self):
        server, ca = certificates.node_certificate(
            self.cluster.uuid, 'b-node-0', swarm_mode.node_names(
                self.nodes[1]))
        script = swarm_mode.user_data(self.cluster, self.template,
                                      self.nodes[1], (server, ca))
        root = self.useFixture(fixtures.TempDir()).path
        script = script.replace('/etc/', root + '/etc/')
        subprocess.run(['sh', '-c', script], check=True)
        with open(root + '/etc/docker/tls/key.pem') as f:
            self.assertEqual(server.key, f.read())
        with open(root + '/etc/docker/tls/ca.pem') as f:
            self.assertEqual(ca, f.read())
        env = subprocess.run(
            ['sh', '-c', 'set -a; . %s/etc/magnumlite/node.env; env' % root],
            check=True, capture_output=True, text=True).stdout
        self.assertIn('REGISTRY_MIRROR=http://172.24.4.1:4000\n', env)
        self.assertIn('NODE_LABELS=magnumlite.node=uuid-b-node-0,'
                      'magnumlite.cluster=%s,magnumlite.role=worker\n'
                      % self.cluster.uuid, env)


class TestSwarmCluster(test_clusters.ClusterTestCase):
    """A swarm-mode cluster through sync passes: Nova first, then the swarm."""

    def setUp(self):
        super().setUp()
        db_api.cluster_template_update(self.admin, test_clusters.TEMPLATE, {
            'coe': 'swarm-mode', 'external_network_id': 'public'})
        self.world = fake_docker.World()
        self.useFixture(fixtures.MockPatch(
            'magnumlite.common.docker_engine.connect',
            side_effect=self.world.connect))

    def floating_ip(self, node_name):
        [port] = self.neutron.of('ports', name=node_name)
        [ip] = self.neutron.of('ips', port_id=port.id)
        return ip.floating_ip_address

    def _servers_up(self, uuid):
        """Every server ACTIVE, with an engine at its floating IP."""
        self.nova.servers.activate()
        ca = certificates.ca_certificate(uuid)
        engines = {}
        for node in self._nodes(uuid).values():
            floating = self.floating_ip(node.name)
            if floating not in self.world.engines:
                engines[node.name] = self.world.add(floating, node.uuid, ca)
        return engines

    def test_complete_once_the_swarm_has_every_node(self):
        uuid = self._new_cluster(workers=2)
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        userdata = self.nova.servers.by_name('b-node-0').create_args[
            'userdata']
        # The engine's certificate names the node's fixed and floating
        # addresses, made before its server.
        cert = crypto_x509.load_pem_x509_certificate(userdata.split(
            "cert.pem <<'MAGNUMLITE_PEM'\n")[1].split('MAGNUMLITE_PEM')[0]
            .encode())
        [port] = self.neutron.of('ports', name='b-node-0')
        self.assertEqual(
            ['b-node-0'], cert.extensions.get_extension_for_class(
                crypto_x509.SubjectAlternativeName).value
            .get_values_for_type(crypto_x509.DNSName))
        self.assertEqual(
            [port.fixed_ips[0]['ip_address'], self.floating_ip('b-node-0')],
            [str(ip) for ip in cert.extensions.get_extension_for_class(
                crypto_x509.SubjectAlternativeName).value
             .get_values_for_type(crypto_x509.IPAddress)])
        engines = self._servers_up(uuid)
        engines['b-node-1'].up = False
        cluster = self._sync(uuid)
        self.assertEqual('CREATE_IN_PROGRESS', cluster.status)
        self.assertIn('waiting for swarm nodes: b-node-1: Error while '
                      'fetching server API version', cluster.status_reason)
        engines['b-node-1'].up = True
        cluster = self._sync(uuid)
        self.assertEqual(('CREATE_COMPLETE', 'swarm of 3 nodes, all Ready'),
                         (cluster.status, cluster.status_reason))
        self.assertEqual('tcp://%s:2376' % self.floating_ip('b-master-0'),
                         cluster.api_address)
        self.assertEqual('20.10.24', cluster.coe_version)
        self.assertEqual('HEALTHY', cluster.health_status)

    def test_a_node_that_never_joins_fails_the_cluster_by_name(self):
        uuid = self._new_cluster(workers=1)
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        self._servers_up(uuid)['b-node-0'].up = False
        self.clock.advance(11 * 60)
        cluster = self._sync(uuid)
        self.assertEqual('CREATE_FAILED', cluster.status)
        self.assertIn('timed out after 10 minutes; waiting for swarm nodes: '
                      'b-node-0: Error while fetching server API version: '
                      'Connection refused', cluster.status_reason)

    def test_shrinking_drains_before_the_server_goes(self):
        uuid = self._new_cluster(workers=2)
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        engines = self._servers_up(uuid)
        self.assertEqual('CREATE_COMPLETE', self._sync(uuid).status)
        leaving = engines['b-node-1']
        manager_swarm = engines['b-master-0'].swarm
        manager_swarm.tasks[leaving.node_id] = 1
        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')
        clusters.start_update(uuid, 1)
        server_id = self._nodes(uuid)['b-node-1'].server_id
        self._sync(uuid)
        self.assertEqual('drain', leaving.spec['Availability'])
        self.assertIsNone(getattr(self.nova.servers.servers[server_id],
                                  'OS-EXT-STS:task_state'))
        manager_swarm.tasks[leaving.node_id] = 0
        self._sync(uuid)
        self.assertNotIn(leaving.node_id, manager_swarm.members)
        self.assertEqual('deleting', getattr(
            self.nova.servers.servers[server_id], 'OS-EXT-STS:task_state'))
        self.nova.servers.finish_deletes()
        cluster = self._sync(uuid)
        self.assertEqual(('UPDATE_COMPLETE', 'swarm of 2 nodes, all Ready'),
                         (cluster.status, cluster.status_reason))

    def test_ca_rotation_through_the_sync_pass(self):
        uuid = self._new_cluster(workers=1)
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        engines = self._servers_up(uuid)
        self._sync(uuid)
        old_ca = certificates.ca_certificate(uuid)
        [old_authority] = certificates.authorities(uuid)
        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')
        clusters.start_ca_rotation(uuid)
        cluster = self._sync(uuid)
        self.assertEqual('UPDATE_IN_PROGRESS', cluster.status)
        self.assertIn('rotating the CA', cluster.status_reason)
        self.assertEqual(old_ca, certificates.ca_certificate(uuid))
        for engine in engines.values():
            engine.restart()
        cluster = self._sync(uuid)
        self.assertEqual('UPDATE_COMPLETE', cluster.status,
                         cluster.status_reason)
        self.assertNotEqual(old_ca, certificates.ca_certificate(uuid))
        self.assertEqual('HEALTHY', cluster.health_status)
        # The old CA's clients are refused from now on.
        facts = coe_base.NodeFacts('u', 'b-master-0', 'master', 0, 'ACTIVE',
                                   '10.0.0.0',
                                   self.floating_ip('b-master-0'))
        error = self.assertRaises(
            swarm_mode.EngineError, swarm_mode.engine(
                facts, [old_authority]).__enter__)
        self.assertIn('certificate verify failed', str(error))

    def test_a_dead_worker_is_replaced_by_a_resize_to_the_same_count(self):
        uuid = self._new_cluster(workers=1)
        clusters.start_create(self.user, uuid)
        self._sync(uuid)
        engines = self._servers_up(uuid)
        self.assertEqual('CREATE_COMPLETE', self._sync(uuid).status)
        dead = self._nodes(uuid)['b-node-0']
        del self.nova.servers.servers[dead.server_id]
        self.neutron.unbind(dead.server_id)
        engines['b-node-0'].up = False
        engines['b-node-0'].state = 'down'
        self.clock.advance(60)
        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')
        clusters.start_update(uuid, 1)
        self._sync(uuid)
        self.assertEqual(['b-master-0', 'b-node-1'],
                         sorted(self._nodes(uuid)))
        new = self.nova.servers.by_name('b-node-1')
        new.status = 'ACTIVE'
        new.addresses = {'private': [{'addr': '10.0.0.9'}]}
        self.world.add(self.floating_ip('b-node-1'),
                       self._nodes(uuid)['b-node-1'].uuid,
                       certificates.ca_certificate(uuid))
        cluster = self._sync(uuid)
        self.assertEqual(('UPDATE_COMPLETE', 'swarm of 2 nodes, all Ready'),
                         (cluster.status, cluster.status_reason))
        # The dead node is no longer a member of the swarm.
        self.assertNotIn(engines['b-node-0'].node_id,
                         engines['b-master-0'].swarm.members)
