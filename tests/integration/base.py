"""Integration tests run against the all-in-one cloud (tools/allinone up).

They take the admin credentials from the OS_* environment that
``source .allinone/openrc`` sets (tools/run-tests does that) and talk to the
real services through openstacksdk and the unmodified CLIs.
"""

import configparser
import functools
import glob
import json
import os
import socket
import struct
import subprocess
import time
import uuid

import docker
import openstack
import testtools

from tests import waiting

# How long a real service may take to settle; a bound, never a sleep.
SETTLE_TIMEOUT = 120
REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
ALLINONE_HOME = os.environ.get('MAGNUMLITE_ALLINONE_HOME',
                               os.path.join(REPO, '.allinone'))
TEST_IMAGE = 'busybox'          # the docker-save tarball `up` put in Glance
TEST_FLAVOR = 'm1.tiny'
DOCKER_ZONE = 'docker'          # the nova-compute with the Docker driver
FAKE_ZONE = 'fake'              # the one with Nova's fake driver
# The external network and the host's address on it (tools/allinone-neutron)
PUBLIC_NETWORK = 'public'
PUBLIC_GATEWAY = '172.24.4.1'
REGISTRY = 'http://%s:4000' % PUBLIC_GATEWAY   # read-only, for servers
# the label the Docker driver puts on each instance's container
INSTANCE_LABEL = 'magnumlite.instance_uuid'


def cloud(username=None, project=None):
    """An openstacksdk connection for OS_* env, optionally another user."""
    env = os.environ
    if 'OS_AUTH_URL' not in env:
        raise RuntimeError('OS_AUTH_URL is not set: source the all-in-one '
                           'openrc (tools/run-tests does) first')
    return openstack.connect(
        auth_url=env['OS_AUTH_URL'],
        username=username or env['OS_USERNAME'],
        password=env['OS_PASSWORD'],
        project_name=project or env['OS_PROJECT_NAME'],
        user_domain_name=env.get('OS_USER_DOMAIN_NAME', 'Default'),
        project_domain_name=env.get('OS_PROJECT_DOMAIN_NAME', 'Default'),
        region_name=env.get('OS_REGION_NAME', 'RegionOne'))


def clusters(conn):
    """{name: cluster} of conn's project, as the API shows them.

    Waits poll through the API over conn's session: one `openstack coe`
    run costs about 6 s of a 2-core machine, which a poll every 0.5 s
    would take from the cloud under test. The CLI stays what the tests
    act with.
    """
    return {c['name']: c for c in _container_infra(conn, '/clusters')[
        'clusters']}


def cluster(conn, ident):
    """One cluster (name or uuid) as `coe cluster show` shows it; or None."""
    return _container_infra(conn, '/clusters/' + ident)


def _container_infra(conn, path):
    endpoint = conn.endpoint_for('container-infra').rstrip('/')
    if not endpoint.endswith('/v1'):
        endpoint += '/v1'
    resp = conn.session.get(endpoint + path, raise_exc=False, headers={
        'OpenStack-API-Version': 'container-infra latest'})
    if resp.status_code == 404:
        return None
    resp.raise_for_status()
    return resp.json()


# The tests' poll loop, waiting up to SETTLE_TIMEOUT unless told otherwise.
wait_until = functools.partial(waiting.wait_until, timeout=SETTLE_TIMEOUT)


def cli_env(env=None):
    """env (default os.environ) as a user's login shell has it.

    python-magnumclient's `cluster config` reads $SHELL to choose between
    sh and csh syntax and fails without it; CI runs the tests with no
    login shell, so SHELL may be unset there.
    """
    env = dict(os.environ if env is None else env)
    env.setdefault('SHELL', '/bin/bash')
    return env


def openstack_cli(*args, env=None, **kwargs):
    """Run the unmodified `openstack` CLI; return its stdout."""
    proc = subprocess.run(('openstack',) + args, capture_output=True,
                          text=True, timeout=SETTLE_TIMEOUT,
                          env=cli_env(env), **kwargs)
    if proc.returncode != 0:
        raise AssertionError('openstack %s failed (%d): %s'
                             % (' '.join(args), proc.returncode,
                                proc.stderr[-2000:]))
    return proc.stdout


def allinone(*args):
    """Run tools/allinone (e.g. 'up', 'restart', SERVICE); fail if it does.

    For tests of what survives a service's restart or death: integration
    tests run one at a time, so no other test sees the service go.
    """
    proc = subprocess.run((os.path.join(REPO, 'tools', 'allinone'),) + args,
                          capture_output=True, text=True,
                          timeout=4 * SETTLE_TIMEOUT)
    if proc.returncode != 0:
        raise AssertionError('tools/allinone %s failed (%d): %s'
                             % (' '.join(args), proc.returncode,
                                (proc.stdout + proc.stderr)[-2000:]))


