"""Policies of clusters, under whichever name the API serves them.

The target is the cluster's project; the *_all_projects rules decide
whether an admin works across projects or, like everyone else, in the
project of the token only.
"""

from magnumlite.common.policies import base

rules = [
    base.rule('cluster:create', base.ADMIN_OR_MEMBER,
              'Create a new cluster.'),
    base.rule('cluster:delete', base.ADMIN_OR_MEMBER, 'Delete a cluster.'),
    base.rule('cluster:delete_all_projects', base.ADMIN,
              'Delete a cluster of any project.'),
    base.rule('cluster:detail', base.ADMIN_OR_READER,
              'Retrieve a list of clusters with detail.'),
    base.rule('cluster:detail_all_projects', base.ADMIN,
              'Retrieve a list of the clusters of all projects with '
              'detail.'),
    base.rule('cluster:get', base.ADMIN_OR_READER,
              'Retrieve information about a cluster.'),
    base.rule('cluster:get_one_all_projects', base.ADMIN,
              'Retrieve information about a cluster of any project.'),
    base.rule('cluster:get_all', base.ADMIN_OR_READER,
              'Retrieve a list of clusters.'),
    base.rule('cluster:get_all_all_projects', base.ADMIN,
              'Retrieve a list of the clusters of all projects.'),
    base.rule('cluster:update', base.ADMIN_OR_MEMBER, 'Update a cluster.'),
    base.rule('cluster:update_all_projects', base.ADMIN,
              'Update a cluster of any project.'),
    base.rule('cluster:resize', base.ADMIN_OR_MEMBER, 'Resize a cluster.'),
]
