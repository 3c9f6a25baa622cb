"""Policy defaults in code (entry point oslo.policy.policies = magnumlite)."""

import itertools

from magnumlite.common.policies import base
from magnumlite.common.policies import certificate
from magnumlite.common.policies import cluster
from magnumlite.common.policies import cluster_template
from magnumlite.common.policies import credential
from magnumlite.common.policies import magnum_service
from magnumlite.common.policies import quota
from magnumlite.common.policies import stats


def list_rules():
    return list(itertools.chain(
        base.list_rules(),
        certificate.list_rules(),
        cluster.list_rules(),
        cluster_template.list_rules(),
        credential.list_rules(),
        magnum_service.list_rules(),
        quota.list_rules(),
        stats.list_rules(),
    ))
