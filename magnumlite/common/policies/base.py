"""Rules the per-resource policies are built from: Magnum's current defaults.

A resource's module lists its rules with rule(): name, default check
string, description. Each is documented (DocumentedRuleDefault) with the
operations of the route table that check it (see documented()).

Personas, by keystone's default roles (admin implies manager, manager
implies member, member implies reader):

- reader of a project: reads the project's clusters, templates, quota and
  stats;
- member (and manager) of a project: also creates, changes and deletes
  them, and rotates its clusters' credentials;
- admin: everything, in every project (*_all_projects rules, quotas,
  services, publishing templates).

Every rule but the admin-only ones is scoped to projects (scope_types),
so with [oslo_policy] enforce_scope a system- or domain-scoped token is
refused. "Admin" is keystone's admin role in keystone's admin project:
keystone marks tokens of other projects is_admin_project=False once its
[resource] admin_project_name is set, so that the admin of an ordinary
project administers only that project (until it is set, every project is
the admin project, as in Magnum).
"""

import collections

from oslo_policy import policy

ADMIN = 'rule:context_is_admin'
PROJECT_MEMBER = 'rule:project_member'
PROJECT_READER = 'rule:project_reader'
ADMIN_OR_MEMBER = 'rule:admin_or_project_member'
ADMIN_OR_READER = 'rule:admin_or_project_reader'

rules = [
    policy.RuleDefault(
        name='context_is_admin',
        check_str='role:admin and is_admin_project:True',
        description='Decides whether a request is made by a cloud admin.'),
    policy.RuleDefault(
        name='project_member',
        check_str='role:member and project_id:%(project_id)s',
        description='A member of the project that owns the target.'),
    policy.RuleDefault(
        name='project_reader',
        check_str='role:reader and project_id:%(project_id)s',
        description='A reader of the project that owns the target.'),
    policy.RuleDefault(
        name='admin_or_project_member',
        check_str='(%s) or (%s)' % (ADMIN, PROJECT_MEMBER),
        description='A cloud admin, or a member of the target project.'),
    policy.RuleDefault(
        name='admin_or_project_reader',
        check_str='(%s) or (%s)' % (ADMIN, PROJECT_READER),
        description='A cloud admin, or a reader of the target project.'),
]


Rule = collections.namedtuple('Rule', 'name check_str description')


def rule(name, check_str, description):
    """A rule of a resource, documented by documented()."""
    return Rule(name, check_str, description)


def documented(rule, operations):
    """rule as oslo.policy has it; scoped to projects unless admin-only.

    operations: the [{'path':, 'method':}] that check it.
    """
    if not operations:
        raise ValueError('No route checks the policy rule %s.' % rule.name)
    return policy.DocumentedRuleDefault(
        name=rule.name, check_str=rule.check_str,
        description=rule.description, operations=operations,
        scope_types=None if rule.check_str == ADMIN else ['project'])


def list_rules():
    return rules
