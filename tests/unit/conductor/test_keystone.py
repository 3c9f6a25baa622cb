from unittest import mock

import fixtures
from keystoneauth1.identity.generic import password
from keystoneauth1 import loading as ks_loading

from magnumlite.common import clients
from magnumlite.common import context
from magnumlite.common import keystone
from tests.unit import base


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
        self.assertEqual(('magnumlite', 'trust-1', None, None),
                         (auth._username, auth._trust_id,
                          auth._project_name, auth._project_domain_name))

    def test_calls_time_out(self):
        self._trustee_conf()
        self.assertEqual(60, clients.trust_session('trust-1').timeout)
