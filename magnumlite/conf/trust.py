"""[trust] options: who magnumlite is when it acts for a user later on.

On create, the conductor makes a keystone trust from the user (trustor) to
the magnumlite service user (trustee); every later Nova call for that
cluster authenticates as the trustee, scoped to the trust, so a resize or a
delete works long after the user's token has expired.
"""

import copy

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

TRUSTEE_AUTH_SECTION = 'keystone_authtoken'

trust_group = cfg.OptGroup(
    'trust',
    title='Trust options',
    help="""
Credentials of the trustee: the magnumlite service user that clusters'
trusts delegate to. By default they are read from [keystone_authtoken], the
same service user that validates tokens in the API (auth_section).
""")


# A Nova or keystone call that never answers must not hang the sync pass.
DEFAULT_HTTP_TIMEOUT = 60


def _trust_opts():
    """keystoneauth's auth and session options, with our defaults.

    auth_section points at [keystone_authtoken]; timeout is set. Copies:
    the originals are shared with every other user of keystoneauth.
    """
    opts = copy.deepcopy(ks_loading.get_auth_common_conf_options())
    opts += copy.deepcopy(ks_loading.get_session_conf_options())
    defaults = {'auth_section': TRUSTEE_AUTH_SECTION,
                'timeout': DEFAULT_HTTP_TIMEOUT}
    for opt in opts:
        opt.default = defaults.get(opt.dest, opt.default)
    return opts


def register_opts(conf):
    conf.register_group(trust_group)
    conf.register_opts(_trust_opts(), group=trust_group)
    # The section the credentials come from needs the base auth options
    # (auth_type) registered too; keystonemiddleware registers the same
    # ones in the API process, which oslo.config accepts as identical.
    ks_loading.register_auth_conf_options(conf, TRUSTEE_AUTH_SECTION)


def list_opts():
    password = ks_loading.get_auth_plugin_conf_options('password')
    return {trust_group: _trust_opts() + password}
