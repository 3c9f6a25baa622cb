"""A swarm-mode bay, used as its users use it: the docker CLI.

The all-in-one's public template `swarm-mode` (nested engines on the
Docker host, floating IPs from `public`, the registry as mirror). The
demo project creates a bay of 1 master and 2 workers with the unmodified
`openstack coe` CLI, gets its client configuration from `openstack coe
cluster config` and then drives the swarm with the plain docker CLI of
the host: nodes, a service answering HTTP on the nodes' floating IPs,
scaling, resizing the bay under the running service, rotating its CA,
and a delete that leaves nothing behind.
"""

import json
import os
import re
import subprocess
import tempfile
import urllib.request

import docker

from tests.integration import base
from tests.integration import test_coe_api

TEMPLATE = 'swarm-mode'
PROJECT = 'demo'
# A bay's create, resize or delete: servers, engines and the swarm.
BAY_TIMEOUT = 600
NESTED_LABEL = 'magnumlite.cluster'


def coe(*args):
    return test_coe_api.coe(*args, project=PROJECT)


def docker_cli(env, *args, check=True):
    """The host's docker CLI with a bay's client configuration."""
    proc = subprocess.run(('docker',) + args, capture_output=True,
                          text=True, env=env, timeout=base.SETTLE_TIMEOUT)
    if check and proc.returncode != 0:
        raise AssertionError('docker %s failed (%d): %s' % (
            ' '.join(args), proc.returncode, proc.stderr[-2000:]))
    return proc


def client_env(config_output):
    """os.environ plus what `eval $(openstack coe cluster config)` sets."""
    env = dict(os.environ)
    env.pop('DOCKER_HOST', None)
    for name, value in re.findall(r'^export (\w+)=(.*)$', config_output,
                                  re.MULTILINE):
        env[name] = value
    return env


def http_get(address, port):
    with urllib.request.urlopen('http://%s:%d/' % (address, port),
                                timeout=5) as resp:
        return resp.read().decode()


