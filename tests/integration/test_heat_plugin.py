"""heat_plugin's resource types in the all-in-one's real heat-engine.

heat-engine loads heat_plugin from plugin_dirs; its containers run on the
same Docker engine these tests inspect with the docker SDK, its bays are
made by the real magnumlite API and conductor, as Nova servers.
"""

import json
import os
import uuid

import docker
import fixtures

from heat_plugin import examples
from tests.integration import base

IMAGE = 'magnumlite/busybox:latest'
STACK_LABEL = 'magnumlite.heat.stack_id'
MiB = 1024 * 1024


def modern(**props):
    props.setdefault('image', IMAGE)
    return {'heat_template_version': '2018-08-31',
            'resources': {'c': {'type': 'OS::Magnumlite::Container',
                                'properties': props}},
            'outputs': {'id': {'value': {'get_resource': 'c'}},
                        'status': {'value': {'get_attr': ['c', 'status']}}}}


# Heat's old contrib/docker example, as users wrote it
OLD_STYLE = examples.read('old_style_docker_container.yaml')


class HeatStackTestCase(base.IntegrationTestCase):
    """Stacks made as users make them: `openstack stack ... --wait`.

    Each is deleted afterwards, whatever the test's outcome.
    """

    TYPES = ()

    def setUp(self):
        super().setUp()
        types = base.openstack_cli('orchestration', 'resource', 'type',
                                   'list', '-f', 'value')
        for name in self.TYPES:
            self.assertIn(name, types, 'heat-engine did not load '
                          'heat_plugin (tools/allinone restart heat-engine)')
        self.tmp = self.useFixture(fixtures.TempDir()).path

    def stack_cli(self, verb, stack, *args, template=None, parameters=None):
        """`openstack stack VERB [--wait] [-t file] STACK`."""
        cli = ['stack', verb] + list(args)
        if template is not None:
            path = os.path.join(self.tmp, 'template-%s.json'
                                % uuid.uuid4().hex)
            with open(path, 'w') as f:
                f.write(template if isinstance(template, str)
                        else json.dumps(template))
            cli += ['-t', path]
        for key, value in (parameters or {}).items():
            cli += ['--parameter', '%s=%s' % (key, value)]
        return base.openstack_cli(*cli + [stack])

    def show(self, name):
        return json.loads(base.openstack_cli('stack', 'show', name,
                                             '-f', 'json'))

    def create(self, template, expect='CREATE_COMPLETE', parameters=None):
        name = self.unique_name('stk')
        self.addCleanup(self._remove, name)
        if expect == 'CREATE_COMPLETE':
            self.stack_cli('create', name, '--wait', template=template,
                           parameters=parameters)
        else:
            self.stack_cli('create', name, template=template,
                           parameters=parameters)
            base.wait_until(
                lambda: not self.conn.orchestration.find_stack(
                    name, ignore_missing=False).status.endswith(
                        'IN_PROGRESS'),
                timeout=self.TIMEOUT, interval=1,
                what='stack %s to settle' % name)
        stack = self.show(name)
        self.assertEqual(expect, stack['stack_status'],
                         stack['stack_status_reason'])
        return stack

    TIMEOUT = base.SETTLE_TIMEOUT

    def update(self, stack, template, parameters=None):
        self.stack_cli('update', stack['stack_name'], '--wait',
                       template=template, parameters=parameters)
        stack = self.show(stack['stack_name'])
        self.assertEqual('UPDATE_COMPLETE', stack['stack_status'],
                         stack['stack_status_reason'])
        return stack

    def action(self, verb, stack):
        """suspend or resume, and wait for it."""
        self.stack_cli(verb, stack['stack_name'], '--wait')
        stack = self.show(stack['stack_name'])
        self.assertEqual('%s_COMPLETE' % verb.upper(), stack['stack_status'],
                         stack['stack_status_reason'])

    def _remove(self, name):
        if name in base.openstack_cli('stack', 'list', '-f', 'value',
                                      '-c', 'Stack Name').split():
            base.openstack_cli('stack', 'delete', '--yes', '--wait', name)

    def output(self, stack, key):
        return json.loads(base.openstack_cli(
            'stack', 'output', 'show', stack['stack_name'], key,
            '-f', 'json'))['output_value']

    def delete(self, stack):
        base.openstack_cli('stack', 'delete', '--yes', '--wait',
                           stack['stack_name'])
        self.assertNotIn(stack['stack_name'], base.openstack_cli(
            'stack', 'list', '-f', 'value', '-c', 'Stack Name').split())


