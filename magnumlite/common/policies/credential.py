"""Policies of /v1/credentials (1.12)."""

from oslo_policy import policy

from magnumlite.common.policies import base

rules = [
    policy.DocumentedRuleDefault(
        name='credential:rotate',
        check_str=base.ADMIN_OR_MEMBER,
        description="Rotate the keystone trust a cluster is managed "
                    "through.",
        operations=[{'path': '/v1/credentials/{cluster_ident}',
                     'method': 'PATCH'}]),
]


def list_rules():
    return rules
