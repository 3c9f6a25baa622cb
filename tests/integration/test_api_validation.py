"""What the API refuses, through keystone and the whole paste pipeline.

References are looked up in the real Glance, Nova, Neutron and keystone
of the all-in-one, with the requesting user's token; limits are those of
the deployed api-paste.ini and policies (scoped RBAC as configured by
devstack/lib/magnumlite). Every input of a kind that once got a 5xx, or
took the conductor down, is refused with a 4xx in Magnum's error
document; and a bounded fuzz run of the OpenAPI document gets no 5xx.
"""

import os
import re
import subprocess
import sys

from keystoneauth1.identity import v3
from keystoneauth1 import session

from tests.integration import base

ERROR_KEYS = {'request_id', 'code', 'status', 'title', 'detail', 'links'}
# Requests per operation and mode in the tier's fuzz run; the script's own
# default is larger.
FUZZ_EXAMPLES = 5


class APITestCase(base.IntegrationTestCase):

    def setUp(self):
        super().setUp()
        self.endpoint = self.conn.session.get_endpoint(
            service_type='container-infra', interface='public')

    def call(self, method, path, body=None, conn=None, **kwargs):
        headers = dict(kwargs.pop('headers', {}), **{
            'OpenStack-API-Version': 'container-infra latest'})
        return (conn or self.conn).session.request(
            self.endpoint + path, method, json=body, headers=headers,
            raise_exc=False, **kwargs)

    def assertRefused(self, status, resp, detail=None):
        """resp is status, in Magnum's error document (detail in it)."""
        self.assertEqual(status, resp.status_code, resp.text)
        [error] = resp.json()['errors']
        self.assertEqual(ERROR_KEYS, set(error))
        if detail is not None:
            self.assertIn(detail, error['detail'])
        return error

    def template(self, **values):
        """A template made of what the cloud has; deleted after the test."""
        body = dict({'name': self.unique_name('ct'), 'coe': 'kubernetes',
                     'image_id': base.TEST_IMAGE,
                     'flavor_id': base.TEST_FLAVOR,
                     'external_network_id': base.PUBLIC_NETWORK}, **values)
        resp = self.call('POST', '/clustertemplates', body)
        self.assertEqual(201, resp.status_code, resp.text)
        template = resp.json()
        self.addCleanup(self.call, 'DELETE',
                        '/clustertemplates/' + template['uuid'])
        return template


class TestReferences(APITestCase):

    def test_what_the_cloud_has_is_accepted(self):
        keypair = self.conn.compute.create_keypair(
            name=self.unique_name('key'))
        self.addCleanup(self.conn.compute.delete_keypair, keypair)
        network = self.conn.network.find_network('private')
        template = self.template(
            master_flavor_id=base.TEST_FLAVOR, keypair_id=keypair.name,
            fixed_network='private')
        self.assertEqual(('private', 'flannel'), (
            template['fixed_network'], template['network_driver']))
        # and by id as well as by name
        image = self.conn.image.find_image(base.TEST_IMAGE)
        self.template(image_id=image.id, fixed_network=network.id)

    def test_what_it_does_not_have_is_400_naming_the_field(self):
        for field, value, words in (
                ('image_id', 'no-such-image',
                 'Image no-such-image could not be found.'),
                ('flavor_id', 'm1.none', 'Unable to find flavor m1.none.'),
                ('master_flavor_id', 'm1.none',
                 'Unable to find flavor m1.none.'),
                ('keypair_id', 'no-such-key',
                 'Unable to find keypair no-such-key.'),
                # a network that exists, but is no external one
                ('external_network_id', 'private',
                 'Unable to find external network private.'),
                ('fixed_network', 'no-such-net',
                 'Unable to find fixed network no-such-net.'),
                ('fixed_subnet', 'no-such-subnet',
                 'Unable to find fixed subnet no-such-subnet.')):
            body = {'name': self.unique_name('ct'), 'coe': 'kubernetes',
                    'image_id': base.TEST_IMAGE,
                    'external_network_id': base.PUBLIC_NETWORK,
                    field: value}
            error = self.assertRefused(400, self.call(
                'POST', '/clustertemplates', body))
            self.assertEqual('Invalid input for field/attribute %s. %s'
                             % (field, words), error['detail'])
            self.assertEqual('Invalid input for field/attribute ' + field,
                             error['title'])

    def test_template_update_and_cluster_create_check_them_too(self):
        template = self.template()
        self.assertRefused(400, self.call(
            'PATCH', '/clustertemplates/' + template['uuid'],
            [{'op': 'replace', 'path': '/image_id', 'value': 'gone'}]),
            'Image gone could not be found.')
        for field, value in (('flavor_id', 'm1.none'),
                             ('master_flavor_id', 'm1.none'),
                             ('keypair', 'no-such-key')):
            self.assertRefused(400, self.call('POST', '/clusters', {
                'cluster_template_id': template['uuid'], field: value}),
                'Invalid input for field/attribute ' + field)

    def test_a_quota_for_a_project_keystone_does_not_know_is_404(self):
        body = {'project_id': 'f' * 32, 'resource': 'Cluster',
                'hard_limit': 1}
        self.assertRefused(404, self.call('POST', '/quotas', body),
                           'The project_id %s could not be found.'
                           % body['project_id'])
        project = self.conn.identity.create_project(
            name=self.unique_name('p'), domain_id='default')
        self.addCleanup(self.conn.identity.delete_project, project)
        body['project_id'] = project.id
        self.assertEqual(201, self.call('POST', '/quotas', body).status_code)
        self.addCleanup(self.call, 'DELETE',
                        '/quotas/%s/Cluster' % project.id)


