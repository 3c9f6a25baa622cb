"""/v1/credentials (1.12): rotate the keystone trust of a cluster.

A cluster is managed through a trust from a user of its project to the
magnumlite service user; rotating makes a new trust from the requesting
user and deletes the old one.
"""

import oslo_messaging as messaging

from magnumlite.api import response
from magnumlite.common import exception
from magnumlite.db import api as db_api


def rotate_credential(req):
    context = req.context
    context.can('credential:rotate')
    # A trust holds the trustor's roles in the cluster's project: only the
    # clusters of the token's own project are rotated, an admin's too.
    row = db_api.cluster_get(context, req.urlvars['cluster_ident'],
                             project_id=context.project_id)
    context.can('credential:rotate', {'project_id': row.project_id})
    try:
        failure = req.conductor.credential_rotate(context, row.uuid)
    except messaging.MessagingTimeout:
        raise exception.ConductorUnavailable(
            action='rotate the credential', reason='none answered in time')
    except messaging.RemoteError as exc:
        if exc.exc_type != 'UnsupportedVersion':
            raise
        # During an upgrade: a conductor of an earlier release took it.
        raise exception.ConductorUnavailable(
            action='rotate the credential',
            reason='the conductor that took the request predates it')
    if failure:
        raise exception.CredentialRotationFailed(cluster=row.uuid,
                                                 reason=failure)
    return response.json_response({'uuid': row.uuid}, status=202)
