"""Policies of /v1/certificates: a cluster's CA and what it signs.

The target is the cluster's project.
"""

from oslo_policy import policy

from magnumlite.common.policies import base

_CERTIFICATE = '/v1/certificates/{cluster_ident}'

rules = [
    policy.DocumentedRuleDefault(
        name='certificate:create', check_str=base.ADMIN_OR_MEMBER,
        description='Sign a new certificate by the CA.',
        operations=[{'path': '/v1/certificates', 'method': 'POST'}]),
    policy.DocumentedRuleDefault(
        name='certificate:get', check_str=base.ADMIN_OR_READER,
        description='Retrieve CA information about the given cluster.',
        operations=[{'path': _CERTIFICATE, 'method': 'GET'}]),
    policy.DocumentedRuleDefault(
        name='certificate:rotate_ca', check_str=base.ADMIN_OR_MEMBER,
        description='Rotate the CA certificate on the given cluster.',
        operations=[{'path': _CERTIFICATE, 'method': 'PATCH'}]),
]


def list_rules():
    return rules
