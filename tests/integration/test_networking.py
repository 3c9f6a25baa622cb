"""Neutron ports on Docker servers, through the real cloud.

Servers boot on Neutron networks (ML2/OVN on Open vSwitch's userspace
datapath) in availability zone ``docker``; the Docker driver plugs each port
into the container's network namespace. Connectivity is checked from inside
the containers (busybox ping and nc), the wiring on the host with ``ip``,
``ovs-vsctl`` and Neutron's port list.
"""

import json
import os
import re
import subprocess
import uuid

from tests.integration import base

# The Docker host's own Open vSwitch (tools/allinone-neutron).
OVS_DB = 'unix:' + os.path.join(base.ALLINONE_HOME, 'data', 'ovs-docker',
                                'db.sock')
BRIDGE = 'ml-br-int'
# How long a port may take to pass traffic after its server is ACTIVE or
# after a change (OVN programs flows asynchronously); a bound, not a sleep.
TRAFFIC_TIMEOUT = 30


def host_links():
    out = subprocess.run(['ip', '-o', 'link'], capture_output=True,
                         text=True, check=True).stdout
    return {line.split(': ')[1].split('@')[0] for line in out.splitlines()}


def ovs_ports():
    out = subprocess.run(['ovs-vsctl', '--db=' + OVS_DB, 'list-ports',
                          BRIDGE], capture_output=True, text=True,
                         check=True).stdout
    return set(out.split())


def tap_name(port_id):
    return ('tap' + port_id)[:14]


class NetworkTestCase(base.DockerServerTestCase):

    # -- Neutron ------------------------------------------------------------

    def network(self, cidr):
        net = self.conn.network.create_network(
            name=self.unique_name('net'))
        self.addCleanup(self.conn.network.delete_network, net)
        # OVN's DHCP answers only on subnets with a gateway.
        self.conn.network.create_subnet(
            network_id=net.id, ip_version=4, cidr=cidr,
            name=self.unique_name('subnet'))
        return net

    def port(self, network, **kw):
        port = self.conn.network.create_port(
            network_id=network.id, name=self.unique_name('port'), **kw)
        self.addCleanup(self.conn.network.delete_port, port,
                        ignore_missing=True)
        return port

    def server_ports(self, server_id):
        return list(self.conn.network.ports(device_id=server_id))

    # -- containers ---------------------------------------------------------

    def container(self, server_id):
        found = self.containers(server_id)
        self.assertEqual(1, len(found), 'containers of %s' % server_id)
        return found[0]

    def run_in(self, server_id, *cmd):
        code, out = self.container(server_id).exec_run(list(cmd))
        return code, out.decode('utf-8', 'replace')

    def fixed_ip(self, port):
        return port.fixed_ips[0]['ip_address']

    # -- traffic ------------------------------------------------------------

    def pings(self, server_id, address, count=1):
        code, _ = self.run_in(server_id, 'ping', '-c', str(count), '-W', '1',
                              address)
        return code == 0

    def assert_reaches(self, server_id, address):
        base.wait_until(lambda: self.pings(server_id, address),
                        timeout=TRAFFIC_TIMEOUT,
                        what='ping %s -> %s' % (server_id, address))

    def assert_cannot_reach(self, server_id, address):
        self.assertFalse(self.pings(server_id, address, count=3),
                         '%s reaches %s' % (server_id, address))

    def tcp_reply(self, client_id, server_id, address, port=8080):
        """Connect from client to server's nc listener; its greeting."""
        greeting = 'hello-%s' % uuid.uuid4().hex[:6]
        self.container(server_id).exec_run(
            ['sh', '-c', 'echo %s | nc -l -p %d' % (greeting, port)],
            detach=True)

        def answered():
            _, out = self.run_in(client_id, 'nc', '-w', '2', address,
                                 str(port))
            return out.strip() == greeting
        try:
            base.wait_until(answered, timeout=10, interval=0.5,
                            what='TCP %s -> %s:%d' % (client_id, address,
                                                      port))
            return True
        except AssertionError:
            return False
        finally:
            # the listener, if nobody connected
            self.run_in(server_id, 'pkill', '-f', 'nc -l -p %d' % port)

    def dhcp_offer(self, server_id):
        """The address Neutron's DHCP (OVN) offers on the server's eth0.

        The container cannot run a DHCP client itself (no NET_ADMIN), so the
        host's busybox udhcpc runs in its network namespace, without
        applying the lease.
        """
        pid = self.container(server_id).attrs['State']['Pid']
        out = subprocess.run(
            ['nsenter', '-t', str(pid), '-n', 'busybox', 'udhcpc', '-i',
             'eth0', '-n', '-q', '-f', '-t', '5', '-T', '1', '-s',
             '/bin/true'], capture_output=True, text=True, timeout=30)
        found = re.search(r'lease of (\S+) obtained',
                          out.stdout + out.stderr)
        return found and found.group(1)


