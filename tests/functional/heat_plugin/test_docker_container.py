"""DockerInc::Docker::Container through Heat's scheduler, on real Docker."""

from heat.tests import common  # noqa: F401 (first: sets up heat)

import os

import fixtures
from heat.common import exception
from heat.common import plugin_loader
from heat.common import template_format
from heat.engine import plugin_manager
from heat.engine import scheduler
from oslo_config import cfg

import heat_plugin
from heat_plugin import common as plugin_common
from heat_plugin import conf as plugin_conf
from heat_plugin import docker_container
from heat_plugin import examples
from tests.functional.heat_plugin import base


def template(**props):
    props.setdefault('image', base.IMAGE)
    return {'heat_template_version': '2015-04-30',
            'resources': {'c': {'type': 'DockerInc::Docker::Container',
                                'properties': props}}}


# Heat's old contrib/docker example, as users wrote it
OLD_STYLE = examples.read('old_style_docker_container.yaml')


class DockerContainerTest(base.DockerHeatTestCase):

    def test_create_and_delete_removes_container(self):
        stack = self.stack(template(env=['GREETING=hi'], hostname='box'))
        rsrc = self.create(stack, 'c')
        self.assertEqual((rsrc.CREATE, rsrc.COMPLETE), rsrc.state)
        info = self.docker.inspect_container(rsrc.resource_id)
        self.assertTrue(info['State']['Running'])
        self.assertIn('GREETING=hi', info['Config']['Env'])
        self.assertEqual('box', info['Config']['Hostname'])
        self.assertEqual(stack.id,
                         info['Config']['Labels'][plugin_common.LABEL_STACK])
        scheduler.TaskRunner(rsrc.delete)()
        self.assertEqual((rsrc.DELETE, rsrc.COMPLETE), rsrc.state)
        self.assertIsNone(self.state(info['Id']))

    def test_exit_zero_completes(self):
        stack = self.stack(template(cmd=['sh', '-c', 'echo done; exit 0']))
        rsrc = self.create(stack, 'c')
        self.assertEqual((rsrc.CREATE, rsrc.COMPLETE), rsrc.state)
        state = self.state(rsrc.resource_id)
        self.assertEqual(('exited', 0), (state['Status'], state['ExitCode']))
        self.assertEqual('done', rsrc.FnGetAtt('logs_tail'))

    def test_nonzero_exit_fails_with_log_tail(self):
        stack = self.stack(template(
            cmd=['sh', '-c', 'echo starting; echo disk full >&2; exit 3']))
        rsrc = stack['c']
        error = self.assertRaises(exception.ResourceFailure,
                                  scheduler.TaskRunner(rsrc.create))
        self.assertEqual((rsrc.CREATE, rsrc.FAILED), rsrc.state)
        self.assertIn('exited with code 3', str(error))
        self.assertIn('disk full', rsrc.status_reason)
        self.assertIn('exited with code 3', rsrc.status_reason)
        # the failed container is still deleted
        scheduler.TaskRunner(rsrc.delete)()
        self.assertIsNone(self.state(rsrc.resource_id))

    def test_delete_of_already_removed_container(self):
        stack = self.stack(template())
        rsrc = self.create(stack, 'c')
        self.docker.remove_container(rsrc.resource_id, force=True)
        scheduler.TaskRunner(rsrc.delete)()
        self.assertEqual((rsrc.DELETE, rsrc.COMPLETE), rsrc.state)

    def test_attributes(self):
        stack = self.stack(template(
            cmd=['sh', '-c', 'echo first; echo middle; echo last; '
                 'exec sleep 600'],
            port_specs=['8080', '5353/udp'],
            name='heat-attr-%s' % self.run_id))
        rsrc = self.create(stack, 'c')
        info = self.docker.inspect_container(rsrc.resource_id)
        self.assertEqual('first', rsrc.FnGetAtt('logs_head'))
        self.assertEqual('last', rsrc.FnGetAtt('logs_tail'))
        self.assertEqual('first\nmiddle\nlast\n', rsrc.FnGetAtt('logs'))
        got = rsrc.FnGetAtt('info')
        self.assertEqual(info['Id'], got['Id'])
        self.assertEqual('/heat-attr-%s' % self.run_id, got['Name'])
        net = rsrc.FnGetAtt('network_info')
        self.assertEqual(info['NetworkSettings']['IPAddress'],
                         net['IPAddress'])
        self.assertIn('8080/tcp', net['Ports'])
        self.assertIn('5353/udp', net['Ports'])
        self.assertEqual(info['NetworkSettings']['IPAddress'],
                         rsrc.FnGetAtt('network_ip'))
        self.assertTrue(rsrc.FnGetAtt('network_ip'))
        self.assertEqual(info['NetworkSettings']['Gateway'],
                         rsrc.FnGetAtt('network_gateway'))
        # exposed, not published: no host ports
        self.assertEqual('', rsrc.FnGetAtt('network_tcp_ports'))

    def test_suspend_resume_pause_the_container(self):
        stack = self.stack(template())
        rsrc = self.create(stack, 'c')
        scheduler.TaskRunner(rsrc.suspend)()
        self.assertEqual((rsrc.SUSPEND, rsrc.COMPLETE), rsrc.state)
        self.assertTrue(self.state(rsrc.resource_id)['Paused'])
        scheduler.TaskRunner(rsrc.resume)()
        self.assertEqual((rsrc.RESUME, rsrc.COMPLETE), rsrc.state)
        state = self.state(rsrc.resource_id)
        self.assertEqual((False, 'running'), (state['Paused'],
                                              state['Status']))

    def test_check_fails_when_container_stopped(self):
        stack = self.stack(template())
        rsrc = self.create(stack, 'c')
        scheduler.TaskRunner(rsrc.check)()
        self.assertEqual((rsrc.CHECK, rsrc.COMPLETE), rsrc.state)
        self.docker.kill(rsrc.resource_id)
        self.assertRaises(exception.ResourceFailure,
                          scheduler.TaskRunner(rsrc.check))
        self.assertEqual((rsrc.CHECK, rsrc.FAILED), rsrc.state)

    def test_old_style_template_runs_unchanged(self):
        stack = self.stack(template_format.parse(OLD_STYLE),
                           params={'image': base.IMAGE,
                                   'endpoint': 'unix:///var/run/docker.sock'})
        stack.validate()
        scheduler.TaskRunner(stack.create)()
        self.assertEqual((stack.CREATE, stack.COMPLETE), stack.state,
                         stack.status_reason)
        rsrc = stack['my_docker_container']
        self.assertTrue(self.state(rsrc.resource_id)['Running'])
        self.assertTrue(rsrc.FnGetAtt('network_ip'))
        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.COMPLETE), stack.state)
        self.assertIsNone(self.state(rsrc.resource_id))


