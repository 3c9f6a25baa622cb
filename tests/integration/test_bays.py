"""Bays through the unmodified `openstack coe` CLI, on real Nova.

Against the all-in-one: the magnumlite API and conductor, keystone trusts,
Nova in its default zone (the Docker driver). Every bay is checked through
Nova as well: its servers, their names and metadata, and that they go with
the bay.
"""

import json
import os

from tests.integration import base

BAY_TIMEOUT = 300
DEMO_ENV = dict(os.environ, OS_USERNAME='demo', OS_PROJECT_NAME='demo')


def coe(*args, env=None):
    return base.openstack_cli('coe', *args, env=env)


def coe_json(*args, env=None):
    return json.loads(coe(*args, '-f', 'json', env=env))


class BayTestCase(base.IntegrationTestCase):
    """Bays of a kubernetes template (servers only) and their helpers."""

    def setUp(self):
        super().setUp()
        self.template = self.unique_name('tmpl')
        coe('cluster', 'template', 'create', self.template,
            '--coe', 'kubernetes', '--image', base.TEST_IMAGE,
            '--flavor', base.TEST_FLAVOR, '--master-flavor',
            base.TEST_FLAVOR, '--external-network', 'public')
        self.addCleanup(coe, 'cluster', 'template', 'delete', self.template)

    # Helpers

    def _create_bay(self, node_count=2, template=None):
        name = self.unique_name('bay')
        coe('cluster', 'create', name,
            '--cluster-template', template or self.template,
            '--node-count', str(node_count), '--master-count', '1',
            '--timeout', '5')
        self.addCleanup(self._delete_bay_if_left, name)
        return name

    def _show(self, name):
        bay = base.cluster(self.conn, name)
        if bay is None:
            raise AssertionError('no cluster %s' % name)
        return bay

    def _bay_names(self, env=None):
        if env is not None:
            # as another user sees them, through the CLI
            return [c['name'] for c in coe_json('cluster', 'list', env=env)]
        return list(base.clusters(self.conn))

    def _wait_for_status(self, name, status):
        def settled():
            bay = self._show(name)
            return (bay if not bay['status'].endswith('IN_PROGRESS')
                    else None)
        bay = base.wait_until(settled, timeout=BAY_TIMEOUT,
                              what='%s to leave *_IN_PROGRESS' % name)
        self.assertEqual(status, bay['status'], bay['status_reason'])
        return bay

    def _servers(self, uuid):
        return [s for s in self.conn.compute.servers()
                if s.metadata.get('magnumlite_cluster') == uuid]

    def _server_groups(self, uuid):
        """{role: Nova's server group} of the bay."""
        return {group.name[len(uuid) + 1:]: group
                for group in self.conn.compute.server_groups(all_projects=True)
                if group.name.startswith(uuid + '-')}

    def _wait_for_bay_gone(self, name, uuid):
        base.wait_until(lambda: name not in self._bay_names(),
                        timeout=BAY_TIMEOUT, what='%s to be deleted' % name)
        self.assertEqual([], self._servers(uuid))
        self.assertEqual({}, self._server_groups(uuid))

    def _delete_bay_if_left(self, name):
        if name in self._bay_names():
            uuid = self._show(name)['uuid']
            coe('cluster', 'delete', name)
            self._wait_for_bay_gone(name, uuid)

    def _check_servers(self, bay, masters, workers):
        servers = self._servers(bay['uuid'])
        expected = ['%s-master-%d' % (bay['name'], i) for i in masters]
        expected += ['%s-node-%d' % (bay['name'], i) for i in workers]
        self.assertEqual(sorted(expected), sorted(s.name for s in servers))
        groups = self._server_groups(bay['uuid'])
        for server in servers:
            self.assertEqual('ACTIVE', server.status)
            role = 'master' if '-master-' in server.name else 'worker'
            self.assertEqual(role, server.metadata['magnumlite_role'])
            # Nova placed it with its role's group.
            self.assertIn(server.id, groups[role].member_ids)
        # Magnum's default policy, these templates having no label for it
        self.assertEqual({'master': 'soft-anti-affinity',
                          'worker': 'soft-anti-affinity'},
                         {role: group.policy or group.policies[0]
                          for role, group in groups.items()})

    def _wait_for_health(self, name, status):
        def reached():
            bay = self._show(name)
            return bay['health_status'] == status and bay
        return base.wait_until(reached, what='%s to be %s' % (name, status))


