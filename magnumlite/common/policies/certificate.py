"""Policies of /v1/certificates: a cluster's CA and what it signs.

The target is the cluster's project, as in Magnum.
"""

from magnumlite.common.policies import base

_CERTIFICATE = '/v1/certificates/{cluster_ident}'

rules = [
    base.rule('certificate:create', base.ADMIN_OR_MEMBER,
              'Sign a new certificate by the CA.', '/v1/certificates',
              'POST'),
    base.rule('certificate:get', base.ADMIN_OR_READER,
              'Retrieve CA information about the given cluster.',
              _CERTIFICATE, 'GET'),
    base.rule('certificate:rotate_ca', base.ADMIN_OR_MEMBER,
              'Rotate the CA certificate on the given cluster.',
              _CERTIFICATE, 'PATCH'),
]


def list_rules():
    return rules