class TestTwoServersOnOneNetwork(NetworkTestCase):

    def test_addresses_dhcp_ping_tcp_and_isolation(self):
        net = self.network('10.21.0.0/24')
        a = self.boot('--network', net.id)
        b = self.boot('--network', net.id)
        port_a, = self.server_ports(a)
        port_b, = self.server_ports(b)
        self.assertEqual(['ACTIVE', 'ACTIVE'],
                         [port_a.status, port_b.status])

        # The port's MAC, fixed IP, MTU and the gateway route, in the
        # container; set from outside, the container cannot change them.
        _, addr = self.run_in(a, 'ip', '-o', 'addr', 'show', 'eth0')
        self.assertIn('inet %s/24' % self.fixed_ip(port_a), addr)
        _, link = self.run_in(a, 'ip', '-o', 'link', 'show', 'eth0')
        self.assertIn('link/ether %s' % port_a.mac_address, link)
        self.assertIn('mtu %d ' % self.conn.network.get_network(net.id).mtu,
                      link)
        _, routes = self.run_in(a, 'ip', 'route')
        self.assertIn('default via 10.21.0.1 dev eth0', routes)
        code, _ = self.run_in(a, 'ip', 'link', 'set', 'eth0', 'down')
        self.assertNotEqual(0, code, 'an unprivileged container set its '
                                     'interface down')

        # Neutron's DHCP hands out the same address.
        self.assertEqual(self.fixed_ip(port_b), self.dhcp_offer(b))

        self.assert_reaches(a, self.fixed_ip(port_b))
        self.assert_reaches(b, self.fixed_ip(port_a))
        self.assertTrue(self.tcp_reply(a, b, self.fixed_ip(port_b)))

        # Another network, even with the same addresses, is unreachable.
        other = self.network('10.21.0.0/24')
        taken = {self.fixed_ip(port_a), self.fixed_ip(port_b)}
        free = next('10.21.0.%d' % i for i in range(250, 2, -1)
                    if '10.21.0.%d' % i not in taken)
        port_c = self.port(other, fixed_ips=[{'ip_address': free}])
        c = self.boot('--port', port_c.id)
        self.assert_cannot_reach(a, self.fixed_ip(port_c))
        self.assert_cannot_reach(c, self.fixed_ip(port_a))

    def test_security_group_blocks_until_a_rule_allows(self):
        net = self.network('10.22.0.0/24')
        a = self.boot('--network', net.id)
        closed = self.conn.network.create_security_group(
            name=self.unique_name('closed'))
        self.addCleanup(self.conn.network.delete_security_group, closed)
        port_b = self.port(net, security_group_ids=[closed.id])
        b = self.boot('--port', port_b.id)
        address = self.fixed_ip(port_b)

        # No ingress rule: ping and TCP are dropped (OVN ACLs).
        self.assert_cannot_reach(a, address)
        self.assertFalse(self.tcp_reply(a, b, address))

        self.conn.network.create_security_group_rule(
            security_group_id=closed.id, direction='ingress',
            protocol='icmp', ethertype='IPv4')
        self.assert_reaches(a, address)
        # ICMP only: TCP stays blocked.
        self.assertFalse(self.tcp_reply(a, b, address))


