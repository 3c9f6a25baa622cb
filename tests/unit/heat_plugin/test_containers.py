"""The container types without an engine: endpoint, TLS, engine errors,
attributes and the schema both types share.

The boundary faked here is docker_engine.Client (a docker.DockerClient):
what the options and the template make of its arguments, what the resources
make of the low-level client's (its ``api``) answers and errors. What the
engine does with them is in tests/functional/heat_plugin.
"""

from heat.tests import common  # noqa: F401 (first: sets up heat)

import os

from docker import errors as docker_errors
import fixtures
from heat.common import exception
from heat.engine import scheduler
from oslo_config import cfg
import requests

from heat_plugin import common as plugin_common
from heat_plugin import container
from heat_plugin import docker_container
from tests.unit.heat_plugin import base

TYPES = ('DockerInc::Docker::Container', 'OS::Magnumlite::Container')
TCP = 'tcp://10.0.0.5:2376'


def template(type_='DockerInc::Docker::Container', **props):
    props.setdefault('image', 'busybox')
    return {'heat_template_version': '2015-04-30',
            'resources': {'c': {'type': type_, 'properties': props}}}


def not_found():
    return docker_errors.NotFound('No such container: abc')


def api_error(status):
    response = requests.Response()
    response.status_code = status
    return docker_errors.APIError('engine says no', response=response)


class ContainerTestCase(base.PluginTestCase):

    def setUp(self):
        super().setUp()
        self.client_class = self.patchobject(
            plugin_common.docker_engine, 'Client')
        self.api = self.client_class.return_value.api
        self.stacks = []

    def set_option(self, **kwargs):
        for name, value in kwargs.items():
            cfg.CONF.set_override(name, value, group=plugin_common.GROUP)

    def tls_files(self):
        tmp = self.useFixture(fixtures.TempDir()).path
        files = {}
        for name in ('tls_cacert', 'tls_cert', 'tls_key'):
            files[name] = os.path.join(tmp, name + '.pem')
            open(files[name], 'w').close()
        return files

    def resource(self, type_='DockerInc::Docker::Container', **props):
        stack = self.stack(template(type_, **props))
        self.stacks.append(stack)   # a resource refers to it weakly
        return stack['c']


class EndpointTest(ContainerTestCase):

    def assertRefused(self, rsrc, *words):
        error = self.assertRaises(exception.StackValidationFailed,
                                  rsrc.validate)
        for word in words:
            self.assertIn(word, str(error))
        self.assertRaises(exception.StackValidationFailed,
                          rsrc.stack.validate)
        return error

    def test_default_unix_socket_validates(self):
        for type_ in TYPES:
            self.assertIsNone(self.resource(type_).validate())

    def test_unix_socket_client(self):
        self.set_option(api_timeout=17)
        rsrc = self.resource(docker_endpoint='unix:///run/other.sock')
        self.assertIs(self.api, rsrc.client())
        self.client_class.assert_called_once_with(
            base_url='unix:///run/other.sock', version='auto', timeout=17,
            tls=None)

    def test_template_tcp_endpoint_without_tls_is_refused(self):
        for type_ in TYPES:
            self.assertRefused(
                self.resource(type_, docker_endpoint=TCP),
                'docker_endpoint %s is a TCP endpoint; it needs TLS: set '
                'tls_cacert, tls_cert, tls_key in [magnumlite_containers] '
                'of heat.conf' % TCP)

    def test_configured_tcp_endpoint_without_tls_is_refused(self):
        self.set_option(docker_endpoint=TCP, tls_cacert='/ca.pem')
        for type_ in TYPES:
            self.assertRefused(self.resource(type_), TCP,
                               'set tls_cert, tls_key')

    def test_plain_http_is_refused(self):
        # even with the TLS files: http:// says "no TLS"
        self.set_option(**self.tls_files())
        self.assertRefused(
            self.resource(docker_endpoint='http://10.0.0.5:2375'),
            "docker_endpoint must be unix:// or tcp://, not "
            "'http://10.0.0.5:2375'")

    def test_tcp_with_tls_validates_and_connects_verified(self):
        files = self.tls_files()
        self.set_option(**files)
        for type_ in TYPES:
            self.assertIsNone(self.resource(
                type_, docker_endpoint=TCP).validate())
        self.resource(docker_endpoint=TCP).client()
        kwargs = self.client_class.call_args.kwargs
        self.assertEqual(('https://10.0.0.5:2376', 'auto', 60),
                         (kwargs['base_url'], kwargs['version'],
                          kwargs['timeout']))
        tls = kwargs['tls']
        self.assertTrue(tls.verify)
        self.assertEqual(files['tls_cacert'], tls.ca_cert)
        self.assertEqual((files['tls_cert'], files['tls_key']), tls.cert)

    def test_create_never_talks_plain_tcp(self):
        # e.g. an endpoint that came from another resource's attribute,
        # unknown at validation time
        stack = self.stack(template(docker_endpoint=TCP))
        stack.store()
        rsrc = stack['c']
        self.assertRaises(exception.ResourceFailure,
                          scheduler.TaskRunner(rsrc.create))
        self.assertEqual((rsrc.CREATE, rsrc.FAILED), rsrc.state)
        self.assertIn('needs TLS', rsrc.status_reason)
        self.client_class.assert_not_called()

    def test_privileged_still_refused_by_both_types(self):
        for type_ in TYPES:
            self.assertRefused(self.resource(type_, privileged=True),
                               '[magnumlite_containers] allow_privileged '
                               '= True')


