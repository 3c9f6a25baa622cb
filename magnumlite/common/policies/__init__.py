"""Policy defaults in code (entry point oslo.policy.policies = magnumlite)."""

import itertools

from magnumlite.common.policies import base
from magnumlite.common.policies import magnum_service


def list_rules():
    return list(itertools.chain(
        base.list_rules(),
        magnum_service.list_rules(),
    ))
