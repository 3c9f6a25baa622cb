"""Policies of /v1/stats."""

from magnumlite.common.policies import base

rules = [
    base.rule('stats:get_all', base.ADMIN_OR_READER,
              "Retrieve the statistics of a project's clusters (of all "
              "projects, for admins)."),
]