class TestPortsFollowTheServer(NetworkTestCase):

    def test_attach_and_detach_a_port_live(self):
        # b starts on one network and gets a port on a's network: a reaches
        # b only through the attached port.
        first = self.network('10.23.0.0/24')
        net = self.network('10.33.0.0/24')
        a = self.boot('--network', net.id)
        b = self.boot('--network', first.id)
        extra = self.port(net)
        self.assert_cannot_reach(a, self.fixed_ip(self.server_ports(b)[0]))
        base.openstack_cli('server', 'add', 'port', b, extra.id)

        def plugged():
            _, out = self.run_in(b, 'ip', '-o', 'addr')
            return self.fixed_ip(extra) + '/24' in out
        base.wait_until(plugged, what='attached port in the container')
        base.wait_until(
            lambda: self.conn.network.get_port(extra.id).status == 'ACTIVE',
            what='attached port ACTIVE')
        _, link = self.run_in(b, 'ip', '-o', 'link', 'show', 'eth1')
        self.assertIn(extra.mac_address, link)
        self.assert_reaches(a, self.fixed_ip(extra))

        base.openstack_cli('server', 'remove', 'port', b, extra.id)
        base.wait_until(lambda: tap_name(extra.id) not in host_links(),
                        what='detached port\'s veth gone')
        self.assertNotIn(tap_name(extra.id), ovs_ports())
        _, out = self.run_in(b, 'ip', '-o', 'link')
        self.assertNotIn(extra.mac_address, out)
        self.assert_cannot_reach(a, self.fixed_ip(extra))
        self.assertEqual(1, len(self.server_ports(b)))

    def test_network_survives_power_operations(self):
        net = self.network('10.24.0.0/24')
        a = self.boot('--network', net.id)
        b = self.boot('--network', net.id)
        address = self.fixed_ip(self.server_ports(b)[0])
        self.assert_reaches(a, address)
        for actions in ((('reboot', '--soft'),), (('reboot', '--hard'),),
                        (('stop',), ('start',)), (('pause',), ('unpause',)),
                        (('suspend',), ('resume',))):
            for action in actions:
                status = {'stop': 'SHUTOFF', 'pause': 'PAUSED',
                          'suspend': 'SUSPENDED'}.get(action[0], 'ACTIVE')
                self.action(b, *action, status=status)
            self.assert_reaches(a, address)
            self.assert_reaches(b, self.fixed_ip(self.server_ports(a)[0]))
            # one veth and one OVS port per port, whatever happened
            tap = tap_name(self.server_ports(b)[0].id)
            self.assertIn(tap, host_links())
            self.assertIn(tap, ovs_ports())

    def test_network_survives_a_nova_compute_restart(self):
        net = self.network('10.25.0.0/24')
        a = self.boot('--network', net.id)
        b = self.boot('--network', net.id)
        address = self.fixed_ip(self.server_ports(b)[0])
        self.assert_reaches(a, address)
        # A container restarted behind Nova's back has a new network
        # namespace without its port; nova-compute's start (plug_vifs)
        # wires the port into it, and leaves the running one alone.
        self.container(b).restart(timeout=0)
        self.assert_cannot_reach(a, address)
        base.allinone('restart', 'nova-compute-docker')
        self.assert_reaches(a, address)
        self.assertEqual('ACTIVE', self.server_ports(b)[0].status)

    def test_delete_leaves_nothing_behind(self):
        net = self.network('10.26.0.0/24')
        server = self.boot('--network', net.id, '--network', net.id)
        ports = self.server_ports(server)
        self.assertEqual(2, len(ports))
        taps = {tap_name(p.id) for p in ports}
        self.assertLessEqual(taps, host_links())
        self.assertLessEqual(taps, ovs_ports())
        base.openstack_cli('server', 'delete', '--wait', server)
        self.assertFalse(taps & host_links())
        self.assertFalse(taps & ovs_ports())
        self.assertEqual([], self.server_ports(server))

    def test_fake_driver_host_boots_with_a_port(self):
        # Zone fake: Nova's fake driver, which plugs nothing (port DOWN)
        # and does not wait for Neutron's events.
        net = self.network('10.27.0.0/24')
        name = self.unique_name('fake')
        server = json.loads(base.openstack_cli(
            'server', 'create', '--availability-zone', base.FAKE_ZONE,
            '--image', base.TEST_IMAGE, '--flavor', base.TEST_FLAVOR,
            '--network', net.id, '--wait', '-f', 'json', name))
        self.addCleanup(self.delete_quietly, server['id'])
        self.assertEqual('ACTIVE', server['status'])
        port, = self.server_ports(server['id'])
        self.assertEqual('allinone', port.binding_host_id)
        self.assertEqual('ovs', port.binding_vif_type)