class EngineErrorsTest(ContainerTestCase):

    def setUp(self):
        super().setUp()
        self.rsrc = self.resource()
        self.rsrc.resource_id_set('abc')

    def test_gone_container_has_no_info_and_no_logs(self):
        self.api.inspect_container.side_effect = not_found()
        self.api.logs.side_effect = not_found()
        self.assertIsNone(self.rsrc.inspect())
        self.assertEqual('', self.rsrc.logs())
        self.assertIsNone(self.rsrc.FnGetAtt('network_ip'))
        self.api.inspect_container.assert_called_with('abc')

    def test_other_errors_are_raised(self):
        self.api.inspect_container.side_effect = api_error(500)
        self.assertRaises(docker_errors.APIError, self.rsrc.inspect)

    def test_delete_of_a_gone_container_is_done(self):
        self.api.remove_container.side_effect = not_found()
        self.assertIsNone(self.rsrc.handle_delete())
        self.api.remove_container.assert_called_once_with('abc', force=True,
                                                          v=True)

    def test_delete_in_progress_is_waited_for(self):
        self.api.remove_container.side_effect = api_error(409)
        self.assertEqual('abc', self.rsrc.handle_delete())
        self.api.inspect_container.side_effect = not_found()
        self.assertTrue(self.rsrc.check_delete_complete('abc'))

    def test_delete_refused_otherwise(self):
        self.api.remove_container.side_effect = api_error(500)
        self.assertRaises(docker_errors.APIError, self.rsrc.handle_delete)


INFO = {
    'Name': '/web-1',
    'State': {'Status': 'running', 'ExitCode': 0},
    'NetworkSettings': {
        'IPAddress': '172.17.0.2', 'Gateway': '172.17.0.1',
        'Ports': {'80/tcp': [{'HostIp': '0.0.0.0', 'HostPort': '8080'}],
                  '53/udp': [{'HostIp': '', 'HostPort': '5353'}],
                  '443/tcp': None}},
}
LOGS = b'starting\nlistening on 80\n\n'


