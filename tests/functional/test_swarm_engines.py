"""Swarm-mode bays' COE against real nested engines, without Nova.

Three containers of the node image (tools/build-node-image), given what
the Docker driver gives a server whose flavor asks for a nested engine
(nova_driver.nested_engine.grant), on a bridge network of their own with
fixed addresses, each booting with the user_data the conductor renders
for it (its engine's TLS identity from the bay's CA). Then
coe/swarm_mode.py drives them as the conductor does, over TLS: the swarm,
a drain, a CA rotation the engines restart for, the health.
"""

import functools
import ipaddress
import os
import random
import subprocess
import types
import uuid

import docker
from docker import types as docker_types
from testtools import content

from magnumlite.common import context
from magnumlite.conductor import certificates
from magnumlite.conductor.coe import base as coe_base
from magnumlite.conductor.coe import swarm_mode
from magnumlite.db import api as db_api
from nova_driver import nested_engine
from tests.unit import base as unit_base
from tests import waiting

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
# Engines start a few seconds after their container; a swarm takes a few
# more. Bounds, never sleeps.
SWARM_TIMEOUT = 180
# The all-in-one's registry, on the host's side of its public network: the
# nodes' mirror (tools/allinone up puts busybox there).
REGISTRY_MIRROR = 'http://172.24.4.1:4000'


wait_for = functools.partial(waiting.wait_until, timeout=SWARM_TIMEOUT,
                             interval=1)