class TestBays(BayTestCase):

    def test_create_resize_delete(self):
        name = self._create_bay(node_count=2)
        bay = self._wait_for_status(name, 'CREATE_COMPLETE')
        self.assertEqual((1, 2), (bay['master_count'], bay['node_count']))
        self._check_servers(bay, [0], [0, 1])
        self.assertEqual('HEALTHY', bay['health_status'])

        # Another project neither lists nor shows it.
        self.assertNotIn(name, self._bay_names(env=DEMO_ENV))
        self.assertRaises(AssertionError, coe, 'cluster', 'show', name,
                          env=DEMO_ENV)

        coe('cluster', 'resize', name, '3')
        bay = self._wait_for_status(name, 'UPDATE_COMPLETE')
        self.assertEqual(3, bay['node_count'])
        self._check_servers(bay, [0], [0, 1, 2])

        coe('cluster', 'resize', name, '1')
        bay = self._wait_for_status(name, 'UPDATE_COMPLETE')
        self.assertEqual(1, bay['node_count'])
        self._check_servers(bay, [0], [0])

        coe('cluster', 'delete', name)
        self._wait_for_bay_gone(name, bay['uuid'])

    def _failed_bay_with_flavor(self, **flavor_size):
        """A bay of one master and one worker of a new flavor; once failed."""
        flavor = self.conn.compute.create_flavor(
            name=self.unique_name('flavor'), vcpus=1, **flavor_size)
        self.addCleanup(self.conn.compute.delete_flavor, flavor)
        template = self.unique_name('tmpl-flavor')
        coe('cluster', 'template', 'create', template,
            '--coe', 'kubernetes', '--image', base.TEST_IMAGE,
            '--flavor', flavor.name, '--master-flavor', flavor.name,
            '--external-network', 'public')
        self.addCleanup(coe, 'cluster', 'template', 'delete', template)
        name = self._create_bay(node_count=1, template=template)
        bay = self._wait_for_status(name, 'CREATE_FAILED')
        self.addCleanup(self._wait_for_bay_gone, name, bay['uuid'])
        self.addCleanup(coe, 'cluster', 'delete', name)
        return bay

    def test_flavor_no_host_can_take_fails_with_novas_fault(self):
        # 10 PB of disk: no quota limits disk, the scheduler refuses it.
        bay = self._failed_bay_with_flavor(ram=64, disk=10 * 1024 * 1024)
        self.assertIn('%s-master-0: ' % bay['name'], bay['status_reason'])
        self.assertIn('No valid host was found', bay['status_reason'])

    def test_flavor_over_quota_fails_with_novas_quota_error(self):
        # 10 TB of RAM: Nova's RAM quota refuses the servers outright.
        bay = self._failed_bay_with_flavor(ram=10 * 1024 * 1024, disk=1)
        self.assertIn('%s-master-0: Nova refused to create the server: '
                      'Quota exceeded for ram' % bay['name'],
                      bay['status_reason'])

    def test_hard_anti_affinity_on_one_host_fails_with_novas_fault(self):
        # The all-in-one's default zone is one Docker host: the label's
        # policy reaches Nova, which places one worker only. The conductor
        # asks for both at once, so Nova refuses the second either in its
        # scheduler (no valid host) or, when both were scheduled together,
        # in the compute host's own check of the group, after which the
        # reschedule finds no other host.
        template = self.unique_name('tmpl-anti')
        coe('cluster', 'template', 'create', template,
            '--coe', 'kubernetes', '--image', base.TEST_IMAGE,
            '--flavor', base.TEST_FLAVOR, '--master-flavor',
            base.TEST_FLAVOR, '--external-network', 'public',
            '--labels', 'server_group_policies=anti-affinity')
        self.addCleanup(coe, 'cluster', 'template', 'delete', template)
        name = self._create_bay(node_count=2, template=template)
        bay = self._wait_for_status(name, 'CREATE_FAILED')
        self.assertRegex(bay['status_reason'], 'No valid host was found|'
                         'Exhausted all hosts available')
        workers = self._server_groups(bay['uuid'])['worker']
        self.assertEqual('anti-affinity',
                         workers.policy or workers.policies[0])
        self.assertIn('ERROR', [s.status for s in self._servers(bay['uuid'])
                                if s.metadata['magnumlite_role'] == 'worker'])

    def test_health_follows_the_servers(self):
        name = self._create_bay(node_count=1)
        bay = self._wait_for_status(name, 'CREATE_COMPLETE')
        master, worker = '%s-master-0' % name, '%s-node-0' % name
        self.assertEqual({master: 'ACTIVE', worker: 'ACTIVE'},
                         bay['health_status_reason'])
        [server] = [s for s in self._servers(bay['uuid'])
                    if s.name == worker]
        base.openstack_cli('server', 'stop', server.id)

        bay = self._wait_for_health(name, 'UNHEALTHY')
        self.assertEqual({master: 'ACTIVE', worker: 'SHUTOFF'},
                         bay['health_status_reason'])
        # health is not status: the bay's last operation still completed
        self.assertEqual('CREATE_COMPLETE', bay['status'])

        base.openstack_cli('server', 'start', server.id)
        self._wait_for_health(name, 'HEALTHY')

    def test_bay_whose_servers_were_deleted_behind_its_back(self):
        name = self._create_bay(node_count=1)
        bay = self._wait_for_status(name, 'CREATE_COMPLETE')
        for server in self._servers(bay['uuid']):
            self.conn.compute.delete_server(server)
        base.wait_until(lambda: not self._servers(bay['uuid']),
                        what='the servers to go')
        coe('cluster', 'delete', name)
        self._wait_for_bay_gone(name, bay['uuid'])
