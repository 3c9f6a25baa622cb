"""Horizon's Container Infra panels (magnum-ui) on magnumlite.

magnum-ui talks to magnumlite at its own microversion (1.13) through
python-magnumclient 4; what the panels show must be magnumlite's rows,
with no error toast on any page.
"""

import json

import fixtures

from tests.browser import base
from tests.integration import base as integration
from tests.integration.test_coe_api import coe

CLUSTER_TIMEOUT = 300


class TestPanels(base.BrowserTestCase):

    def test_clusters_and_templates_listed_with_their_fields(self):
        template = self.unique_name('ct')
        coe('cluster', 'template', 'create', '--coe', 'kubernetes',
            '--image', integration.TEST_IMAGE,
            '--flavor', integration.TEST_FLAVOR,
            '--external-network', 'public', '--network-driver', 'flannel',
            template)
        self.addCleanup(coe, 'cluster', 'template', 'delete', template)
        template_uuid = coe('cluster', 'template', 'show', template,
                            '-f', 'json')['uuid']
        cluster = self.unique_name('c')
        coe('cluster', 'create', '--cluster-template', template,
            '--node-count', '1', cluster)
        self.addCleanup(delete_cluster, cluster)
        shown = wait_for_cluster(cluster, 'CREATE_COMPLETE')

        self.open_table('/project/cluster_templates/')
        row = self.wait_for_row(template)
        self.screenshot('cluster-templates')
        self.assertEqual(['Name', 'ID', 'Keypair', 'Network Driver'],
                         self.headers())
        self.assertIn(template_uuid, row)
        self.assertIn('flannel', row)
        self.assertNoErrorToast()

        self.open_table('/project/clusters/')
        row = self.wait_for_row(cluster)
        self.screenshot('clusters')
        self.assertEqual(
            ['Name', 'ID', 'Status', 'Health Status',
             'Control Plane Node Count', 'Node Count', 'Kubernetes Version'],
            self.headers())
        self.assertEqual(
            [shown['uuid'], 'CREATE_COMPLETE', '1', '1'],
            [cell for cell in row if cell in (
                shown['uuid'], 'CREATE_COMPLETE', '1')])
        self.assertNoErrorToast()

        # The cluster's own page, from its name in the table.
        self.browser.find_element(
            base.By.LINK_TEXT, cluster).click()
        # The template's name comes from a request of its own, after the
        # cluster's.
        expected = (shown['uuid'], cluster, 'CREATE_COMPLETE', 'HEALTHY',
                    template)

        def details():
            text = self.find('body').text
            return all(value in text for value in expected) and text
        self.wait_for(details, lambda: "the cluster's details to show %s: %s"
                      % (expected, self.find('body').text))
        self.screenshot('cluster-details')
        self.assertNoErrorToast()

    def test_swarm_bay_page_shows_its_api_address_and_health(self):
        # A bay of the all-in-one's swarm-mode template: a real swarm,
        # whose DOCKER_HOST and health the dashboard shows.
        cluster = self.unique_name('swarm')
        coe('cluster', 'create', '--cluster-template', 'swarm-mode',
            '--node-count', '1', cluster)
        self.addCleanup(delete_cluster, cluster)
        shown = wait_for_cluster(cluster, 'CREATE_COMPLETE')
        self.assertTrue(shown['api_address'].startswith('tcp://'))

        self.open_table('/project/clusters/')
        self.wait_for_row(cluster)
        self.browser.find_element(base.By.LINK_TEXT, cluster).click()
        expected = (shown['uuid'], 'CREATE_COMPLETE', 'HEALTHY',
                    shown['api_address'], shown['coe_version'])

        def details():
            text = self.find('body').text
            return all(value in text for value in expected) and text
        self.wait_for(details, lambda: "the swarm bay's details to show %s: "
                      "%s" % (expected, self.find('body').text))
        self.screenshot('swarm-cluster-details')
        self.assertNoErrorToast()

    def test_admin_quotas_panel(self):
        project = self.conn.identity.create_project(
            name=self.unique_name('p'), domain_id='default')
        self.addCleanup(self.conn.identity.delete_project, project)
        coe('quotas', 'create', '--project-id', project.id,
            '--resource', 'Cluster', '--hard-limit', '7')
        self.addCleanup(coe, 'quotas', 'delete', '--project-id', project.id,
                        '--resource', 'Cluster')

        self.open_table('/admin/container_infra/quotas/')
        row = self.wait_for_row(project.id)
        self.screenshot('admin-quotas')
        self.assertEqual(['ID', 'Project ID', 'Resource', 'Hard Limit',
                          'Created At', 'Updated At'], self.headers())
        self.assertIn('Cluster', row)
        self.assertIn('7', row)
        self.assertNoErrorToast()