def host_pings(address, timeout=1.0):
    """True if address answers one ICMP echo from the host in timeout.

    The host has no ping command; as root, a raw socket does the same.
    """
    ident = os.getpid() & 0xffff
    header = struct.pack('!BBHHH', 8, 0, 0, ident, 1)
    payload = b'magnumlite'
    words = struct.unpack('!%dH' % ((len(header) + len(payload)) // 2),
                          header + payload)
    total = sum(words)
    total = (total >> 16) + (total & 0xffff)
    checksum = ~(total + (total >> 16)) & 0xffff
    packet = header[:2] + struct.pack('!H', checksum) + header[4:] + payload
    with socket.socket(socket.AF_INET, socket.SOCK_RAW,
                       socket.IPPROTO_ICMP) as sock:
        sock.sendto(packet, (address, 0))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            sock.settimeout(max(deadline - time.monotonic(), 0.01))
            try:
                data, (source, _) = sock.recvfrom(1024)
            except socket.timeout:
                return False
            icmp = data[(data[0] & 0xf) * 4:]
            # an echo reply (type 0) to this echo, from address
            reply_id = struct.unpack('!H', icmp[4:6])[0]
            if source == address and icmp[0] == 0 and reply_id == ident:
                return True
    return False


def host_tcp_greeting(address, port, timeout=2):
    """What a TCP server at address:port first says to the host, or None."""
    try:
        with socket.create_connection((address, port), timeout) as conn:
            conn.settimeout(timeout)
            return conn.recv(256).decode('utf-8', 'replace').strip()
    except OSError:
        return None


def docker_engines():
    """{Nova host name: its Docker engine's endpoint}.

    From the Docker hosts' nova-compute configuration (tools/allinone
    writes one file per host).
    """
    engines = {}
    for path in sorted(glob.glob(os.path.join(
            ALLINONE_HOME, 'etc', 'nova', 'nova-cpu-docker*.conf'))):
        conf = configparser.ConfigParser(interpolation=None)
        conf.read(path)
        engines[conf['DEFAULT']['host']] = conf.get(
            'docker', 'api_url', fallback='unix:///var/run/docker.sock')
    return engines


def service_pid(name):
    """The pid of an all-in-one service (its process group leader)."""
    with open(os.path.join(ALLINONE_HOME, 'run', name + '.pid')) as f:
        return int(f.read())


class IntegrationTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conn = cloud()

    def unique_name(self, prefix):
        return 'it-%s-%s' % (prefix, uuid.uuid4().hex[:8])


class DockerServerTestCase(IntegrationTestCase):
    """Servers booted in zone docker, and the Docker engine behind them."""

    def setUp(self):
        super().setUp()
        self.docker = docker.from_env(version='auto')
        self.addCleanup(self.docker.close)

    def boot(self, *nics, image=TEST_IMAGE, wait=True):
        """Boot a server with --nic/--network/--port arguments; its id.

        With wait, the server must come up ACTIVE.
        """
        name = self.unique_name('server')
        # by name, before it exists: a boot that times out is deleted too
        self.addCleanup(self.delete_quietly, name)
        server = json.loads(openstack_cli(
            'server', 'create', '--availability-zone', DOCKER_ZONE,
            '--image', image, '--flavor', TEST_FLAVOR, *nics,
            *(('--wait',) if wait else ()), '-f', 'json', name))
        if wait:
            self.assertEqual('ACTIVE', server['status'],
                             server.get('fault'))
        return server['id']

    def containers(self, server_id):
        """The server's containers (all states) in the Docker engine."""
        return self.docker.containers.list(
            all=True, filters={'label': '%s=%s' % (INSTANCE_LABEL, server_id)})

    @staticmethod
    def delete_quietly(server):
        subprocess.run(['openstack', 'server', 'delete', '--wait', server],
                       capture_output=True, timeout=SETTLE_TIMEOUT)

    def wait_server(self, server_id, status):
        def settled():
            s = self.conn.compute.get_server(server_id)
            return s.status == status and not s.task_state and s
        return wait_until(settled, what='server %s %s' % (server_id, status))

    def action(self, server_id, *args, status='ACTIVE'):
        """openstack server ARGS SERVER, then wait for its status."""
        openstack_cli('server', *(args + (server_id,)))
        self.wait_server(server_id, status)
