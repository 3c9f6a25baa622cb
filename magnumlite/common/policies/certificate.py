"""Policies of /v1/certificates: a cluster's CA and what it signs.

The target is the cluster's project, as in Magnum.
"""

from magnumlite.common.policies import base

rules = [
    base.rule('certificate:create', base.ADMIN_OR_MEMBER,
              'Sign a new certificate by the CA.'),
    base.rule('certificate:get', base.ADMIN_OR_READER,
              'Retrieve CA information about the given cluster.'),
    base.rule('certificate:rotate_ca', base.ADMIN_OR_MEMBER,
              'Rotate the CA certificate on the given cluster.'),
]
