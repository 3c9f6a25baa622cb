"""Sessions and service clients magnumlite calls other services with.

Three identities: the service user itself (the trustee, to look up who it
is); the trustee acting through a cluster's trust, which is what every Nova
and Neutron call of the conductor for a cluster uses (its token made from
the trustee's own, TrustAuth); and, in the API, the requesting user
(user_session), to check what a request names.
"""

import functools

from keystoneauth1 import discover
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1.identity import access
from keystoneauth1.identity import generic
from keystoneauth1.identity import v3
from keystoneauth1 import loading as ks_loading
from novaclient import client as nova_client
import openstack

from magnumlite.conf import CONF

# 2.37 is the first microversion that accepts nics='none' (a server with no
# network), which is what a cluster without fixed_network gets.
NOVA_API_VERSION = '2.37'

# A trust-scoped token must not carry another scope: loading the trustee's
# password plugin with the trust replaces whatever project it names.
NO_SCOPE = dict(project_id=None, project_name=None, project_domain_id=None,
                project_domain_name=None, domain_id=None, domain_name=None,
                system_scope=None)


# One for the process: its token is reused until it nears its expiry, so a
# cluster create does not wait for a new one to look up the trustee's id.
@functools.lru_cache(maxsize=1)
def trustee_session():
    """A session authenticated as the trustee, scoped as configured."""
    auth = ks_loading.load_auth_from_conf_options(CONF, 'trust')
    return session(auth)


# One for the process, renewed by keystoneauth as it nears its expiry:
# every trust-scoped token is made from it (TrustAuth).
@functools.lru_cache(maxsize=1)
def trustee_token_session():
    """A session authenticated as the trustee, without a scope."""
    auth = ks_loading.load_auth_from_conf_options(CONF, 'trust', **NO_SCOPE)
    return session(auth)


class _TrusteeToken(v3.TokenMethod):
    """keystone's token method, with the trustee's current token."""

    def __init__(self):
        super().__init__(token=None)

    def get_auth_data(self, session, auth, headers, request_kwargs):
        self.token = trustee_token_session().get_token()
        return super().get_auth_data(session, auth, headers, request_kwargs)


class TrustAuth(generic.Token):
    """The trustee acting through a trust, authenticated by token.

    A password authentication costs keystone a bcrypt check (a quarter of
    a second here, on the path to every cluster's first server and at
    every token renewal); exchanging the trustee's token for a
    trust-scoped one costs a few milliseconds.
    """

    def __init__(self, auth_url, trust_id):
        # The token is the trustee's current one, asked for at each use.
        super().__init__(auth_url, token=None, trust_id=trust_id)

    def create_plugin(self, session, version, url, raw_status=None):
        # Trusts are an identity v3 API.
        if discover.version_match((3,), version):
            return v3.Auth(url, [_TrusteeToken()], trust_id=self._trust_id,
                           reauthenticate=self.reauthenticate)
        return None

    def get_auth_ref(self, session):
        try:
            return super().get_auth_ref(session)
        except (ks_exc.Unauthorized, ks_exc.NotFound):
            # keystone revoked the trustee's token (its password changed,
            # say): once more with a new one. A trust that is gone is
            # refused again.
            trustee_token_session().invalidate()
            return super().get_auth_ref(session)


# Kept per trust: the session's token is reused until it nears its expiry
# (keystoneauth then gets a new one), so a cluster's sync passes do not
# each make a token that Nova and Neutron must then validate anew, which
# cost about a second of every pass on a small cloud. A new trust
# (credential rotation) is a new key; the bound keeps the process's
# memory flat.
@functools.lru_cache(maxsize=256)
def trust_session(trust_id):
    """A session of the trustee acting through trust_id (for one cluster)."""
    auth_url = trustee_token_session().auth.auth_url
    return session(TrustAuth(auth_url, trust_id))


def session(auth):
    """A keystoneauth session for auth, with the [trust] session options."""
    # timeout, cafile, insecure...: every call the conductor makes.
    return ks_loading.load_session_from_conf_options(CONF, 'trust', auth=auth)


def user_session(environ):
    """A session acting as the user of an API request (its token).

    keystonemiddleware's auth_token leaves the validated token as an auth
    plugin in the WSGI environment; other services then see exactly what
    the user would see. Only the user's token is sent: that plugin would
    add magnumlite's own as X-Service-Token, which a service refuses (401)
    unless magnumlite's user holds the service role.
    """
    return session(access.AccessInfoPlugin(
        environ['keystone.token_auth'].user))


def nova(auth_session):
    """A python-novaclient Client over auth_session."""
    return nova_client.Client(
        NOVA_API_VERSION, session=auth_session,
        region_name=CONF.nova.region_name,
        endpoint_type=CONF.nova.interface)


def openstack_sdk(auth_session):
    """An openstacksdk Connection over auth_session.

    Its image and network proxies are Glance and Neutron, found in the
    catalog by the [glance] and [neutron] options.
    """
    return openstack.connection.Connection(
        session=auth_session,
        image_region_name=CONF.glance.region_name,
        image_interface=CONF.glance.interface,
        network_region_name=CONF.neutron.region_name,
        network_interface=CONF.neutron.interface)