class TestSwarmEngines(unit_base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(unit_base.Database(self.conf_fixture))
        # Real engines take their time; the unit tier's 60 s is too short.
        self.useFixture(unit_base.fixtures.Timeout(900, gentle=True))
        self.docker = docker.from_env(version='auto')
        self.addCleanup(self.docker.close)
        self.image = subprocess.run(
            [os.path.join(REPO, 'tools', 'build-node-image'), '--name'],
            check=True, capture_output=True, text=True).stdout.strip()
        try:
            self.docker.images.get(self.image)
        except docker.errors.ImageNotFound:
            self.fail('no node image %s: tools/allinone up builds it'
                      % self.image)
        admin = context.get_admin_context()
        template = db_api.cluster_template_create(admin, {
            'name': 'swarm', 'coe': 'swarm-mode'})
        self.template = db_api.cluster_template_get(admin, template.uuid)
        self.cluster = db_api.cluster_create(admin, {
            'name': 'func', 'project_id': 'p',
            'cluster_template_id': template.uuid,
            'labels': {'registry_mirror': REGISTRY_MIRROR}})
        certificates.ensure(self.cluster)
        self.subnet = self._network()
        self.nodes = [self._node(0, 'master', 10), self._node(0, 'worker', 20),
                      self._node(1, 'worker', 21)]

    def _network(self):
        """A bridge of the test's own, in a random 172.31.x.0/24."""
        subnet = ipaddress.ip_network('172.31.%d.0/24'
                                      % random.randint(0, 255))
        name = 'ml-func-swarm-%s' % uuid.uuid4().hex[:8]
        network = self.docker.networks.create(
            name, driver='bridge', ipam=docker_types.IPAMConfig(
                pool_configs=[docker_types.IPAMPool(subnet=str(subnet))]))
        self.addCleanup(network.remove)
        self.network_name = name
        return subnet

    def _node(self, index, role, host):
        """A node container booting its user_data; its NodeFacts.

        host: its address's host part on the test's network.
        """
        name = 'b-%s-%d' % ('master' if role == 'master' else 'node', index)
        address = str(self.subnet[host])
        facts = coe_base.NodeFacts(
            uuid=str(uuid.uuid4()), name=name, role=role, index=index,
            status='ACTIVE', fixed_address=address, address=address)
        tls = certificates.node_certificate(self.cluster.uuid, name,
                                            swarm_mode.node_names(facts))
        metadata = self.useFixture(unit_base.fixtures.TempDir()).path
        os.makedirs(os.path.join(metadata, 'latest'))
        with open(os.path.join(metadata, 'latest', 'user_data'), 'w') as f:
            f.write(swarm_mode.user_data(self.cluster, self.template, facts,
                                         tls))
        instance = types.SimpleNamespace(uuid=facts.uuid)
        kwargs = nested_engine.grant({
            'image': self.image, 'name': 'ml-func-%s' % facts.uuid,
            'hostname': name, 'mem_limit': '512m',
            'labels': {'magnumlite.functional': 'swarm'},
            'volumes': {metadata: {'bind': '/run/openstack',
                                   'mode': 'ro'}}},
            instance, nested_engine.bounding_set())
        nested_engine.create_volume(self.docker, facts.uuid, {})
        self.addCleanup(nested_engine.remove_volume, self.docker, facts.uuid)
        container = self.docker.containers.create(
            network=self.network_name, **kwargs)
        self.addCleanup(container.remove, force=True)
        # Cleanups run last-in first-out: the log is read before removal.
        self.addCleanup(lambda: self.addDetail(
            name + '.log', content.text_content(
                container.logs().decode('utf-8', 'replace'))))
        # The address the certificate names: the network takes it at start.
        self.docker.networks.get(self.network_name).disconnect(container)
        self.docker.networks.get(self.network_name).connect(
            container, ipv4_address=address)
        container.start()
        return facts

    def authorities(self):
        return certificates.authorities(self.cluster.uuid)

    def converge(self, nodes=None):
        return swarm_mode.converge(self.cluster, self.template,
                                   nodes or self.nodes, self.authorities())

    def swarm_complete(self, nodes=None):
        def complete():
            outcome = self.converge(nodes)
            self.last_outcome = outcome
            return outcome.status == coe_base.COMPLETE and outcome
        self.addCleanup(lambda: self.addDetail('last outcome', (
            content.text_content(repr(getattr(self, 'last_outcome', None))))))
        return wait_for(complete, 'a swarm of every node')

    def manager(self):
        return swarm_mode.engine(self.nodes[0], self.authorities())

    def test_swarm_drain_rotation_health(self):
        outcome = self.swarm_complete()
        self.assertEqual('swarm of 3 nodes, all Ready', outcome.reason)
        self.assertEqual('tcp://%s:2376' % self.nodes[0].address,
                         outcome.values['api_address'])
        self.assertTrue(outcome.values['coe_version'])
        with self.manager() as manager:
            roles = {node.attrs['Spec']['Labels']['role']
                     for node in manager.nodes.list()}
            self.assertEqual({'master', 'worker'}, roles)
            leaving_id = swarm_mode._swarm_nodes(manager)[
                self.nodes[2].uuid].id
            # A service of the mirror's busybox, on every node.
            manager.services.create(
                'busybox', ['sleep', '3600'], name='sleepers',
                mode=docker_types.ServiceMode('replicated', replicas=3))

        def running(count):
            with self.manager() as manager:
                tasks = [t for t in manager.services.get('sleepers').tasks()
                         if t['Status']['State'] == 'running']
            return len(tasks) == count and tasks
        tasks = wait_for(lambda: running(3), 'three running tasks')
        self.assertGreaterEqual(len({t['NodeID'] for t in tasks}), 2)

        # The worker a resize removes: drained, then out of the swarm; its
        # tasks run on the others.
        wait_for(lambda: swarm_mode.may_delete(
            self.cluster, self.template, self.nodes[2], self.nodes[:2],
            self.authorities()), 'the worker drained and out of the swarm')
        tasks = wait_for(lambda: running(3), 'three running tasks')
        self.assertNotIn(leaving_id, {t['NodeID'] for t in tasks})
        self.assertEqual(coe_base.HEALTHY, swarm_mode.health(
            self.cluster, self.template, self.nodes[:2],
            self.authorities())[0])

        [old] = self.authorities()
        certificates.start_rotation(self.cluster)

        def rotated():
            outcome = swarm_mode.rotate_ca(self.cluster, self.template,
                                           self.nodes[:2],
                                           self.authorities())
            return outcome.status == coe_base.COMPLETE
        wait_for(rotated, 'the engines to take the new CA')
        certificates.finish_rotation(self.cluster.uuid)
        self.assertRaises(swarm_mode.EngineError,
                          swarm_mode.engine(self.nodes[0], [old]).__enter__)
        # Through the new CA the swarm is whole, and its service runs.
        self.swarm_complete(self.nodes[:2])
        wait_for(lambda: running(3), 'three running tasks after rotation')
