import http.server
import json
import threading
from unittest import mock

import fixtures
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1.identity.generic import password
from keystoneauth1 import loading as ks_loading

from magnumlite.common import clients
from magnumlite.common import context
from magnumlite.common import keystone
from tests.unit import base


class FakeKeystone(fixtures.Fixture):
    """An identity v3 endpoint answering what keystoneauth sends for tokens.

    Passwords give unscoped trustee tokens; the token method with a trust
    scope gives a trust-scoped token, or refuses as keystone does: 401 for
    a token it does not know, 404 for a trust that is gone.
    """

    EXPIRES = '2099-01-01T00:00:00.000000Z'

    def _setUp(self):
        self.trusts = {'trust-1', 'trust-2'}
        self.trustee_tokens = set()
        self.password_checks = 0
        self.token_exchanges = 0
        self.server = http.server.ThreadingHTTPServer(
            ('127.0.0.1', 0), self._handler())
        self.url = 'http://127.0.0.1:%d/v3' % self.server.server_port
        threading.Thread(target=self.server.serve_forever,
                         daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)

    def revoke_trustee_tokens(self):
        self.trustee_tokens.clear()

    def _token(self, body):
        identity = body['auth']['identity']
        if identity['methods'] == ['password']:
            self.password_checks += 1
            token = 'trustee-token-%d' % self.password_checks
            self.trustee_tokens.add(token)
            return 201, token, {'methods': ['password'],
                                'user': {'id': 'trustee-1', 'name': 'ml',
                                         'domain': {'id': 'default'}}}
        self.token_exchanges += 1
        trust_id = body['auth']['scope']['OS-TRUST:trust']['id']
        if identity['token']['id'] not in self.trustee_tokens:
            return 401, None, None
        if trust_id not in self.trusts:
            return 404, None, None
        return 201, 'trust-token-%d' % self.token_exchanges, {
            'methods': ['token'],
            'user': {'id': 'user-1', 'name': 'u',
                     'domain': {'id': 'default'}},
            'project': {'id': 'proj-1', 'name': 'p',
                        'domain': {'id': 'default'}},
            'OS-TRUST:trust': {'id': trust_id, 'impersonation': True,
                               'trustee_user': {'id': 'trustee-1'},
                               'trustor_user': {'id': 'user-1'}},
            'catalog': []}

    def _handler(self):
        keystone = self

        class Handler(http.server.BaseHTTPRequestHandler):

            def _reply(self, status, body, token=None):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(data)))
                if token:
                    self.send_header('X-Subject-Token', token)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._reply(200, {'version': {
                    'id': 'v3.14', 'status': 'stable',
                    'links': [{'rel': 'self', 'href': keystone.url + '/'}]}})

            def do_POST(self):
                body = json.loads(self.rfile.read(
                    int(self.headers['Content-Length'])))
                status, token, data = keystone._token(body)
                if status != 201:
                    self._reply(status, {'error': {'code': status,
                                                   'message': 'refused'}})
                    return
                data.update(expires_at=keystone.EXPIRES,
                            issued_at='2026-01-01T00:00:00.000000Z')
                self._reply(201, {'token': data}, token)

            def log_message(self, *args):
                pass

        return Handler


class TestTrustTokens(base.TestCase):
    """Trust-scoped tokens come from the trustee's token, not its password.

    keystone checks a password with bcrypt: a quarter of a second for
    every trust token when each was a password authentication.
    """

    def setUp(self):
        super().setUp()
        self.keystone = self.useFixture(FakeKeystone())
        self.conf_fixture.register_opts(
            ks_loading.get_auth_plugin_conf_options('password'),
            group='keystone_authtoken')
        self.conf_fixture.config(
            group='keystone_authtoken', auth_type='password',
            auth_url=self.keystone.url, username='ml', password='secret',
            user_domain_name='Default', project_name='service',
            project_domain_name='Default')

    def test_one_password_check_for_every_trust(self):
        tokens = {clients.trust_session(trust).get_token()
                  for trust in ('trust-1', 'trust-2')}
        self.assertEqual(2, len(tokens))
        self.assertEqual((1, 2), (self.keystone.password_checks,
                                  self.keystone.token_exchanges))

    def test_a_revoked_trustee_token_is_replaced_once(self):
        clients.trust_session('trust-1').get_token()
        self.keystone.revoke_trustee_tokens()
        self.assertTrue(clients.trust_session('trust-2').get_token())
        self.assertEqual((2, 3), (self.keystone.password_checks,
                                  self.keystone.token_exchanges))

    def test_a_gone_trust_is_refused_after_one_more_try(self):
        self.keystone.trusts.discard('trust-1')
        self.assertRaises(ks_exc.NotFound,
                          clients.trust_session('trust-1').get_token)
        self.assertEqual((2, 2), (self.keystone.password_checks,
                                  self.keystone.token_exchanges))


