"""Policies of /v1/clusters (and of /v1/bays, the same rows).

The target is the cluster's project; the *_all_projects rules decide
whether an admin works across projects or, like everyone else, in the
project of the token only.
"""

from magnumlite.common.policies import base

CLUSTER = 'cluster:%s'
_CLUSTERS = '/v1/clusters'
_CLUSTER = '/v1/clusters/{cluster_ident}'


def _rule(name, check_str, description, path, method):
    return base.rule(CLUSTER % name, check_str, description, path, method)


rules = [
    _rule('create', base.ADMIN_OR_MEMBER, 'Create a new cluster.',
          _CLUSTERS, 'POST'),
    _rule('delete', base.ADMIN_OR_MEMBER, 'Delete a cluster.',
          _CLUSTER, 'DELETE'),
    _rule('delete_all_projects', base.ADMIN,
          'Delete a cluster of any project.', _CLUSTER, 'DELETE'),
    _rule('detail', base.ADMIN_OR_READER,
          'Retrieve a list of clusters with detail.',
          _CLUSTERS + '/detail', 'GET'),
    _rule('detail_all_projects', base.ADMIN,
          'Retrieve a list of the clusters of all projects with detail.',
          _CLUSTERS + '/detail', 'GET'),
    _rule('get', base.ADMIN_OR_READER, 'Retrieve information about a '
          'cluster.', _CLUSTER, 'GET'),
    _rule('get_one_all_projects', base.ADMIN,
          'Retrieve information about a cluster of any project.',
          _CLUSTER, 'GET'),
    _rule('get_all', base.ADMIN_OR_READER, 'Retrieve a list of clusters.',
          _CLUSTERS, 'GET'),
    _rule('get_all_all_projects', base.ADMIN,
          'Retrieve a list of the clusters of all projects.',
          _CLUSTERS, 'GET'),
    _rule('update', base.ADMIN_OR_MEMBER, 'Update a cluster.',
          _CLUSTER, 'PATCH'),
    _rule('update_all_projects', base.ADMIN,
          'Update a cluster of any project.', _CLUSTER, 'PATCH'),
    _rule('resize', base.ADMIN_OR_MEMBER, 'Resize a cluster.',
          _CLUSTER + '/actions/resize', 'POST'),
]


def list_rules():
    return rules