class TestFloatingIPs(NetworkTestCase):
    """Network public, router1 (SNAT) and floating IPs from the host's side.

    Servers on private go out through router1; the host reaches them on
    floating IPs from public, with ICMP and TCP, and they reach the host's
    address on public and the registry there.
    """

    def open_group(self):
        """A security group letting in ICMP and TCP 8080 from anywhere."""
        group = self.conn.network.create_security_group(
            name=self.unique_name('open'))
        self.addCleanup(self.conn.network.delete_security_group, group)
        for rule in ({'protocol': 'icmp'},
                     {'protocol': 'tcp', 'port_range_min': 8080,
                      'port_range_max': 8080}):
            self.conn.network.create_security_group_rule(
                security_group_id=group.id, direction='ingress',
                ethertype='IPv4', remote_ip_prefix='0.0.0.0/0', **rule)
        return group

    def add_floating_ip(self, server_id):
        """A floating IP from public, added to the server; its address."""
        public = self.conn.network.find_network(base.PUBLIC_NETWORK)
        fip = self.conn.network.create_ip(floating_network_id=public.id)
        self.addCleanup(self.conn.network.delete_ip, fip,
                        ignore_missing=True)
        base.openstack_cli('server', 'add', 'floating', 'ip', server_id,
                           fip.floating_ip_address)
        return fip.floating_ip_address

    def greet_forever(self, server_id, port=8080):
        """A TCP listener on the server that greets every client."""
        greeting = 'hello-%s' % uuid.uuid4().hex[:6]
        self.container(server_id).exec_run(
            ['sh', '-c', 'while :; do echo %s | nc -l -p %d; done'
             % (greeting, port)], detach=True)
        return greeting

    def assert_host_reaches(self, server_id, address):
        base.wait_until(lambda: base.host_pings(address),
                        timeout=TRAFFIC_TIMEOUT,
                        what='ICMP host -> %s' % address)
        greeting = self.greet_forever(server_id)
        base.wait_until(
            lambda: base.host_tcp_greeting(address, 8080) == greeting,
            timeout=TRAFFIC_TIMEOUT, what='TCP host -> %s:8080' % address)

    def test_host_reaches_a_server_on_its_floating_ip_only(self):
        group = self.open_group()
        server = self.boot('--network', 'private', '--security-group',
                           group.id)
        address = self.add_floating_ip(server)
        self.assert_host_reaches(server, address)
        # the server's fixed address is not reachable from the host
        fixed = self.fixed_ip(self.server_ports(server)[0])
        self.assertFalse(base.host_pings(fixed))

        base.openstack_cli('server', 'remove', 'floating', 'ip', server,
                           address)
        base.wait_until(lambda: not base.host_pings(address),
                        timeout=TRAFFIC_TIMEOUT,
                        what='%s to stop answering' % address)

    def test_server_reaches_the_hosts_side_of_public_and_the_registry(self):
        server = self.boot('--network', 'private')
        self.assert_reaches(server, base.PUBLIC_GATEWAY)
        _, tags = self.run_in(server, 'wget', '-q', '-O', '-',
                              base.REGISTRY + '/v2/library/busybox/tags/list')
        self.assertEqual({'name': 'library/busybox', 'tags': ['latest']},
                         json.loads(tags))
        # Read-only from the servers' side: no upload can start.
        code, out = self.run_in(
            server, 'wget', '-q', '-O', '-', '--post-data', '',
            base.REGISTRY + '/v2/library/busybox/blobs/uploads/')
        self.assertNotEqual(0, code)
        self.assertIn('405', out)
        # Nothing goes beyond the host: it forwards nothing that arrives
        # from public (and speaks no IPv6 there).
        for option, value in (('ipv4/conf/ml-br-ex/forwarding', '0'),
                              ('ipv6/conf/ml-br-ex/disable_ipv6', '1')):
            with open('/proc/sys/net/' + option) as f:
                self.assertEqual(value, f.read().strip(), option)

    def test_floating_ip_survives_power_operations_and_compute_restart(self):
        group = self.open_group()
        server = self.boot('--network', 'private', '--security-group',
                           group.id)
        address = self.add_floating_ip(server)
        port_id = self.server_ports(server)[0].id
        self.assert_host_reaches(server, address)
        for actions in ((('stop',), ('start',)), (('reboot', '--soft'),),
                        (('reboot', '--hard'),)):
            for action in actions:
                self.action(server, *action, status='SHUTOFF'
                            if action[0] == 'stop' else 'ACTIVE')
            self.assert_host_reaches(server, address)
        base.allinone('restart', 'nova-compute-docker')
        self.assert_host_reaches(server, address)
        fip, = self.conn.network.ips(floating_ip_address=address)
        self.assertEqual(port_id, fip.port_id)
