#!/usr/bin/env python3
"""Time a trust-scoped token: by the trustee's password, and as now.

Run in the all-in-one, after `source .allinone/openrc admin`:

    .allinone/venv/bin/python tools/bench_trust_tokens.py [--trusts 5]

The conductor needs a token scoped to a cluster's trust before the first
Nova call of every cluster create, and again at every renewal. It makes
--trusts trusts from the admin user to magnumlite's trustee (as a cluster
create does), then for each prints how long a new session took to get its
token by a password authentication of the trustee with the trust (what the
conductor did before: keystone checks the password with bcrypt) and by
magnumlite's own trust session (the trustee's token exchanged for a
trust-scoped one). Both include keystoneauth's version discovery of a new
session. The trusts are deleted at the end. It asserts nothing.
"""

import argparse
import os
import time

from keystoneauth1 import loading as ks_loading

import benchlib
from magnumlite.common import clients
from magnumlite.conf import CONF

MAGNUMLITE_CONF = os.path.join(benchlib.ALLINONE_HOME, 'etc', 'magnumlite',
                               'magnumlite.conf')
# The bound keeps an absurd --trusts from filling keystone with trusts.
MAX_TRUSTS = 100


def password_token(trust_id):
    auth = ks_loading.load_auth_from_conf_options(
        CONF, 'trust', trust_id=trust_id, **clients.NO_SCOPE)
    return clients.session(auth).get_token()


def timed(call, *args):
    start = time.monotonic()
    call(*args)
    return time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--trusts', type=int, default=5)
    args = parser.parse_args()
    if not 1 <= args.trusts <= MAX_TRUSTS:
        parser.error('--trusts must be from 1 to %d' % MAX_TRUSTS)
    CONF(['--config-file', MAGNUMLITE_CONF], project='magnumlite')
    trustee_id = clients.trustee_session().get_user_id()
    admin = benchlib.connect().session
    identity = admin.get_endpoint(service_type='identity',
                                  interface='public').rstrip('/')
    trusts = []
    try:
        for _ in range(args.trusts + 1):
            trusts.append(admin.post(identity + '/OS-TRUST/trusts', json={
                'trust': {'trustor_user_id': admin.get_user_id(),
                          'trustee_user_id': trustee_id,
                          'project_id': admin.get_project_id(),
                          'impersonation': True,
                          'roles': [{'name': 'member'}]}}
            ).json()['trust']['id'])
        # The trustee's own token, made once per conductor process.
        clients.trust_session(trusts[0]).get_token()
        print('%-6s %12s %15s' % ('trust', 'password (s)', 'exchange (s)'))
        for i, trust_id in enumerate(trusts[1:], 1):
            print('%-6d %12.3f %15.3f' % (
                i, timed(password_token, trust_id),
                timed(clients.trust_session(trust_id).get_token)))
    finally:
        for trust_id in trusts:
            admin.delete(identity + '/OS-TRUST/trusts/' + trust_id)


if __name__ == '__main__':
    main()
