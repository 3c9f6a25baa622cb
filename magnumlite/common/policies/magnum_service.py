"""Policies of /v1/mservices."""

from oslo_policy import policy

from magnumlite.common.policies import base

SERVICE = 'magnum-service:%s'

rules = [
    policy.DocumentedRuleDefault(
        name=SERVICE % 'get_all',
        check_str=base.ADMIN,
        description='Retrieve a list of magnum-services.',
        operations=[{'path': '/v1/mservices', 'method': 'GET'}]),
]


def list_rules():
    return rules
