"""Servers that run a Docker engine of their own, through the real Nova.

Two servers from the node image (``swarm-node``) with the nested-engine
flavor (``m1.swarm``) on ``private``, each with a user_data that writes its
TLS files (a CA and certificates made here) and node.env. The nested engines
are driven with the real docker CLI over TLS on 2376, across the tenant
network: the CLI runs in the first node's network namespace (nsenter), so
every call crosses Neutron exactly as a client inside the cloud would.
The host's engine is only read (``docker inspect``, the cgroup tree, the
volume list) to check what the driver gave each server.
"""

import datetime
import ipaddress
import json
import os
import subprocess

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID
import fixtures

from tests.integration import base

NODE_IMAGE = 'swarm-node'
NODE_FLAVOR = 'm1.swarm'
NETWORK = 'private'
TLS_PORT = 2376
REGISTRY_MIRROR = 'http://172.24.4.1:4000'    # the all-in-one's, on public
VOLUME = 'magnumlite-%s-docker'
USER_DATA = """#!/bin/sh
set -e
mkdir -p /etc/docker/tls /etc/magnumlite
cat > /etc/docker/tls/ca.pem <<'EOF'
%(ca)sEOF
cat > /etc/docker/tls/cert.pem <<'EOF'
%(cert)sEOF
cat > /etc/docker/tls/key.pem <<'EOF'
%(key)sEOF
chmod 600 /etc/docker/tls/key.pem
cat > /etc/magnumlite/node.env <<'EOF'
REGISTRY_MIRROR=%(mirror)s
NODE_LABELS=magnumlite.role=%(role)s,magnumlite.test=nested
EOF
echo user_data done
"""


def pem(obj):
    if isinstance(obj, x509.Certificate):
        return obj.public_bytes(serialization.Encoding.PEM).decode()
    return obj.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


class CA(object):
    """A certificate authority, as a bay has one."""

    def __init__(self, name):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        builder = self._builder(self.name, self.key.public_key())
        self.cert = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=None),
            critical=True).sign(self.key, hashes.SHA256())

    def _builder(self, subject, public_key):
        now = datetime.datetime.now(datetime.timezone.utc)
        return x509.CertificateBuilder().subject_name(subject).issuer_name(
            self.name).public_key(public_key).serial_number(
            x509.random_serial_number()).not_valid_before(
            now - datetime.timedelta(minutes=5)).not_valid_after(
            now + datetime.timedelta(days=1))

    def issue(self, cn, addresses=(), client=False):
        """(certificate PEM, key PEM) for a server at addresses or a client."""
        key = ec.generate_private_key(ec.SECP256R1())
        usage = (ExtendedKeyUsageOID.CLIENT_AUTH if client
                 else ExtendedKeyUsageOID.SERVER_AUTH)
        builder = self._builder(
            x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]),
            key.public_key()).add_extension(
            x509.ExtendedKeyUsage([usage]), critical=False)
        if addresses:
            builder = builder.add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address(a)) for a in addresses]),
                critical=False)
        return pem(builder.sign(self.key, hashes.SHA256())), pem(key)


