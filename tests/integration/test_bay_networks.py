"""Bays' networks as Magnum lays them out, on the real Neutron.

Each test runs as a user of a project of its own, so that the project's
Neutron counts (ports, floating IPs, routers, networks, security groups)
are the bay's alone: they must be what they were before the bay once it is
deleted. Bays are of a COE magnumlite does not install (kubernetes: its
servers only, and the security group opens the API server's port, 6443,
from anywhere) on the Docker host; the host reaches them on their
floating IPs. Swarm bays on these networks are test_swarm.py's.
"""

import os
import uuid

from tests.integration import base
from tests.integration.test_bays import coe

BAY_TIMEOUT = 300
COUNTED = ('ports', 'ips', 'routers', 'networks', 'security_groups')


class TestBayNetworks(base.DockerServerTestCase):

    def setUp(self):
        super().setUp()
        name = self.unique_name('proj')
        identity = self.conn.identity
        self.project = identity.create_project(name=name, domain_id='default')
        self.addCleanup(identity.delete_project, self.project)
        user = identity.create_user(
            name=name, password=os.environ['OS_PASSWORD'],
            default_project_id=self.project.id, domain_id='default')
        self.addCleanup(identity.delete_user, user)
        identity.assign_project_role_to_user(
            self.project, user, identity.find_role('member'))
        self.env = dict(os.environ, OS_USERNAME=name, OS_PROJECT_NAME=name)
        self.user_conn = base.cloud(username=name, project=name)
        self.neutron = self.user_conn.network
        # Neutron makes a project's default security group when it is
        # first asked; that one is not the bay's.
        list(self.neutron.security_groups(project_id=self.project.id))
        self.addCleanup(self._delete_default_group)

    def _delete_default_group(self):
        for group in self.conn.network.security_groups(
                project_id=self.project.id):
            self.conn.network.delete_security_group(group)

    def counts(self):
        return {kind: len(list(getattr(self.neutron, kind)(
            project_id=self.project.id))) for kind in COUNTED}

    def template(self, *args):
        name = self.unique_name('tmpl')
        coe('cluster', 'template', 'create', name, '--coe', 'kubernetes',
            '--image', base.TEST_IMAGE, '--flavor', base.TEST_FLAVOR,
            '--master-flavor', base.TEST_FLAVOR, '--external-network',
            base.PUBLIC_NETWORK, *args, env=self.env)
        self.addCleanup(coe, 'cluster', 'template', 'delete', name,
                        env=self.env)
        return name

    def create_bay(self, template):
        name = self.unique_name('bay')
        coe('cluster', 'create', name, '--cluster-template', template,
            '--master-count', '1', '--node-count', '1', '--timeout', '5',
            env=self.env)
        self.addCleanup(self.delete_bay, name)

        def settled():
            bay = base.cluster(self.user_conn, name)
            return not bay['status'].endswith('IN_PROGRESS') and bay
        bay = base.wait_until(settled, timeout=BAY_TIMEOUT,
                              what='%s to be created' % name)
        self.assertEqual('CREATE_COMPLETE', bay['status'],
                         bay['status_reason'])
        return bay

    def delete_bay(self, name):
        def names():
            return list(base.clusters(self.user_conn))
        if name in names():
            coe('cluster', 'delete', name, env=self.env)
            base.wait_until(lambda: name not in names(), timeout=BAY_TIMEOUT,
                            what='%s to be deleted' % name)

    def servers(self, bay):
        return {s.name: s for s in self.conn.compute.servers(
            all_projects=True, project_id=self.project.id)
            if s.metadata.get('magnumlite_cluster') == bay['uuid']}

    def assert_reachable(self, bay):
        """The host reaches every node on the floating IP the bay reports.

        ICMP to every node, TCP to the API server's port on the master
        (the group opens it; nothing of magnumlite's listens there).
        """
        public = self.conn.network.find_network(base.PUBLIC_NETWORK)
        floating = {ip.floating_ip_address: ip for ip in self.neutron.ips(
            project_id=self.project.id)}
        addresses = bay['master_addresses'] + bay['node_addresses']
        self.assertEqual(2, len(addresses))
        for address in addresses:
            self.assertEqual(public.id,
                             floating[address].floating_network_id)
            base.wait_until(lambda: base.host_pings(address),
                            what='ICMP host -> %s' % address)
        master = bay['master_addresses'][0]
        self.assertIsNone(bay['api_address'])
        server = self.servers(bay)[bay['name'] + '-master-0']
        greeting = 'hello-%s' % uuid.uuid4().hex[:6]
        self.containers(server.id)[0].exec_run(
            ['sh', '-c', 'while :; do echo %s | nc -l -p 6443; done'
             % greeting], detach=True)
        base.wait_until(
            lambda: base.host_tcp_greeting(master, 6443) == greeting,
            what='TCP host -> %s:6443' % master)

    def test_bay_without_fixed_network_gets_its_own(self):
        before = self.counts()
        bay = self.create_bay(self.template('--dns-nameserver',
                                            base.PUBLIC_GATEWAY))
        tag = 'magnumlite_cluster=' + bay['uuid']
        network, = self.neutron.networks(tags=tag)
        subnet, = self.neutron.subnets(tags=tag)
        router, = self.neutron.routers(tags=tag)
        group, = self.neutron.security_groups(tags=tag)
        self.assertEqual([bay['name']] * 4, [network.name, subnet.name,
                                             router.name, group.name])
        self.assertEqual([base.PUBLIC_GATEWAY], subnet.dns_nameservers)
        self.assertEqual(
            self.conn.network.find_network(base.PUBLIC_NETWORK).id,
            router.external_gateway_info['network_id'])
        for server in self.servers(bay).values():
            self.assertEqual([network.name], list(server.addresses))
        self.assert_reachable(bay)

        self.delete_bay(bay['name'])
        self.assertEqual(before, self.counts())

    def test_bay_on_a_named_network(self):
        # Names, not uuids, as the CLI and Magnum take them; router1 joins
        # private to public.
        before = self.counts()
        bay = self.create_bay(self.template('--fixed-network', 'private'))
        self.assertEqual([], list(self.neutron.networks(
            tags='magnumlite_cluster=' + bay['uuid'])))
        for server in self.servers(bay).values():
            self.assertEqual(['private'], list(server.addresses))
        self.assert_reachable(bay)

        self.delete_bay(bay['name'])
        self.assertEqual(before, self.counts())
