"""Policies of /v1/stats."""

from oslo_policy import policy

from magnumlite.common.policies import base

rules = [
    policy.DocumentedRuleDefault(
        name='stats:get_all',
        check_str=base.ADMIN_OR_READER,
        description="Retrieve the statistics of a project's clusters "
                    "(of all projects, for admins).",
        operations=[{'path': '/v1/stats', 'method': 'GET'}]),
]


def list_rules():
    return rules
