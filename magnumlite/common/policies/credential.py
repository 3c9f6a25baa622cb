"""Policies of /v1/credentials (1.12)."""

from magnumlite.common.policies import base

rules = [
    # A member of the cluster's project, not an admin of another: the new
    # trust holds the requesting user's roles in the cluster's project.
    base.rule('credential:rotate', base.PROJECT_MEMBER,
              "Rotate the keystone trust a cluster is managed through."),
]