class TestHeatContainers(HeatStackTestCase):

    TYPES = ('DockerInc::Docker::Container', 'OS::Magnumlite::Container')

    def setUp(self):
        super().setUp()
        self.docker = docker.APIClient(version='auto')

    def containers_of(self, stack):
        return self.docker.containers(
            all=True, filters={'label': '%s=%s' % (STACK_LABEL, stack['id'])})

    def create(self, *args, **kwargs):
        stack = super().create(*args, **kwargs)
        self.addCleanup(self._remove_containers, stack)
        return stack

    def _remove_containers(self, stack):
        for c in self.containers_of(stack):   # never leave one behind
            self.docker.remove_container(c['Id'], force=True)

    def delete(self, stack):
        super().delete(stack)
        self.assertEqual([], self.containers_of(stack))

    def test_modern_create_suspend_resume_delete(self):
        stack = self.create(modern(memory=64,
                                   command='sh -c "exec sleep 600"'))
        cid = self.output(stack, 'id')
        info = self.docker.inspect_container(cid)
        self.assertEqual('running', info['State']['Status'])
        self.assertEqual(64 * MiB, info['HostConfig']['Memory'])
        self.assertFalse(info['HostConfig']['Privileged'])

        self.action('suspend', stack)
        self.assertEqual('paused',
                         self.docker.inspect_container(cid)['State']['Status'])
        self.action('resume', stack)
        self.assertEqual('running',
                         self.docker.inspect_container(cid)['State']['Status'])

        self.delete(stack)

    def test_modern_update_in_place(self):
        stack = self.create(modern(memory=64,
                                   command='sh -c "exec sleep 600"'))
        cid = self.output(stack, 'id')
        self.update(stack, modern(memory=128,
                                  command='sh -c "exec sleep 600"'))
        self.assertEqual(cid, self.output(stack, 'id'))
        self.assertEqual(128 * MiB, self.docker.inspect_container(
            cid)['HostConfig']['Memory'])
        self.delete(stack)

    def test_nonzero_exit_fails_create_with_reason(self):
        stack = self.create(
            modern(command=['sh', '-c', 'echo no config found; exit 3']),
            expect='CREATE_FAILED')
        self.assertIn('exited with code 3', stack['stack_status_reason'])
        self.assertIn('no config found', stack['stack_status_reason'])
        self.delete(stack)

    def test_old_style_template_runs_unchanged(self):
        stack = self.create(OLD_STYLE, parameters={
            'image': IMAGE, 'endpoint': 'unix:///var/run/docker.sock'})
        cid = self.output(stack, 'id')
        self.assertTrue(self.docker.inspect_container(cid)['State']['Running'])
        self.assertTrue(self.output(stack, 'ip'))
        self.delete(stack)

    def test_privileged_refused_by_validation(self):
        error = self.assertRaises(
            base.openstack.exceptions.BadRequestException,
            self.conn.orchestration.create_stack,
            name=self.unique_name('priv'), template=modern(privileged=True))
        self.assertIn('allow_privileged', str(error))


def bay_stack(flavor, model_type='OS::Magnumlite::BayModel',
              bay_type='OS::Magnumlite::Bay', template_key='baymodel'):
    """A bay model and a bay of it, on the fast fake Nova host (zone fake)."""
    return {
        'heat_template_version': '2018-08-31',
        'parameters': {'node_count': {'type': 'number', 'default': 1}},
        'resources': {
            'model': {'type': model_type, 'properties': {
                'coe': 'kubernetes', 'image': base.TEST_IMAGE,
                'flavor': flavor, 'master_flavor': flavor,
                'external_network': 'public',
                'labels': {'availability_zone': 'fake'}}},
            'bay': {'type': bay_type, 'properties': {
                template_key: {'get_resource': 'model'},
                'node_count': {'get_param': 'node_count'},
                'create_timeout': 5}}},
        'outputs': {
            'model': {'value': {'get_resource': 'model'}},
            'uuid': {'value': {'get_resource': 'bay'}},
            'status': {'value': {'get_attr': ['bay', 'status']}},
            'node_count': {'value': {'get_attr': ['bay', 'node_count']}},
            'master_addresses': {
                'value': {'get_attr': ['bay', 'master_addresses']}},
            'node_addresses': {
                'value': {'get_attr': ['bay', 'node_addresses']}},
            'api_address': {'value': {'get_attr': ['bay', 'api_address']}},
        }}


