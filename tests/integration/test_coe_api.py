"""The container-infra API through the unmodified `openstack coe` CLI.

Cluster templates, clusters (listing and showing; provisioning them to
CREATE_COMPLETE is test_bays.py's), quotas and stats, as admin and as the
unprivileged demo project, through keystone.
"""

import json
import os
import subprocess

import fixtures
import requests
import yaml

from tests.integration import base


def coe(*args, project='admin'):
    """`openstack coe ...` as project's user; its JSON output parsed."""
    env = dict(os.environ, OS_USERNAME=project, OS_PROJECT_NAME=project)
    out = base.openstack_cli('coe', *args, env=env)
    return json.loads(out) if '-f' in args else out


def table(out):
    """The rows of a table the CLI printed, each a list of cell strings."""
    return [[cell.strip() for cell in line.strip().strip('|').split('|')]
            for line in out.splitlines() if line.startswith('|')][1:]


def properties(out):
    """{property: value} of a two-column table the CLI printed."""
    return dict(table(out))


def coe_fails(*args, project='admin'):
    """Run `openstack coe ...` expecting it to fail; return its stderr."""
    env = dict(os.environ, OS_USERNAME=project, OS_PROJECT_NAME=project)
    proc = subprocess.run(('openstack', 'coe') + args, capture_output=True,
                          text=True, timeout=base.SETTLE_TIMEOUT,
                          env=base.cli_env(env))
    if proc.returncode == 0:
        raise AssertionError('openstack coe %s succeeded: %s'
                             % (' '.join(args), proc.stdout))
    return proc.stderr


class CoeTestCase(base.IntegrationTestCase):

    def create_template(self, project='admin', *options):
        name = self.unique_name('ct')
        coe('cluster', 'template', 'create', '--coe', 'kubernetes',
            '--image', base.TEST_IMAGE, '--flavor', base.TEST_FLAVOR,
            '--external-network', 'public', *options, name, project=project)
        self.addCleanup(self._delete_template, name, project)
        return coe('cluster', 'template', 'show', name, '-f', 'json',
                   project=project)

    def _delete_template(self, name, project):
        try:
            coe('cluster', 'template', 'delete', name, project=project)
        except AssertionError:
            pass  # a test already deleted it

    def _delete_cluster(self, name):
        """Delete the cluster; wait until it is gone, as its template is."""
        coe('cluster', 'delete', name)
        base.wait_until(lambda: name not in base.clusters(self.conn),
                        what='cluster %s to be deleted' % name)


class TestClusterTemplates(CoeTestCase):

    def test_create_list_show_update_delete(self):
        template = self.create_template('admin', '--labels', 'a=1,b=2')
        name = template['name']
        self.assertEqual(({'a': '1', 'b': '2'}, 'kubernetes', 'busybox',
                          'm1.tiny', False),
                         (template['labels'], template['coe'],
                          template['image_id'], template['flavor_id'],
                          template['public']))

        listed = coe('cluster', 'template', 'list', '-f', 'json')
        self.assertIn((template['uuid'], name),
                      [(t['uuid'], t['name']) for t in listed])

        coe('cluster', 'template', 'update', name, '--label', 'c=3',
            '--no-label', 'a', '--docker-volume-size', '5', '--public')
        updated = coe('cluster', 'template', 'show', template['uuid'],
                      '-f', 'json')
        self.assertEqual(({'b': '2', 'c': '3'}, 5, True),
                         (updated['labels'], updated['docker_volume_size'],
                          updated['public']))

        coe('cluster', 'template', 'delete', name)
        self.assertIn('ClusterTemplate %s could not be found (HTTP 404)'
                      % name,
                      coe_fails('cluster', 'template', 'show', name))

    def test_bad_input_is_a_clear_400(self):
        stderr = coe_fails('cluster', 'template', 'create', '--coe', 'k8s',
                           '--image', base.TEST_IMAGE,
                           '--external-network', 'public',
                           self.unique_name('bad'))
        self.assertIn('Invalid input for field/attribute coe (HTTP 400)',
                      stderr)

    def test_demo_cannot_see_admins_private_template(self):
        private = self.create_template('admin')
        public = self.create_template('admin', '--public')
        own = self.create_template('demo')

        listed = [t['name'] for t in coe('cluster', 'template', 'list',
                                         '-f', 'json', project='demo')]
        self.assertIn(own['name'], listed)
        self.assertIn(public['name'], listed)
        self.assertNotIn(private['name'], listed)
        self.assertIn('ClusterTemplate %s could not be found (HTTP 404)'
                      % private['name'],
                      coe_fails('cluster', 'template', 'show',
                                private['name'], project='demo'))

    def test_demo_may_not_publish(self):
        stderr = coe_fails('cluster', 'template', 'create', '--coe',
                           'kubernetes', '--image', base.TEST_IMAGE,
                           '--external-network', 'public', '--public',
                           self.unique_name('pub'), project='demo')
        self.assertIn('Not authorized to set public or hidden flag for '
                      'cluster template (HTTP 403)', stderr)


