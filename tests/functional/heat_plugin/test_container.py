"""OS::Magnumlite::Container through Heat's scheduler, on real Docker."""

from heat.tests import common  # noqa: F401 (first: sets up heat)

from heat.common import exception
from heat.engine import scheduler
from heat.tests import utils

from tests.functional.heat_plugin import base

MiB = 1024 * 1024


def template(**props):
    props.setdefault('image', base.IMAGE)
    return {'heat_template_version': '2018-08-31',
            'resources': {'c': {'type': 'OS::Magnumlite::Container',
                                'properties': props}}}


class ContainerTest(base.DockerHeatTestCase):

    def create_stack(self, tmpl):
        stack = self.stack(tmpl)
        scheduler.TaskRunner(stack.create)()
        self.assertEqual((stack.CREATE, stack.COMPLETE), stack.state,
                         stack.status_reason)
        return stack

    def update_stack(self, stack, tmpl):
        utils.update_stack(stack, tmpl)
        self.assertEqual((stack.UPDATE, stack.COMPLETE), stack.state,
                         stack.status_reason)
        return stack['c']

    def test_create_with_modern_schema(self):
        stack = self.create_stack(template(
            command='sh -c "echo $GREETING; exec sleep 600"',
            environment={'GREETING': 'hello there'},
            memory=64, cpu_shares=512, restart_policy='on-failure:2',
            ports=[{'port': 80}, {'port': 53, 'protocol': 'udp'}],
            volumes=[{'mount_path': '/data'}],
            workdir='/tmp', labels={'app': 'web'}))
        rsrc = stack['c']
        info = self.docker.inspect_container(rsrc.resource_id)
        self.assertEqual(['sh', '-c', 'echo $GREETING; exec sleep 600'],
                         info['Config']['Cmd'])
        self.assertIn('GREETING=hello there', info['Config']['Env'])
        self.assertEqual(64 * MiB, info['HostConfig']['Memory'])
        self.assertEqual(512, info['HostConfig']['CpuShares'])
        self.assertEqual({'Name': 'on-failure', 'MaximumRetryCount': 2},
                         info['HostConfig']['RestartPolicy'])
        self.assertEqual({'80/tcp', '53/udp'},
                         set(info['Config']['ExposedPorts']))
        self.assertIn('/data', info['Config']['Volumes'])
        self.assertEqual('/tmp', info['Config']['WorkingDir'])
        self.assertEqual('web', info['Config']['Labels']['app'])
        self.assertEqual('hello there', rsrc.FnGetAtt('logs_tail'))
        self.assertEqual('running', rsrc.FnGetAtt('status'))
        self.assertEqual(info['NetworkSettings']['IPAddress'],
                         rsrc.FnGetAtt('ip_address'))
        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.COMPLETE), stack.state)
        self.assertIsNone(self.state(info['Id']))

    def test_command_as_list_exit_code(self):
        stack = self.create_stack(template(command=['sh', '-c', 'exit 0']))
        self.assertEqual(0, stack['c'].FnGetAtt('exit_code'))
        self.assertEqual('exited', stack['c'].FnGetAtt('status'))

    def test_nonzero_exit_fails_create(self):
        stack = self.stack(template(command='sh -c "echo oops; exit 7"'))
        scheduler.TaskRunner(stack.create)()
        self.assertEqual((stack.CREATE, stack.FAILED), stack.state)
        self.assertIn('exited with code 7', stack.status_reason)
        self.assertIn('oops', stack.status_reason)

    def test_crash_loop_under_restart_policy_fails_create(self):
        stack = self.stack(template(command='sh -c "echo crashing; exit 2"',
                                    restart_policy='always'))
        scheduler.TaskRunner(stack.create)()
        self.assertEqual((stack.CREATE, stack.FAILED), stack.state)
        self.assertIn('exited with code 2', stack.status_reason)
        self.assertIn('crashing', stack.status_reason)

    def test_update_memory_and_name_in_place(self):
        name = 'heat-mem-%s' % self.run_id
        stack = self.create_stack(template(memory=64, name=name))
        before = stack['c'].resource_id
        rsrc = self.update_stack(stack, template(memory=128,
                                                 name=name + '-b'))
        self.assertEqual(before, rsrc.resource_id)     # same container
        info = self.docker.inspect_container(before)
        self.assertEqual(128 * MiB, info['HostConfig']['Memory'])
        self.assertEqual('/' + name + '-b', info['Name'])
        self.assertTrue(info['State']['Running'])

    def test_update_image_replaces(self):
        tag = 'magnumlite/busybox:heat-%s' % self.run_id
        self.docker.tag(base.IMAGE, 'magnumlite/busybox', 'heat-%s'
                        % self.run_id)
        self.addCleanup(self.docker.remove_image, tag)
        stack = self.create_stack(template(memory=64))
        before = stack['c'].resource_id
        rsrc = self.update_stack(stack, template(memory=64, image=tag))
        self.assertNotEqual(before, rsrc.resource_id)
        self.assertIsNone(self.state(before))          # old one removed
        info = self.docker.inspect_container(rsrc.resource_id)
        self.assertEqual(tag, info['Config']['Image'])

    def test_suspend_resume(self):
        stack = self.create_stack(template())
        cid = stack['c'].resource_id
        scheduler.TaskRunner(stack.suspend)()
        self.assertEqual((stack.SUSPEND, stack.COMPLETE), stack.state)
        self.assertEqual('paused', self.state(cid)['Status'])
        scheduler.TaskRunner(stack.resume)()
        self.assertEqual((stack.RESUME, stack.COMPLETE), stack.state)
        self.assertEqual('running', self.state(cid)['Status'])

    def test_check(self):
        stack = self.create_stack(template())
        rsrc = stack['c']
        scheduler.TaskRunner(rsrc.check)()
        self.assertEqual((rsrc.CHECK, rsrc.COMPLETE), rsrc.state)
        self.docker.pause(rsrc.resource_id)
        self.assertRaises(exception.ResourceFailure,
                          scheduler.TaskRunner(rsrc.check))
        self.assertIn('paused', rsrc.status_reason)

    def test_validation(self):
        for props, option in (
                ({'privileged': True}, 'allow_privileged'),
                ({'volumes': [{'mount_path': '/x', 'host_path': '/etc'}]},
                 'allow_host_mounts'),
                ({'devices': ['/dev/null']}, 'allow_devices')):
            stack = self.stack(template(**props))
            error = self.assertRaises(exception.StackValidationFailed,
                                      stack.validate)
            self.assertIn('[magnumlite_containers] %s = True' % option,
                          str(error))
            self.set_option(option, True)
            self.assertIsNone(stack.validate())
        stack = self.stack(template(restart_policy='sometimes'))
        self.assertRaises(exception.StackValidationFailed, stack.validate)
        stack = self.stack(template(command={'not': 'a command'}))
        self.assertRaises(exception.StackValidationFailed, stack.validate)