class TestHeatBays(HeatStackTestCase):

    TYPES = ('OS::Magnumlite::BayModel', 'OS::Magnumlite::Bay',
             'OS::Magnumlite::ClusterTemplate', 'OS::Magnumlite::Cluster')
    TIMEOUT = 300

    def coe_show(self, kind, ident):
        return json.loads(base.openstack_cli('coe', kind, 'show', ident,
                                             '-f', 'json'))

    def coe_names(self, *kind):
        return base.openstack_cli('coe', *kind, 'list', '-f', 'value',
                                  '-c', 'uuid')

    def servers(self, bay_uuid):
        return [s for s in self.conn.compute.servers()
                if s.metadata.get('magnumlite_cluster') == bay_uuid]

    def check_bay(self, stack, node_count):
        """The bay as magnumlite and Nova see it matches the stack's."""
        uuid = self.output(stack, 'uuid')
        bay = self.coe_show('cluster', uuid)
        self.assertEqual(node_count, bay['node_count'])
        self.assertEqual(bay['status'], self.output(stack, 'status'))
        self.assertEqual(node_count, self.output(stack, 'node_count'))
        for key in ('master_addresses', 'node_addresses', 'api_address'):
            self.assertEqual(bay[key], self.output(stack, key), key)
        servers = self.servers(uuid)
        self.assertEqual(1 + node_count, len(servers))
        self.assertEqual({'ACTIVE'}, {s.status for s in servers})
        return bay

    def test_bay_create_delete(self):
        stack = self.create(bay_stack(base.TEST_FLAVOR),
                            parameters={'node_count': 2})
        uuid = self.output(stack, 'uuid')
        model = self.output(stack, 'model')
        bay = self.check_bay(stack, node_count=2)
        self.assertEqual('CREATE_COMPLETE', bay['status'])
        self.assertEqual(model, bay['cluster_template_id'])

        self.delete(stack)
        self.assertNotIn(uuid, self.coe_names('cluster'))
        self.assertNotIn(model, self.coe_names('cluster', 'template'))
        self.assertEqual([], self.servers(uuid))

    def test_bay_node_count_update_in_place(self):
        stack = self.create(bay_stack(base.TEST_FLAVOR))
        uuid = self.output(stack, 'uuid')
        self.update(stack, bay_stack(base.TEST_FLAVOR),
                    parameters={'node_count': 2})
        self.assertEqual(uuid, self.output(stack, 'uuid'))   # in place
        bay = self.check_bay(stack, node_count=2)
        self.assertEqual('UPDATE_COMPLETE', bay['status'])
        self.delete(stack)

    def test_failed_bay_fails_stack_with_its_reason(self):
        # 10 TB of RAM: Nova's quota refuses the servers, and says so
        flavor = self.conn.compute.create_flavor(
            name=self.unique_name('flavor'), ram=10 * 1024 * 1024,
            vcpus=1, disk=1)
        self.addCleanup(self.conn.compute.delete_flavor, flavor)
        stack = self.create(
            bay_stack(flavor.name, 'OS::Magnumlite::ClusterTemplate',
                      'OS::Magnumlite::Cluster', 'cluster_template'),
            expect='CREATE_FAILED')
        self.assertIn('CREATE_FAILED', stack['stack_status_reason'])
        self.assertIn('Quota exceeded for ram', stack['stack_status_reason'])
        self.delete(stack)

    def test_swarm_bay_example(self):
        # The example users start from, on the all-in-one's swarm-mode
        # template: a real swarm, whose API and engine the stack reports.
        stack = self.create(examples.read('swarm_bay.yaml'))
        bay = self.coe_show('cluster', self.output(stack, 'uuid'))
        self.assertEqual('CREATE_COMPLETE', bay['status'])
        self.assertEqual(bay['api_address'], self.output(stack, 'docker_host'))
        self.assertRegex(bay['api_address'], r'^tcp://172\.24\.4\.\d+:2376$')
        self.assertEqual(bay['coe_version'],
                         self.output(stack, 'docker_version'))
        self.assertTrue(bay['coe_version'])
        self.assertEqual('HEALTHY', bay['health_status'])
        self.delete(stack)

    def test_unknown_bay_model_is_refused_by_validation(self):
        template = bay_stack(base.TEST_FLAVOR)
        del template['resources']['model']
        del template['outputs']['model']
        template['resources']['bay']['properties']['baymodel'] = \
            'no-such-model-' + self.unique_name('m')
        error = self.assertRaises(
            base.openstack.exceptions.BadRequestException,
            self.conn.orchestration.create_stack,
            name=self.unique_name('bad'), template=template)
        self.assertIn('no-such-model', str(error))