class AttributesTest(ContainerTestCase):

    def setUp(self):
        super().setUp()
        self.api.inspect_container.return_value = INFO
        self.api.logs.return_value = LOGS

    def attributes(self, type_, *names):
        rsrc = self.resource(type_)
        rsrc.resource_id_set('abc')
        return {name: rsrc.FnGetAtt(name) for name in names}

    def test_old_plugin_attributes(self):
        got = self.attributes(
            'DockerInc::Docker::Container', 'info', 'network_ip',
            'network_gateway', 'network_tcp_ports', 'network_udp_ports',
            'logs', 'logs_head', 'logs_tail')
        self.assertEqual({
            'info': INFO, 'network_ip': '172.17.0.2',
            'network_gateway': '172.17.0.1', 'network_tcp_ports': '8080',
            'network_udp_ports': '5353', 'logs': LOGS.decode(),
            'logs_head': 'starting', 'logs_tail': 'listening on 80'}, got)

    def test_modern_attributes(self):
        got = self.attributes(
            'OS::Magnumlite::Container', 'info', 'name', 'status',
            'exit_code', 'ip_address', 'logs_tail')
        self.assertEqual({
            'info': INFO, 'name': 'web-1', 'status': 'running',
            'exit_code': 0, 'ip_address': '172.17.0.2',
            'logs_tail': 'listening on 80'}, got)

    def test_no_container_no_attributes(self):
        rsrc = self.resource()
        self.assertIsNone(rsrc.FnGetAtt('logs'))
        self.assertIsNone(rsrc.FnGetAtt('info'))
        self.client_class.assert_not_called()


class SchemaTest(base.PluginTestCase):
    """The old plugin's names and defaults, which templates rely on."""

    OLD_PLUGIN_PROPERTIES = {
        # name: (type, default, required, update_allowed)
        'docker_endpoint': ('string', None, False, False),
        'hostname': ('string', '', False, False),
        'user': ('string', '', False, False),
        'memory': ('integer', 0, False, False),
        'port_specs': ('list', None, False, False),
        'privileged': ('boolean', False, False, False),
        'tty': ('boolean', False, False, False),
        'open_stdin': ('boolean', False, False, False),
        'stdin_once': ('boolean', False, False, False),
        'env': ('list', None, False, False),
        'cmd': ('list', [], False, False),
        'dns': ('list', None, False, False),
        'image': ('string', None, True, False),
        'volumes': ('map', {}, False, False),
        'volumes_from': ('list', [], False, False),
        'port_bindings': ('map', None, False, False),
        'links': ('map', None, False, False),
        'name': ('string', None, False, False),
        'restart_policy': ('map', {}, False, False),
        'cap_add': ('list', [], False, False),
        'cap_drop': ('list', [], False, False),
        'read_only': ('boolean', False, False, False),
        'cpu_shares': ('integer', 0, False, False),
        'devices': ('list', [], False, False),
        'cpu_set': ('string', None, False, False),
        'attach_stdin': ('boolean', False, False, False),
        'attach_stdout': ('boolean', True, False, False),
        'attach_stderr': ('boolean', True, False, False),
    }
    OLD_PLUGIN_ATTRIBUTES = {
        'info', 'network_info', 'network_ip', 'network_gateway',
        'network_tcp_ports', 'network_udp_ports', 'logs', 'logs_head',
        'logs_tail'}

    @staticmethod
    def attribute_names(cls):
        # Heat adds its own 'show' to every type's schema
        return set(cls.attributes_schema) - {'show'}

    @staticmethod
    def summary(schema):
        return {name: (s.type.lower(), s.default, s.required,
                       s.update_allowed) for name, s in schema.items()}

    def test_old_plugin_properties(self):
        cls = docker_container.DockerContainer
        self.assertEqual(self.OLD_PLUGIN_PROPERTIES,
                         self.summary(cls.properties_schema))
        self.assertEqual(set(cls.PROPERTIES), set(cls.properties_schema))

    def test_old_plugin_attributes(self):
        cls = docker_container.DockerContainer
        self.assertEqual(self.OLD_PLUGIN_ATTRIBUTES,
                         self.attribute_names(cls))
        self.assertEqual(set(cls.ATTRIBUTES), self.attribute_names(cls))

    def test_shared_properties_where_the_types_differ(self):
        modern = self.summary(container.Container.properties_schema)
        self.assertEqual(('string', None, False, True), modern['name'])
        self.assertEqual(('string', None, False, False), modern['hostname'])
        cls = container.Container
        self.assertEqual(set(cls.PROPERTIES), set(cls.properties_schema))
        self.assertEqual(set(cls.ATTRIBUTES), self.attribute_names(cls))