class TestRefusedInputs(APITestCase):

    def test_huge_counts(self):
        template = self.template()
        for body in ({'node_count': 7735901969592780800},
                     {'node_count': 14016}, {'node_count': 110602},
                     {'master_count': 2 ** 63 + 1}):
            body['cluster_template_id'] = template['uuid']
            self.assertRefused(400, self.call('POST', '/clusters', body))
        clusters = self.call('GET', '/clusters').json()['clusters']
        self.assertNotIn(template['uuid'], [c['cluster_template_id']
                                            for c in clusters])

    def test_bodies_the_pipeline_refuses(self):
        # Over [oslo_middleware] max_request_body_size (112 KiB).
        self.assertRefused(413, self.call('POST', '/clustertemplates', {
            'coe': 'kubernetes', 'image_id': base.TEST_IMAGE,
            'labels': {'a': 'x' * 200 * 1024}}),
            'The body of your request was too large for this server.')
        self.assertRefused(415, self.call(
            'POST', '/clusters', data=b'{"cluster_template_id": "x"}',
            headers={'Content-Type': 'text/plain'}),
            'Unknown mimetype: text/plain')
        self.assertRefused(400, self.call(
            'POST', '/clusters', data=b'[' * 100000,
            headers={'Content-Type': 'application/json'}),
            'nested deeper')
        self.assertRefused(400, self.call(
            'POST', '/clustertemplates',
            data=b'{"coe": "kubernetes", "image_id": "busybox", '
                 b'"labels": {"a": NaN}}',
            headers={'Content-Type': 'application/json'}),
            'Malformed JSON')

    def test_integers_beyond_the_database(self):
        self.assertRefused(400, self.call('GET', '/quotas?marker=%d'
                                          % 2 ** 64))
        self.assertRefused(400, self.call('POST', '/quotas', {
            'project_id': self.conn.current_project_id,
            'resource': 'Cluster', 'hard_limit': 2 ** 63}))

    def test_a_patch_that_is_no_json_patch_is_400_for_anything(self):
        self.assertRefused(400, self.call(
            'PATCH', '/clustertemplates/no-such-template',
            {'image_id': 'x'}), "is not of type 'array'")


class TestScopedRBAC(APITestCase):

    def test_a_system_scoped_token_is_refused_project_rules(self):
        env = os.environ
        system = session.Session(auth=v3.Password(
            auth_url=env['OS_AUTH_URL'], username=env['OS_USERNAME'],
            password=env['OS_PASSWORD'], system_scope='all',
            user_domain_name=env.get('OS_USER_DOMAIN_NAME', 'Default')))
        resp = system.request(
            self.endpoint + '/clusters', 'GET', raise_exc=False,
            headers={'OpenStack-API-Version': 'container-infra latest'})
        self.assertRefused(403, resp, "cluster:get_all")

    def test_demo_reads_its_own_quota_but_lists_none(self):
        demo = base.cloud(username='demo', project='demo')
        self.assertEqual(200, self.call(
            'GET', '/quotas/%s/Cluster' % demo.current_project_id,
            conn=demo).status_code)
        self.assertRefused(403, self.call('GET', '/quotas', conn=demo),
                           'quota:get_all')


class TestFuzz(base.IntegrationTestCase):

    def test_a_fuzz_run_of_the_openapi_document_gets_no_5xx(self):
        proc = subprocess.run(
            (sys.executable, os.path.join(base.REPO, 'tools', 'fuzz_api.py'),
             '--examples', str(FUZZ_EXAMPLES)),
            capture_output=True, text=True, timeout=1800)
        summary = re.search(r'fuzzed (\d+) requests: (\d+) answered 5xx, '
                            r'(\d+) got no answer', proc.stdout)
        self.assertIsNotNone(summary, proc.stdout + proc.stderr[-2000:])
        sent, server_errors, no_answer = map(int, summary.groups())
        self.assertGreater(sent, 300, proc.stdout)
        self.assertEqual((0, 0), (server_errors, no_answer), proc.stdout)
        self.assertEqual(0, proc.returncode, proc.stdout)
