"""magnumlite.common.docker_engine, faked at its Client class.

What a configuration becomes in the arguments of the docker.DockerClient;
the engine's side of it is in the functional tests.
"""

import os
from unittest import mock

import docker
from docker import errors as docker_errors
import fixtures
import testtools

from magnumlite.common import docker_engine


class TestConnect(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.client_class = self.useFixture(fixtures.MockPatch(
            'magnumlite.common.docker_engine.Client')).mock
        tmp = self.useFixture(fixtures.TempDir()).path
        self.tls = {}
        for name in docker_engine.TLS_OPTIONS:
            self.tls[name] = os.path.join(tmp, name + '.pem')
            with open(self.tls[name], 'w') as f:
                f.write('not read by TLSConfig\n')

    def kwargs(self):
        self.client_class.assert_called_once()
        return self.client_class.call_args.kwargs

    def test_unix_socket_without_tls(self):
        client = docker_engine.connect('unix:///var/run/docker.sock', 30)
        self.assertIs(self.client_class.return_value, client)
        self.assertEqual({'base_url': 'unix:///var/run/docker.sock',
                          'version': 'auto', 'timeout': 30, 'tls': None},
                         self.kwargs())

    def test_unix_socket_ignores_tls_files(self):
        docker_engine.connect('unix:///run/d.sock', 5, **self.tls)
        self.assertIsNone(self.kwargs()['tls'])

    def test_tcp_is_verified_tls(self):
        docker_engine.connect('tcp://10.0.0.5:2376', 60, **self.tls)
        kwargs = self.kwargs()
        self.assertEqual('https://10.0.0.5:2376', kwargs['base_url'])
        self.assertEqual(('auto', 60), (kwargs['version'],
                                        kwargs['timeout']))
        tls = kwargs['tls']
        self.assertTrue(tls.verify)
        self.assertEqual(self.tls['tls_cacert'], tls.ca_cert)
        self.assertEqual((self.tls['tls_cert'], self.tls['tls_key']),
                         tls.cert)

    def test_https_is_tcp(self):
        docker_engine.connect('https://engine.example:2376', 60, **self.tls)
        self.assertEqual('https://engine.example:2376',
                         self.kwargs()['base_url'])
        self.assertIsNotNone(self.kwargs()['tls'])

    def test_tcp_without_tls_is_refused_before_connecting(self):
        e = self.assertRaises(docker_engine.EndpointError,
                              docker_engine.connect, 'tcp://10.0.0.5:2375',
                              60, tls_cert=self.tls['tls_cert'])
        self.assertEqual(('tls_cacert', 'tls_key'), e.missing)
        self.assertEqual('tcp://10.0.0.5:2375 is a TCP endpoint; it needs '
                         'TLS: set tls_cacert, tls_key', str(e))
        self.client_class.assert_not_called()

    def test_plain_and_unknown_schemes_are_refused(self):
        for url in ('http://10.0.0.5:2375', '10.0.0.5:2375', 'ssh://h',
                    'http+unix:///var/run/docker.sock', '', None):
            e = self.assertRaises(docker_engine.EndpointError,
                                  docker_engine.connect, url, 60, **self.tls)
            self.assertEqual((), e.missing)
            self.assertIn('must be unix:// or tcp://', str(e))
        self.client_class.assert_not_called()

    def test_endpoint_error_is_a_value_error(self):
        self.assertRaises(ValueError, docker_engine.check_endpoint,
                          'tcp://h:2376')

    def test_tls_files_of_an_option_group(self):
        group = mock.Mock(tls_cacert='/ca', tls_cert='/c', tls_key='/k')
        self.assertEqual({'tls_cacert': '/ca', 'tls_cert': '/c',
                          'tls_key': '/k'}, docker_engine.tls_files(group))


class TestClient(testtools.TestCase):

    def test_the_environment_is_not_trusted(self):
        # A CA bundle or proxy in the environment must not apply to an
        # engine: requests would let REQUESTS_CA_BUNDLE replace tls_cacert.
        self.useFixture(fixtures.EnvironmentVariable(
            'REQUESTS_CA_BUNDLE', '/etc/ssl/certs/ca-certificates.crt'))
        self.useFixture(fixtures.MockPatch(
            'docker.APIClient._retrieve_server_version',
            return_value='1.41'))
        client = docker_engine.Client(base_url='unix:///run/none.sock',
                                      version='auto', timeout=5)
        self.assertIsInstance(client, docker.DockerClient)
        self.assertEqual('1.41', client.api.api_version)
        self.assertFalse(client.api.trust_env)


class TestHelpers(testtools.TestCase):

    def test_or_none_on_not_found(self):
        def gone(name, **kwargs):
            raise docker_errors.NotFound('no such container: %s' % name)
        self.assertIsNone(docker_engine.or_none(gone, 'x', all=True))

    def test_or_none_returns_the_answer(self):
        call = mock.Mock(return_value={'Id': 'abc'})
        self.assertEqual({'Id': 'abc'},
                         docker_engine.or_none(call, 'abc', size=True))
        call.assert_called_once_with('abc', size=True)

    def test_or_none_raises_other_errors(self):
        call = mock.Mock(side_effect=docker_errors.APIError('conflict'))
        self.assertRaises(docker_errors.APIError, docker_engine.or_none,
                          call)

    def test_not_found_is_the_sdks(self):
        self.assertIs(docker_errors.NotFound, docker_engine.NotFound)
        self.assertTrue(issubclass(docker_engine.NotFound,
                                   docker_engine.APIError))

    def test_label_filter_keeps_the_order(self):
        self.assertEqual({'label': ['b=2', 'a=1']},
                         docker_engine.label_filter({'b': '2', 'a': 1}))

    def test_containers_labelled_lists_all(self):
        client = mock.Mock()
        found = docker_engine.containers_labelled(client, {'k': 'v'})
        self.assertIs(client.containers.list.return_value, found)
        client.containers.list.assert_called_once_with(
            all=True, filters={'label': ['k=v']})