class TestClustersQuotasStats(CoeTestCase):

    def test_cluster_list_show_and_project_isolation(self):
        template = self.create_template('demo')
        name = self.unique_name('c')
        # Quota 0 for the demo project first: creation is refused.
        self._set_demo_quota(0)
        stderr = coe_fails('cluster', 'create', '--cluster-template',
                           template['name'], name, project='demo')
        self.assertIn('Resource Limit Exceeded: You have reached the '
                      'maximum clusters per project, 0 (HTTP 403)', stderr)

        self._set_demo_quota(5)
        coe('cluster', 'create', '--cluster-template', template['name'],
            '--node-count', '1', name, project='demo')
        self.addCleanup(self._delete_cluster, name)

        shown = coe('cluster', 'show', name, '-f', 'json', project='demo')
        self.assertEqual((name, template['uuid'], 1, 1),
                         (shown['name'], shown['cluster_template_id'],
                          shown['node_count'], shown['master_count']))
        self.assertIn(shown['status'], ('CREATE_IN_PROGRESS',
                                        'CREATE_COMPLETE', 'CREATE_FAILED'))
        self.assertIn(name, [c['name'] for c in coe(
            'cluster', 'list', '-f', 'json', project='demo')])
        # Admin sees every project's clusters, as in Magnum.
        self.assertIn(name, [c['name'] for c in coe(
            'cluster', 'list', '-f', 'json')])

        stats = properties(coe('stats', 'list', self.demo_project_id(),
                               project='demo'))
        self.assertGreaterEqual(int(stats['clusters']), 1)
        self.assertGreaterEqual(int(stats['nodes']), 2)
        self.assertIn('(HTTP 403)', coe_fails(
            'stats', 'list', self.conn.current_project_id, project='demo'))

    def test_demo_cannot_see_admins_cluster(self):
        template = self.create_template('admin')
        name = self.unique_name('c')
        coe('cluster', 'create', '--cluster-template', template['name'],
            name)
        self.addCleanup(self._delete_cluster, name)
        uuid = coe('cluster', 'show', name, '-f', 'json')['uuid']

        self.assertNotIn(name, [c['name'] for c in coe(
            'cluster', 'list', '-f', 'json', project='demo')])
        self.assertIn('Cluster %s could not be found (HTTP 404)' % uuid,
                      coe_fails('cluster', 'show', uuid, project='demo'))
        self.assertIn('Cluster %s could not be found (HTTP 404)' % uuid,
                      coe_fails('cluster', 'delete', uuid, project='demo'))

    def test_quotas_are_admin_only(self):
        # The CLI reports the failure, though its exit status is 0.
        out = coe('quotas', 'create', '--project-id', self.demo_project_id(),
                  '--resource', 'Cluster', '--hard-limit', '100',
                  project='demo')
        self.assertIn("Policy doesn't allow quota:create to be performed "
                      "(HTTP 403)", out)

    def demo_project_id(self):
        return self.conn.identity.find_project('demo').id

    def _set_demo_quota(self, hard_limit):
        project_id = self.demo_project_id()
        listed = table(coe('quotas', 'list', '--all-tenants'))
        if [project_id, 'Cluster'] in [row[:2] for row in listed]:
            coe('quotas', 'update', '--project-id', project_id,
                '--resource', 'Cluster', '--hard-limit', str(hard_limit))
        else:
            coe('quotas', 'create', '--project-id', project_id,
                '--resource', 'Cluster', '--hard-limit', str(hard_limit))
            self.addCleanup(coe, 'quotas', 'delete', '--project-id',
                            project_id, '--resource', 'Cluster')
        shown = properties(coe('quotas', 'show', '--project-id', project_id,
                               '--resource', 'Cluster'))
        self.assertEqual(str(hard_limit), shown['hard_limit'])


