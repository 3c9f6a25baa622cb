"""Policies of /v1/mservices."""

from magnumlite.common.policies import base

rules = [
    base.rule('magnum-service:get_all', base.ADMIN,
              'Retrieve a list of magnum-services.'),
]
