"""Keystone trusts: how the conductor acts for a user after the request.

The user's token only lives for the request that created the cluster; a
trust from that user (trustor) to the magnumlite service user (trustee)
lets the conductor sync, resize and delete the cluster for as long as it
exists.
"""

from keystoneauth1 import exceptions as ks_exc

from magnumlite.common import clients

_TRUSTS = '/OS-TRUST/trusts'
_IDENTITY = {'service_type': 'identity', 'interface': 'public',
             'version': (3, 0)}


def trust_request(context, trustee_user_id, project_id):
    """The body of the POST that creates a cluster's trust.

    impersonation: Nova sees the user, not the service user, so servers
    belong to the user as if they had created them. The roles are all the
    user's roles in the project, since the conductor does what the user
    asked with them.
    """
    return {'trust': {
        'trustor_user_id': context.user_id,
        'trustee_user_id': trustee_user_id,
        'project_id': project_id,
        'impersonation': True,
        'roles': [{'name': role} for role in context.roles],
    }}


def create_trust(context, project_id):
    """Create a trust for a cluster of project_id: (trust_id, trustee).

    context must carry the user's token (the RPC context of the request).
    The token goes to keystone as it is, project-scoped by the request the
    API validated a moment ago: rescoping it first would cost a token
    issue on every cluster create, on the path to its first server.
    """
    trustee = clients.trustee_session()
    trustee_user_id = trustee.get_user_id()
    resp = trustee.post(
        trustee.get_endpoint(**_IDENTITY).rstrip('/') + _TRUSTS,
        authenticated=False, headers={'X-Auth-Token': context.auth_token},
        json=trust_request(context, trustee_user_id, project_id))
    return resp.json()['trust']['id'], trustee_user_id


def delete_trust(trust_id):
    """Delete a cluster's trust; a trust already gone is not an error.

    With impersonation the trust-scoped token is the trustor's own, and a
    trustor may delete its trusts.
    """
    try:
        clients.trust_session(trust_id).delete(
            _TRUSTS + '/' + trust_id, endpoint_filter=_IDENTITY)
    except (ks_exc.NotFound, ks_exc.Unauthorized):
        # Unauthorized: the trust no longer authenticates, because it was
        # deleted (or its trustor was); either way nothing is left to do.
        pass