class NestedEngineTestCase(base.DockerServerTestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.ca = CA('it-bay-ca')
        self.client = self.write_client(self.ca, 'client')

    def write_client(self, ca, name):
        """A client certificate of ca, as docker CLI options."""
        cert, key = ca.issue(name, client=True)
        paths = {}
        for kind, text in (('ca', pem(ca.cert)), ('cert', cert),
                           ('key', key)):
            paths[kind] = os.path.join(self.tmp, '%s-%s.pem' % (name, kind))
            with open(paths[kind], 'w') as f:
                f.write(text)
        return ['--tlsverify', '--tlscacert', paths['ca'],
                '--tlscert', paths['cert'], '--tlskey', paths['key']]

    def port(self):
        """A port on private; its fixed address is known before boot."""
        network = self.conn.network.find_network(NETWORK)
        port = self.conn.network.create_port(
            network_id=network.id, name=self.unique_name('port'))
        self.addCleanup(self.conn.network.delete_port, port,
                        ignore_missing=True)
        return port.id, port.fixed_ips[0]['ip_address']

    def boot_node(self, role, port_id, address, flavor=NODE_FLAVOR):
        """Boot one node (not waiting); its server id."""
        cert, key = self.ca.issue(role, addresses=(address, '127.0.0.1'))
        user_data = os.path.join(self.tmp, role + '.sh')
        with open(user_data, 'w') as f:
            f.write(USER_DATA % {'ca': pem(self.ca.cert), 'cert': cert,
                                 'key': key, 'mirror': REGISTRY_MIRROR,
                                 'role': role})
        name = self.unique_name(role)
        self.addCleanup(self.delete_quietly, name)
        server = json.loads(base.openstack_cli(
            'server', 'create', '--availability-zone', base.DOCKER_ZONE,
            '--image', NODE_IMAGE, '--flavor', flavor,
            '--nic', 'port-id=%s' % port_id, '--user-data', user_data,
            '-f', 'json', name))
        return server['id']

    def node_container(self, server_id):
        found = self.containers(server_id)
        self.assertEqual(1, len(found), 'containers of %s' % server_id)
        return found[0]

    def node_pid(self, server_id):
        container = self.node_container(server_id)
        container.reload()
        return container.attrs['State']['Pid']

    def cli(self, via, address, *args, tls=None, timeout=120):
        """The docker CLI against the engine at address:2376.

        It runs in server ``via``'s network namespace; returns the
        CompletedProcess.
        """
        command = ['nsenter', '-t', str(self.node_pid(via)), '-n', 'docker']
        command += self.client if tls is None else tls
        command += ['-H', 'tcp://%s:%d' % (address, TLS_PORT)] + list(args)
        return subprocess.run(command, capture_output=True, text=True,
                              timeout=timeout)

    def docker_ok(self, via, address, *args, **kwargs):
        proc = self.cli(via, address, *args, **kwargs)
        self.assertEqual(0, proc.returncode,
                         'docker %s: %s' % (' '.join(args), proc.stderr))
        return proc.stdout.strip()

    def wait_engine(self, via, address):
        """Until the engine at address answers TLS; its `docker info`."""
        def answers():
            proc = self.cli(via, address, 'info', '--format', '{{json .}}',
                            timeout=20)
            return proc.returncode == 0 and json.loads(proc.stdout)
        return base.wait_until(answers, what='engine on %s:%d'
                               % (address, TLS_PORT))


class TestSwarmNodes(NestedEngineTestCase):

    def test_two_nodes_form_a_swarm_and_keep_their_engine_data(self):
        (port1, ip1), (port2, ip2) = self.port(), self.port()
        node1 = self.boot_node('manager', port1, ip1)
        node2 = self.boot_node('worker', port2, ip2)
        for node in (node1, node2):
            self.wait_server(node, 'ACTIVE')
        info1 = self.wait_engine(node1, ip1)
        info2 = self.wait_engine(node1, ip2)

        # What the driver gave the node, seen from the host's engine.
        host_config = self.node_container(node1).attrs['HostConfig']
        self.assertFalse(host_config['Privileged'])
        self.assertEqual('private', host_config['CgroupnsMode'])
        self.assertIn('SYS_ADMIN', host_config['CapAdd'])
        self.assertNotIn('SYS_MODULE', host_config['CapAdd'])
        self.assertIn('%s:/var/lib/docker:rw' % (VOLUME % node1),
                      host_config['Binds'])

        # The engine the init started: the user_data's labels, the
        # tenant network's MTU, overlay2 on its volume.
        network_mtu = self.conn.network.find_network(NETWORK).mtu
        for info in (info1, info2):
            self.assertIn('magnumlite.test=nested', info['Labels'])
            self.assertIn('magnumlite.mtu=%d' % network_mtu, info['Labels'])
            self.assertEqual('overlay2', info['Driver'])
        self.assertIn('magnumlite.role=worker', info2['Labels'])

        # TLS: refused without a client certificate, or with one of
        # another CA.
        stranger = self.write_client(CA('other-ca'), 'stranger')
        stranger[2] = self.client[2]      # trusts the engine's CA
        for tls in (self.client[:3], stranger):
            proc = self.cli(node1, ip2, 'version', tls=tls, timeout=20)
            self.assertNotEqual(0, proc.returncode, proc.stdout)
            self.assertIn('certificate', proc.stderr)

        # busybox resolves on the registry mirror; a nested container is
        # on a bridge of the tenant network's MTU, its cgroup under the
        # node's own, and large packets reach the other node.
        self.docker_ok(node1, ip2, 'pull', 'busybox')
        self.docker_ok(node1, ip1, 'pull', 'busybox')
        self.assertEqual(str(network_mtu), self.docker_ok(
            node1, ip1, 'run', '--rm', 'busybox', 'cat',
            '/sys/class/net/eth0/mtu'))
        probe = self.docker_ok(node1, ip1, 'run', '-d', 'busybox',
                               'sleep', '600')
        node_cgroup = '/sys/fs/cgroup/memory/docker/%s' % (
            self.node_container(node1).id)
        self.assertTrue(os.path.isdir(os.path.join(
            node_cgroup, 'docker', probe)), 'cgroup of the nested container')
        self.assertFalse(os.path.exists(os.path.join(
            '/sys/fs/cgroup/memory/docker', probe)))
        self.docker_ok(node1, ip1, 'run', '--rm', 'busybox', 'ping', '-c',
                       '3', '-s', str(network_mtu - 28), ip2)

        # A swarm over the tenant network: one task on each node.
        self.docker_ok(node1, ip1, 'swarm', 'init', '--advertise-addr', ip1)
        token = self.docker_ok(node1, ip1, 'swarm', 'join-token', '-q',
                               'worker')
        self.docker_ok(node1, ip2, 'swarm', 'join', '--token', token,
                       '%s:2377' % ip1)

        def ready():
            return self.docker_ok(node1, ip1, 'node', 'ls', '--format',
                                  '{{.Status}}').split() == ['Ready'] * 2
        base.wait_until(ready, what='both nodes Ready')
        self.docker_ok(node1, ip1, 'service', 'create', '--detach',
                       '--name', 'pair', '--replicas', '2',
                       '--replicas-max-per-node', '1', 'busybox', 'sleep',
                       '3600')

        def tasks_on_both():
            running = self.docker_ok(
                node1, ip1, 'service', 'ps', 'pair', '--filter',
                'desired-state=running', '--format',
                '{{.Node}} {{.CurrentState}}').splitlines()
            nodes = {line.split()[0] for line in running
                     if ' Running ' in line}
            return len(running) == 2 and len(nodes) == 2
        base.wait_until(tasks_on_both, what='a task of pair on each node')

        # An overlay network made with the engine's MTU label carries
        # packets larger than its MTU between the nodes.
        self.docker_ok(node1, ip1, 'network', 'create', '--driver', 'overlay',
                       '--attachable', '--opt',
                       'com.docker.network.driver.mtu=%d' % network_mtu,
                       'wide')
        self.docker_ok(node1, ip2, 'run', '-d', '--name', 'far', '--network',
                       'wide', 'busybox', 'sleep', '600')
        self.docker_ok(node1, ip1, 'run', '--rm', '--network', 'wide',
                       'busybox', 'ping', '-c', '3', '-s', '8000', 'far')

        # dockerd dies: the init starts it again.
        engine_pid = subprocess.run(
            ['pgrep', '-P', str(subprocess.run(
                ['pgrep', '-P', str(self.node_pid(node2))],
                capture_output=True, text=True).stdout.split()[0]),
             '-x', 'dockerd'], capture_output=True, text=True).stdout.strip()
        os.kill(int(engine_pid), 9)
        self.wait_engine(node1, ip2)

        # stop/start: the worker's images and swarm state are still there,
        # and its user_data ran once.
        self.action(node2, 'stop', status='SHUTOFF')
        self.action(node2, 'start')
        self.wait_engine(node1, ip2)
        self.docker_ok(node1, ip2, 'image', 'inspect', 'busybox')
        self.assertEqual('active', self.docker_ok(
            node1, ip2, 'info', '--format', '{{.Swarm.LocalNodeState}}'))
        log = base.openstack_cli('console', 'log', 'show', node2)
        self.assertEqual(1, log.count('user_data done'), log[-3000:])

        # delete: the container and its volume go.
        base.openstack_cli('server', 'delete', '--wait', node2)
        self.assertEqual([], self.containers(node2))
        self.assertEqual([], self.docker.volumes.list(
            filters={'name': VOLUME % node2}))

    def test_rotated_certificates_take_effect(self):
        port, ip = self.port()
        node = self.boot_node('manager', port, ip)
        self.wait_server(node, 'ACTIVE')
        self.wait_engine(node, ip)
        # What a rotation writes into the node: a new CA and certificate.
        new_ca = CA('it-bay-ca-rotated')
        cert, key = new_ca.issue('manager', addresses=(ip, '127.0.0.1'))
        tls_dir = '/proc/%d/root/etc/docker/tls' % self.node_pid(node)
        for name, text in (('ca.pem', pem(new_ca.cert)), ('cert.pem', cert),
                           ('key.pem', key)):
            with open(os.path.join(tls_dir, name), 'w') as f:
                f.write(text)
        new_client = self.write_client(new_ca, 'new-client')
        base.wait_until(
            lambda: self.cli(node, ip, 'version', tls=new_client,
                             timeout=20).returncode == 0,
            what='the engine to take the new certificates')
        proc = self.cli(node, ip, 'version', timeout=20)
        self.assertNotEqual(0, proc.returncode, 'old client still accepted')


class TestOrdinaryServer(NestedEngineTestCase):

    def test_an_ordinary_flavor_is_confined_as_before(self):
        server = self.boot('--network', NETWORK)
        host_config = self.node_container(server).attrs['HostConfig']
        self.assertEqual(
            (False, None, ['no-new-privileges'], None, 'host'),
            (host_config['Privileged'], host_config['CapAdd'],
             host_config['SecurityOpt'], host_config.get('Tmpfs'),
             host_config['CgroupnsMode']))
        self.assertEqual(1, len(host_config['Binds']))   # the metadata only
        self.assertEqual([], self.docker.volumes.list(
            filters={'name': VOLUME % server}))