class TestSwarmBay(base.IntegrationTestCase):

    def setUp(self):
        super().setUp()
        self.name = self.unique_name('swarm')
        self.certs = tempfile.mkdtemp(prefix='swarm-config-')
        self.addCleanup(subprocess.run, ['rm', '-rf', self.certs])
        self.neutron_before = self.neutron_counts()

    def neutron_counts(self):
        conn = base.cloud(PROJECT, PROJECT)
        network = conn.network
        return {'ports': len(list(network.ports())),
                'floating ips': len(list(network.ips())),
                'routers': len(list(network.routers())),
                'networks': len(list(network.networks(
                    project_id=conn.current_project_id))),
                'security groups': len(list(network.security_groups()))}

    def wait_status(self, want):
        conn = base.cloud(PROJECT, PROJECT)

        def settled():
            bay = base.cluster(conn, self.name)
            if bay['status'].endswith('IN_PROGRESS'):
                return None
            return bay
        bay = base.wait_until(settled, timeout=BAY_TIMEOUT, interval=2,
                              what='bay %s to settle' % self.name)
        self.assertEqual(want, bay['status'], bay['status_reason'])
        return bay

    def config(self, directory):
        os.makedirs(directory, exist_ok=True)
        return client_env(coe('cluster', 'config', self.name, '--dir',
                              directory, '--output-certs', '--force'))

    def nodes(self, env):
        """`docker node ls` as {hostname: (status, availability)}."""
        out = docker_cli(env, 'node', 'ls', '--format',
                         '{{.Hostname}} {{.Status}} {{.Availability}}')
        return {line.split()[0]: tuple(line.split()[1:])
                for line in out.stdout.splitlines()}

    def running_tasks(self, env, service):
        """[(node id, published port)] of the service's running tasks."""
        ids = docker_cli(env, 'service', 'ps', '-q', '--filter',
                         'desired-state=running', service).stdout.split()
        tasks = json.loads(docker_cli(env, 'inspect', *ids).stdout) \
            if ids else []
        running = [task for task in tasks
                   if task['Status']['State'] == 'running']
        return [(task['NodeID'],
                 task['Status']['PortStatus']['Ports'][0]['PublishedPort'])
                for task in running
                if task['Status'].get('PortStatus', {}).get('Ports')]

    def node_addresses(self, env):
        """{swarm node id: the node's floating IP}, via the bay's nodes."""
        floating = {node['uuid']: node['addresses'] for node in json.loads(
            base.openstack_cli('coe', 'cluster', 'node', 'list', self.name,
                               '-f', 'json', '-c', 'uuid', '-c', 'addresses',
                               env=dict(os.environ, OS_USERNAME=PROJECT,
                                        OS_PROJECT_NAME=PROJECT)))}
        addresses = {}
        for line in docker_cli(env, 'node', 'ls', '-q').stdout.split():
            labels = json.loads(docker_cli(
                env, 'node', 'inspect', '--format',
                '{{json .Description.Engine.Labels}}', line).stdout)
            node_addresses = floating[labels['magnumlite.node']]
            if isinstance(node_addresses, str):
                node_addresses = node_addresses.split(', ')
            addresses[line] = [a for a in node_addresses
                               if a.startswith('172.24.4.')][0]
        return addresses

    def wait_replicas(self, env, service, count):
        def enough():
            tasks = self.running_tasks(env, service)
            return len(tasks) == count and tasks
        return base.wait_until(enough, timeout=BAY_TIMEOUT, interval=2,
                               what='%d running %s tasks' % (count, service))

    def answers(self, env, tasks):
        """Every task answers HTTP on its node's floating IP."""
        addresses = self.node_addresses(env)
        for node_id, port in tasks:
            self.assertEqual('hello\n', base.wait_until(
                lambda: self._get(addresses[node_id], port),
                what='HTTP on %s:%s' % (addresses[node_id], port)))

    @staticmethod
    def _get(address, port):
        try:
            return http_get(address, port)
        except OSError:
            return None

    def test_swarm_workflow(self):
        coe('cluster', 'create', self.name, '--cluster-template', TEMPLATE,
            '--master-count', '1', '--node-count', '2')
        self.addCleanup(self.delete_if_there)
        bay = self.wait_status('CREATE_COMPLETE')
        self.assertTrue(bay['api_address'].startswith('tcp://172.24.4.'),
                        bay['api_address'])
        self.assertEqual('HEALTHY', bay['health_status'])
        self.assertTrue(bay['coe_version'])

        env = self.config(os.path.join(self.certs, 'first'))
        self.assertEqual(bay['api_address'], env['DOCKER_HOST'])
        nodes = self.nodes(env)
        self.assertEqual(3, len(nodes), nodes)
        self.assertEqual({('Ready', 'Active')}, set(nodes.values()))

        docker_cli(env, 'service', 'create', '--detach', '--name', 'hello',
                   '--replicas', '4', '--publish', 'mode=host,target=80',
                   'busybox', 'sh', '-c',
                   'echo hello > /tmp/index.html; '
                   'exec httpd -f -p 80 -h /tmp')
        tasks = self.wait_replicas(env, 'hello', 4)
        self.assertGreaterEqual(len({node for node, _ in tasks}), 2, tasks)
        self.answers(env, tasks)

        docker_cli(env, 'service', 'scale', '--detach', 'hello=6')
        self.wait_replicas(env, 'hello', 6)
        docker_cli(env, 'service', 'scale', '--detach', 'hello=4')
        self.wait_replicas(env, 'hello', 4)

        for workers in (3, 1):
            coe('cluster', 'resize', self.name, str(workers))
            self.wait_status('UPDATE_COMPLETE')
            self.assertEqual(1 + workers, len(self.nodes(env)))
            self.answers(env, self.wait_replicas(env, 'hello', 4))

        # CA rotation: the old client certificate is refused, a new
        # configuration works.
        coe('ca', 'rotate', self.name)
        self.wait_status('UPDATE_COMPLETE')
        refused = docker_cli(env, 'node', 'ls', check=False)
        self.assertNotEqual(0, refused.returncode, refused.stdout)
        env = self.config(os.path.join(self.certs, 'second'))
        self.assertEqual(2, len(self.nodes(env)))
        self.wait_replicas(env, 'hello', 4)

        servers = [node['server_id'] for node in json.loads(
            base.openstack_cli(
                'coe', 'cluster', 'node', 'list', self.name, '-f', 'json',
                '-c', 'server_id', env=dict(os.environ, OS_USERNAME=PROJECT,
                                            OS_PROJECT_NAME=PROJECT)))]
        uuid = bay['uuid']
        coe('cluster', 'delete', self.name)
        conn = base.cloud(PROJECT, PROJECT)
        base.wait_until(lambda: self.name not in base.clusters(conn),
                        timeout=BAY_TIMEOUT, interval=2, what='the bay to go')
        engine = docker.from_env(version='auto')
        self.addCleanup(engine.close)
        for server in servers:
            self.assertEqual([], engine.containers.list(
                all=True, filters={'label': '%s=%s' % (
                    base.INSTANCE_LABEL, server)}))
        self.assertEqual([], [v.name for v in engine.volumes.list()
                              if any(s in v.name for s in servers)])
        self.assertEqual(self.neutron_before, self.neutron_counts(),
                         'Neutron resources of bay %s left behind' % uuid)

    def delete_if_there(self):
        subprocess.run(['openstack', 'coe', 'cluster', 'delete', self.name],
                       capture_output=True, env=dict(
                           os.environ, OS_USERNAME=PROJECT,
                           OS_PROJECT_NAME=PROJECT))