class TestOpenAPIDocument(base.IntegrationTestCase):

    def test_served_to_any_token_holder(self):
        endpoint = self.conn.session.get_endpoint(
            service_type='container-infra', interface='public')
        demo = base.cloud(username='demo', project='demo')

        resp = requests.get(endpoint + '/openapi.yaml', timeout=10,
                            headers={'X-Auth-Token': demo.auth_token})

        self.assertEqual(200, resp.status_code, resp.text)
        self.assertIn('/v1/clusters', yaml.safe_load(resp.text)['paths'])
        self.assertEqual(401, requests.get(endpoint + '/openapi.yaml',
                                           timeout=10).status_code)


class TestCoeCommands(CoeTestCase):
    """The rest of magnumclient 5's `coe` commands, and magnumlite's own.

    On one cluster: update, resize, credential rotation, the nodes
    magnumlite's CLI plugin lists, and a clear 400 for what is not offered.
    """

    def test_update_nodes_credential_and_what_is_not_offered(self):
        template = self.create_template('admin')
        name = self.unique_name('c')
        coe('cluster', 'create', '--cluster-template', template['name'],
            '--node-count', '1', name)
        self.addCleanup(self._delete_cluster, name)
        self._wait_for(name, 'CREATE_COMPLETE')

        coe('cluster', 'update', name, '--node-count', '2')
        self.assertEqual(2, self._wait_for(name, 'UPDATE_COMPLETE')[
            'node_count'])
        nodes = coe('cluster', 'node', 'list', name, '-f', 'json')
        self.assertEqual(
            [('master', 'ACTIVE'), ('worker', 'ACTIVE'),
             ('worker', 'ACTIVE')],
            [(node['role'], node['status']) for node in nodes])
        master = coe('cluster', 'node', 'show', name, name + '-master-0',
                     '-f', 'json')
        self.assertEqual(nodes[0]['server_id'], master['server_id'])
        self.assertEqual(
            'ACTIVE', self.conn.compute.get_server(master['server_id'])
            .status)
        self.assertIn('Node %s-node-9 could not be found. (HTTP 404)' % name,
                      coe_fails('cluster', 'node', 'show', name,
                                name + '-node-9'))

        # Magnum's two default node groups, read from the cluster.
        self.assertEqual(
            [('default-master', 'master', 1), ('default-worker', 'worker', 2)],
            [(g['name'], g['role'], g['node_count']) for g in coe(
                'nodegroup', 'list', name, '-f', 'json')])
        worker = coe('nodegroup', 'show', name, 'default-worker',
                     '-f', 'json')
        self.assertEqual((2, base.TEST_FLAVOR, True),
                         (worker['node_count'], worker['flavor_id'],
                          worker['is_default']))

        # A new trust: the conductor keeps working through it.
        uuid = coe('cluster', 'show', name, '-f', 'json')['uuid']
        self.assertIn('Request to rotate credentials for cluster %s '
                      'accepted.' % uuid,
                      coe('credential', 'rotate', name))
        coe('cluster', 'resize', name, '1')
        self.assertEqual(1, self._wait_for(name, 'UPDATE_COMPLETE')[
            'node_count'])

        # As Magnum: only the node count changes after creation.
        self.assertIn('cannot change cluster property(ies) name (HTTP 400)',
                      coe_fails('cluster', 'update', name, '--name', 'x'))
        for args, detail in (
                (('nodegroup', 'create', name, 'ng-extra'),
                 'Creating, updating or deleting nodegroups'),
                (('nodegroup', 'delete', name, 'default-worker'),
                 'Creating, updating or deleting nodegroups'),
                (('cluster', 'upgrade', name, template['name']),
                 'Cluster upgrade'),
                # A kubernetes cluster is its servers only: no CA.
                (('ca', 'show', name), 'Showing the CA certificate of a '
                 'cluster without a TLS COE API'),
                (('ca', 'rotate', name), 'Rotating the CA certificate of a '
                 'cluster without a TLS COE API'),
                (('cluster', 'config', name, '--dir',
                  self.useFixture(fixtures.TempDir()).path),
                 'Showing the CA certificate of a cluster without a TLS COE '
                 'API')):
            self.assertIn('%s is not supported (HTTP 400)' % detail,
                          coe_fails(*args), args)

    def test_service_list(self):
        services = coe('service', 'list', '-f', 'json')
        self.assertIn(('magnum-conductor', 'up'),
                      [(s['binary'], s['state']) for s in services])

    def _wait_for(self, name, status):
        def settled():
            shown = base.cluster(self.conn, name)
            if shown['status'].endswith('FAILED'):
                raise AssertionError('cluster %s: %s' % (
                    name, shown['status_reason']))
            return shown if shown['status'] == status else None
        return base.wait_until(settled, timeout=300,
                               what='cluster %s %s' % (name, status))
