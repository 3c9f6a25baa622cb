"""Policies of /v1/quotas: admins list and set them, projects read their own.
"""

from magnumlite.common.policies import base

QUOTA = 'quota:%s'
_QUOTAS = '/v1/quotas'
_QUOTA = '/v1/quotas/{project_id}/{resource}'


def _rule(name, check_str, description, path, method):
    return base.rule(QUOTA % name, check_str, description, path, method)


rules = [
    _rule('create', base.ADMIN, 'Create a quota.', _QUOTAS, 'POST'),
    _rule('delete', base.ADMIN, 'Delete a quota.', _QUOTA, 'DELETE'),
    _rule('get', base.ADMIN_OR_READER, "Retrieve a project's quota.",
          _QUOTA, 'GET'),
    _rule('get_all', base.ADMIN, 'Retrieve a list of quotas.',
          _QUOTAS, 'GET'),
    _rule('update', base.ADMIN, 'Update a quota.', _QUOTA, 'PATCH'),
]


def list_rules():
    return rules
