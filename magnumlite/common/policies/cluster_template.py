"""Policies of cluster templates, under whichever name the API serves them.

A project sees its own templates and the public ones; only admins may
publish a template (make it public or hidden).
"""

from magnumlite.common.policies import base

rules = [
    base.rule('clustertemplate:create', base.ADMIN_OR_MEMBER,
              'Create a cluster template.'),
    base.rule('clustertemplate:delete', base.ADMIN_OR_MEMBER,
              'Delete a cluster template.'),
    base.rule('clustertemplate:delete_all_projects', base.ADMIN,
              'Delete a cluster template of any project.'),
    base.rule('clustertemplate:detail', base.ADMIN_OR_READER,
              'Retrieve a list of cluster templates with detail.'),
    base.rule('clustertemplate:detail_all_projects', base.ADMIN,
              'Retrieve a list of the cluster templates of all projects '
              'with detail.'),
    base.rule('clustertemplate:get', base.ADMIN_OR_READER,
              'Retrieve information about a cluster template.'),
    base.rule('clustertemplate:get_one_all_projects', base.ADMIN,
              'Retrieve information about a cluster template of any '
              'project.'),
    base.rule('clustertemplate:get_all', base.ADMIN_OR_READER,
              'Retrieve a list of cluster templates.'),
    base.rule('clustertemplate:get_all_all_projects', base.ADMIN,
              'Retrieve a list of the cluster templates of all projects.'),
    base.rule('clustertemplate:update', base.ADMIN_OR_MEMBER,
              'Update a cluster template.'),
    base.rule('clustertemplate:update_all_projects', base.ADMIN,
              'Update a cluster template of any project.'),
    base.rule('clustertemplate:publish', base.ADMIN,
              'Make a cluster template public or hidden.'),
]
