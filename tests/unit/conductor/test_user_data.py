import subprocess

import fixtures
import testtools

from magnumlite.conductor import user_data

CLUSTER = {'uuid': 'c0ffee', 'name': "cluster'; rm -rf /", 'master_count': 1,
           'node_count': 2,
           'labels': {'pod_network_cidr': '10.9.0.0/16', 'kube-tag': 'v1'}}


class TestRender(testtools.TestCase):

    def _env_file(self, script):
        """Run script as sh with / moved to a temp dir; the env it wrote."""
        root = self.useFixture(fixtures.TempDir()).path
        script = script.replace('/etc/magnumlite', root + '/etc')
        subprocess.run(['sh', '-c', script], check=True,
                       env={'PATH': '/usr/bin:/bin'})
        result = subprocess.run(
            ['sh', '-c', 'set -a; . %s/etc/cluster.env; env' % root],
            check=True, capture_output=True, text=True)
        return dict(line.split('=', 1)
                    for line in result.stdout.splitlines() if '=' in line)

    def test_facts_survive_shell_quoting(self):
        script = user_data.render(CLUSTER, 'kubernetes', 'master', 0,
                                  "cluster'; rm -rf /-master-0")
        # Nothing pretends to install a COE that is not there.
        self.assertNotIn('kubeadm', script)
        env = self._env_file(script)
        self.assertEqual('kubernetes', env['COE'])
        self.assertEqual("cluster'; rm -rf /", env['CLUSTER_NAME'])
        self.assertEqual('c0ffee', env['CLUSTER_UUID'])
        self.assertEqual('master', env['NODE_ROLE'])
        self.assertEqual('2', env['NODE_COUNT'])
        self.assertEqual('v1', env['LABEL_KUBE_TAG'])

    def test_coe_without_a_template_gets_the_generic_one(self):
        script = user_data.render(CLUSTER, 'mesos', 'worker', 0, 'b-node-0')
        self.assertNotIn('swarm', script)
        self.assertEqual('mesos', self._env_file(script)['COE'])