class TestTrust(base.TestCase):

    def test_trust_delegates_the_users_roles_with_impersonation(self):
        user = context.RequestContext(user_id='user-1', project_id='proj-1',
                                      roles=['member', 'reader'])
        self.assertEqual(
            {'trust': {'trustor_user_id': 'user-1',
                       'trustee_user_id': 'trustee-1',
                       'project_id': 'proj-1',
                       'impersonation': True,
                       'roles': [{'name': 'member'}, {'name': 'reader'}]}},
            keystone.trust_request(user, 'trustee-1', 'proj-1'))

    def test_trust_is_made_with_the_users_token_as_it_came(self):
        # No token is issued for the user on the way: the request's own,
        # project-scoped token authenticates the POST.
        trustee = mock.Mock()
        trustee.get_user_id.return_value = 'trustee-1'
        trustee.get_endpoint.return_value = 'http://ks/identity/v3/'
        trustee.post.return_value.json.return_value = {
            'trust': {'id': 'trust-9'}}
        self.useFixture(fixtures.MockPatch(
            'magnumlite.common.clients.trustee_session',
            return_value=trustee))
        user = context.RequestContext(user_id='user-1', project_id='proj-1',
                                      roles=['member'],
                                      auth_token='user-token')
        self.assertEqual(('trust-9', 'trustee-1'),
                         keystone.create_trust(user, 'proj-1'))
        trustee.post.assert_called_once_with(
            'http://ks/identity/v3/OS-TRUST/trusts', authenticated=False,
            headers={'X-Auth-Token': 'user-token'},
            json=keystone.trust_request(user, 'trustee-1', 'proj-1'))

    def _trustee_conf(self):
        # As keystonemiddleware and keystoneauth register them at run time.
        self.conf_fixture.register_opts(
            ks_loading.get_auth_plugin_conf_options('password'),
            group='keystone_authtoken')
        self.conf_fixture.config(
            group='keystone_authtoken', auth_type='password',
            auth_url='http://ks:5000',
            username='magnumlite', password='secret',
            user_domain_name='Default', project_name='service',
            project_domain_name='Default')

    def test_trustee_credentials_come_from_keystone_authtoken(self):
        self._trustee_conf()
        auth = clients.trustee_session().auth
        self.assertIsInstance(auth, password.Password)
        self.assertEqual(('http://ks:5000', 'magnumlite', 'service', None),
                         (auth.auth_url, auth._username,
                          auth._project_name, auth._trust_id))

    def test_trustee_session_is_made_once(self):
        # Its token is reused: a create does not wait for a new one.
        self._trustee_conf()
        self.assertIs(clients.trustee_session(), clients.trustee_session())

    def test_trust_session_is_scoped_to_the_trust_only(self):
        self._trustee_conf()
        auth = clients.trust_session('trust-1').auth
        self.assertIsInstance(auth, clients.TrustAuth)
        self.assertEqual(('http://ks:5000', 'trust-1', None, None),
                         (auth.auth_url, auth._trust_id,
                          auth._project_name, auth._project_domain_name))
        trustee = clients.trustee_token_session().auth
        self.assertEqual(('magnumlite', None, None),
                         (trustee._username, trustee._project_name,
                          trustee._trust_id))

    def test_calls_time_out(self):
        self._trustee_conf()
        self.assertEqual(60, clients.trust_session('trust-1').timeout)