class TestForms(base.BrowserTestCase):
    """Create and delete a cluster template and a cluster from the forms."""

    def setUp(self):
        super().setUp()
        # magnum-ui offers only images whose os_distro is one Magnum's
        # drivers know: the test image, as such an image.
        self.image = self.unique_name('img')
        tarball = self.useFixture(fixtures.TempDir()).join('image.tar')
        integration.openstack_cli('image', 'save', '--file', tarball,
                                  integration.TEST_IMAGE)
        integration.openstack_cli(
            'image', 'create', '--container-format', 'docker',
            '--disk-format', 'raw', '--property', 'os_distro=fedora-coreos',
            '--file', tarball, self.image)
        self.addCleanup(integration.openstack_cli, 'image', 'delete',
                        self.image)
        # The template form requires an external network: the cloud's,
        # which the cluster's router and floating IPs come from.
        self.network = self.conn.network.find_network(
            integration.PUBLIC_NETWORK, ignore_missing=False)
        # ...and the cluster form a keypair.
        keypair = self.conn.compute.create_keypair(
            name=self.unique_name('key'))
        self.addCleanup(self.conn.compute.delete_keypair, keypair)
        self.keypair = keypair.name

    def test_create_template_and_cluster_then_delete_them(self):
        template = self.unique_name('ct')
        self.open_table('/project/cluster_templates/')
        self.button('Create Cluster Template').click()
        self.fill('.modal-dialog [name="name"]', template)
        self.select('.modal-dialog [name="coe"]', 'Kubernetes')
        self.button('Node Spec', '.modal-dialog').click()
        self.select('.modal-dialog [name="image_id"]', self.image)
        self.select('.modal-dialog [name="flavor_id"]',
                    integration.TEST_FLAVOR)
        self.select('.modal-dialog [name="keypair_id"]', self.keypair)
        self.button('Network', '.modal-dialog').click()
        self.select('.modal-dialog [name="network_driver"]', 'Flannel')
        self.select('.modal-dialog [name="external_network_id"]',
                    self.network.name)
        self.screenshot('template-form')
        self.button('Submit', '.modal-dialog').click()
        self.addCleanup(delete_template, template)
        row = self.wait_for_row(template)
        self.screenshot('template-created')
        self.assertNoErrorToast()
        shown = coe('cluster', 'template', 'show', template, '-f', 'json')
        self.assertEqual(
            ('kubernetes', self.image, integration.TEST_FLAVOR,
             self.keypair, 'flannel', self.network.id),
            (shown['coe'], shown['image_id'], shown['flavor_id'],
             shown['keypair_id'], shown['network_driver'],
             shown['external_network_id']))
        self.assertIn(shown['uuid'], row)

        cluster = self.unique_name('c')
        self.open_table('/project/clusters/')
        self.button('Create Cluster').click()
        self.fill('.modal-dialog [name="name"]', cluster)
        self.select('.modal-dialog [name="cluster_template_id"]', template)
        self.select('.modal-dialog [name="availability_zone"]', 'fake')
        self.select('.modal-dialog [name="keypair"]', self.keypair)
        self.button('Size', '.modal-dialog').click()
        # Without a load balancer in the template the form allows one
        # control plane node, and says so by a read-only 1.
        master_count = self.visible('.modal-dialog [name="master_count"]')
        if master_count.get_attribute('readonly') or \
                not master_count.is_enabled():
            self.assertEqual('1', master_count.get_attribute('value'))
        else:
            self.fill('.modal-dialog [name="master_count"]', '1')
        self.select('.modal-dialog [name="master_flavor_id"]',
                    integration.TEST_FLAVOR)
        self.fill('.modal-dialog [name="node_count"]', '2')
        self.select('.modal-dialog [name="flavor_id"]',
                    integration.TEST_FLAVOR)
        self.screenshot('cluster-form')
        self.button('Submit', '.modal-dialog').click()
        self.addCleanup(delete_cluster, cluster)
        self.wait_for_row(cluster)
        self.assertNoErrorToast()

        # The table follows the cluster to CREATE_COMPLETE.
        shown = wait_for_cluster(cluster, 'CREATE_COMPLETE')
        self.assertEqual(
            (template, 1, 2, self.keypair, 'fake'),
            (coe('cluster', 'template', 'show', shown['cluster_template_id'],
                 '-f', 'json')['name'], shown['master_count'],
             shown['node_count'], shown['keypair'],
             shown['labels']['availability_zone']))
        self.open_table('/project/clusters/')
        self.wait_for(lambda: 'CREATE_COMPLETE' in (
            self.row_of(cluster) or []), 'CREATE_COMPLETE in the table')
        self.screenshot('cluster-complete')
        self.assertNoErrorToast()

        # Resize from the row's menu: the form reads the cluster's node
        # groups, the cluster goes to one worker.
        self.row_action(cluster, 'Resize Cluster')
        self.fill('.modal-dialog [name="node_count"]', '1')
        self.screenshot('resize-form')
        self.button('Submit', '.modal-dialog').click()
        self.assertNoErrorToast()
        self.assertEqual(1, wait_for_cluster(cluster, 'UPDATE_COMPLETE')[
            'node_count'])
        self.open_table('/project/clusters/')
        self.wait_for(lambda: 'UPDATE_COMPLETE' in (
            self.row_of(cluster) or []), 'UPDATE_COMPLETE in the table')
        self.screenshot('cluster-resized')
        self.assertNoErrorToast()

        # Credential rotation (1.12) from the row's menu.
        self.row_action(cluster, 'Rotate Cluster Credentials')
        self.button('Rotate Cluster Credentials', '.modal-dialog').click()
        self.wait_for(lambda: [e for e in self.browser.find_elements(
            base.By.CSS_SELECTOR, '.alert-success')
            if 'Credentials successfully rotated' in e.text],
            'the rotation to be confirmed')
        self.screenshot('credentials-rotated')
        self.assertNoErrorToast()

        self.delete_row(cluster, 'Delete Cluster')
        self.wait_for(
            lambda: cluster not in [c['name'] for c in coe(
                'cluster', 'list', '-f', 'json')],
            'cluster %s to be deleted' % cluster, timeout=CLUSTER_TIMEOUT)
        self.open_table('/project/clusters/')
        self.screenshot('cluster-deleted')
        self.assertIsNone(self.row_of(cluster))
        self.assertNoErrorToast()

        self.open_table('/project/cluster_templates/')
        self.wait_for_row(template)
        self.delete_row(template, 'Delete Cluster Template')
        self.wait_for(lambda: self.row_of(template) is None,
                      'the template row to go')
        self.screenshot('template-deleted')
        self.assertNotIn(template, [t['name'] for t in coe(
            'cluster', 'template', 'list', '-f', 'json')])
        self.assertNoErrorToast()

    def row_action(self, name, action):
        """Choose action from the menu of the row of name."""
        row = self.browser.find_element(
            base.By.XPATH, '//table/tbody/tr[td//a[normalize-space(.)=%s]]'
            % base._xpath_string(name))
        self.find('.dropdown-toggle', within=row).click()
        self.button(action, 'table').click()

    def delete_row(self, name, action):
        """Run a row's delete action from its menu and confirm it."""
        self.row_action(name, action)
        self.screenshot('confirm-delete')
        self.button(action, '.modal-dialog').click()


def delete_template(name):
    """Delete the template unless the test did."""
    if name in [t['name'] for t in coe('cluster', 'template', 'list',
                                       '-f', 'json')]:
        coe('cluster', 'template', 'delete', name)


def wait_for_cluster(name, status):
    """The cluster once it is in status; fails on a *_FAILED status."""
    def settled():
        shown = coe('cluster', 'show', name, '-f', 'json')
        if shown['status'].endswith('FAILED') and status != shown['status']:
            raise AssertionError('cluster %s: %s' % (
                name, json.dumps(shown, indent=1)))
        return shown if shown['status'] == status else None
    return integration.wait_until(settled, timeout=CLUSTER_TIMEOUT,
                                  what='cluster %s %s' % (name, status))


def delete_cluster(name):
    """Delete the cluster and wait until it is gone (its template waits)."""
    if name not in [c['name'] for c in coe('cluster', 'list', '-f', 'json')]:
        return  # the test deleted it
    coe('cluster', 'delete', name)
    integration.wait_until(
        lambda: name not in [c['name'] for c in coe(
            'cluster', 'list', '-f', 'json')],
        timeout=CLUSTER_TIMEOUT, what='cluster %s to be deleted' % name)
