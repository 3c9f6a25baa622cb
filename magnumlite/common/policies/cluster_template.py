"""Policies of /v1/clustertemplates (and of /v1/baymodels, the same rows).

A project sees its own templates and the public ones; only admins may
publish a template (make it public or hidden).
"""

from magnumlite.common.policies import base

CLUSTER_TEMPLATE = 'clustertemplate:%s'
_TEMPLATES = '/v1/clustertemplates'
_TEMPLATE = '/v1/clustertemplates/{clustertemplate_ident}'


def _rule(name, check_str, description, path, method):
    return base.rule(CLUSTER_TEMPLATE % name, check_str, description, path,
                     method)


rules = [
    _rule('create', base.ADMIN_OR_MEMBER, 'Create a cluster template.',
          _TEMPLATES, 'POST'),
    _rule('delete', base.ADMIN_OR_MEMBER, 'Delete a cluster template.',
          _TEMPLATE, 'DELETE'),
    _rule('delete_all_projects', base.ADMIN,
          'Delete a cluster template of any project.', _TEMPLATE, 'DELETE'),
    _rule('detail', base.ADMIN_OR_READER,
          'Retrieve a list of cluster templates with detail.',
          _TEMPLATES + '/detail', 'GET'),
    _rule('detail_all_projects', base.ADMIN,
          'Retrieve a list of the cluster templates of all projects with '
          'detail.', _TEMPLATES + '/detail', 'GET'),
    _rule('get', base.ADMIN_OR_READER,
          'Retrieve information about a cluster template.',
          _TEMPLATE, 'GET'),
    _rule('get_one_all_projects', base.ADMIN,
          'Retrieve information about a cluster template of any project.',
          _TEMPLATE, 'GET'),
    _rule('get_all', base.ADMIN_OR_READER,
          'Retrieve a list of cluster templates.', _TEMPLATES, 'GET'),
    _rule('get_all_all_projects', base.ADMIN,
          'Retrieve a list of the cluster templates of all projects.',
          _TEMPLATES, 'GET'),
    _rule('update', base.ADMIN_OR_MEMBER, 'Update a cluster template.',
          _TEMPLATE, 'PATCH'),
    _rule('update_all_projects', base.ADMIN,
          'Update a cluster template of any project.', _TEMPLATE, 'PATCH'),
    _rule('publish', base.ADMIN,
          'Make a cluster template public or hidden.', _TEMPLATES, 'POST'),
]


def list_rules():
    return rules