class DockerContainerSecurityTest(base.DockerHeatTestCase):

    def assertRefused(self, props, option):
        stack = self.stack(template(**props))
        error = self.assertRaises(exception.StackValidationFailed,
                                  stack['c'].validate)
        self.assertIn('[magnumlite_containers] %s = True' % option,
                      str(error))
        # the whole stack is refused too, with the same reason
        self.assertRaises(exception.StackValidationFailed, stack.validate)

    def test_privileged_refused_by_default(self):
        self.assertRefused({'privileged': True}, 'allow_privileged')

    def test_host_mount_refused_by_default(self):
        self.assertRefused({'volumes': {'/etc': {'bind': '/host-etc'}}},
                           'allow_host_mounts')

    def test_devices_refused_by_default(self):
        self.assertRefused({'devices': [{'path_on_host': '/dev/null'}]},
                           'allow_devices')

    def test_cap_add_refused_by_default(self):
        self.assertRefused({'cap_add': ['SYS_ADMIN']}, 'allow_privileged')

    def test_volumes_from_refused_by_default(self):
        self.assertRefused({'volumes_from': ['someone-elses']},
                           'allow_host_mounts')

    def test_plain_volume_is_not_a_host_mount(self):
        stack = self.stack(template(volumes={'/data': {}}))
        self.assertIsNone(stack['c'].validate())

    def test_host_mount_and_device_accepted_when_enabled(self):
        self.set_option('allow_host_mounts', True)
        self.set_option('allow_devices', True)
        host_dir = self.useFixture(fixtures.TempDir()).path
        with open(os.path.join(host_dir, 'marker'), 'w') as f:
            f.write('from the host\n')
        stack = self.stack(template(
            volumes={host_dir: {'bind': '/hostdir', 'ro': True}},
            devices=[{'path_on_host': '/dev/null',
                      'path_in_container': '/dev/mynull'}],
            cmd=['sh', '-c', 'cat /hostdir/marker; test -c /dev/mynull && '
                 'echo device-ok']))
        stack.validate()
        rsrc = self.create(stack, 'c')
        self.assertEqual((rsrc.CREATE, rsrc.COMPLETE), rsrc.state)
        info = self.docker.inspect_container(rsrc.resource_id)
        self.assertEqual(['%s:/hostdir:ro' % host_dir],
                         info['HostConfig']['Binds'])
        self.assertEqual('from the host\ndevice-ok\n',
                         rsrc.FnGetAtt('logs'))

    def test_privileged_accepted_when_enabled(self):
        self.set_option('allow_privileged', True)
        stack = self.stack(template(privileged=True))
        stack.validate()
        rsrc = stack['c']
        try:
            scheduler.TaskRunner(rsrc.create)()
        except exception.ResourceFailure as exc:
            # this sandboxed host may not grant a privileged container its
            # capabilities; Docker, not the plugin, refuses the start then
            self.assertIn('OCI runtime', str(exc))
        info = self.docker.inspect_container(rsrc.resource_id)
        self.assertTrue(info['HostConfig']['Privileged'])


class PluginLoadingTest(base.DockerHeatTestCase):

    def test_heat_plugin_loader_finds_both_types(self):
        # what heat-engine does with plugin_dirs
        package = plugin_loader.create_subpackage(
            os.path.dirname(heat_plugin.__file__), 'heat.engine',
            'magnumlite_test_plugins')
        modules = list(plugin_loader.load_modules(package))
        mapping = plugin_manager.PluginMapping(['available', 'resource'])
        types = {}
        for module in modules:
            types.update(mapping.load_from_module(module))
        self.assertIn('DockerInc::Docker::Container', types)
        self.assertIn('OS::Magnumlite::Container', types)

    def test_no_types_without_docker(self):
        self.patchobject(plugin_common, 'DOCKER_INSTALLED', new=False)
        self.assertEqual({}, docker_container.available_resource_mapping())

    def test_options_registered_twice(self):
        plugin_conf.register_opts(cfg.CONF)
        plugin_conf.register_opts(cfg.CONF)
        self.assertEqual('unix:///var/run/docker.sock',
                         cfg.CONF.magnumlite_containers.docker_endpoint)
        self.assertFalse(cfg.CONF.magnumlite_containers.allow_privileged)
