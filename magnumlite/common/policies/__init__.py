"""Policy defaults in code (entry point oslo.policy.policies = magnumlite).

Each module holds the rules of one resource: name, default check string
and description (base.rule). The operations (path and method) a rule is
documented with are those of the API's route table that check it
(magnumlite.api.routes), so that they are the paths the router serves.
The table is read when list_rules() is called, not when this package is
imported: it imports the API's handlers, which import this package
through the request context.
"""

from magnumlite.common.policies import base
from magnumlite.common.policies import certificate
from magnumlite.common.policies import cluster
from magnumlite.common.policies import cluster_template
from magnumlite.common.policies import credential
from magnumlite.common.policies import magnum_service
from magnumlite.common.policies import quota
from magnumlite.common.policies import stats

_RESOURCES = (certificate, cluster, cluster_template, credential,
              magnum_service, quota, stats)


def list_rules():
    from magnumlite.api import routes  # see the module docstring

    operations = routes.policy_operations()
    return base.list_rules() + [
        base.documented(rule, operations.get(rule.name))
        for module in _RESOURCES for rule in module.rules]
