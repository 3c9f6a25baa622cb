"""Policies of /v1/quotas: admins list and set them, projects read their own.
"""

from magnumlite.common.policies import base

rules = [
    base.rule('quota:create', base.ADMIN, 'Create a quota.'),
    base.rule('quota:delete', base.ADMIN, 'Delete a quota.'),
    base.rule('quota:get', base.ADMIN_OR_READER,
              "Retrieve a project's quota."),
    base.rule('quota:get_all', base.ADMIN, 'Retrieve a list of quotas.'),
    base.rule('quota:update', base.ADMIN, 'Update a quota.'),
]
