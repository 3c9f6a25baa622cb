"""Rules the per-resource policies are built from."""

from oslo_policy import policy

ADMIN = 'rule:context_is_admin'
PROJECT_MEMBER = 'rule:project_member'
PROJECT_READER = 'rule:project_reader'
# What a project's members may do, admins anywhere; readers only read.
ADMIN_OR_MEMBER = 'rule:context_is_admin or rule:project_member'
ADMIN_OR_READER = ('rule:context_is_admin or rule:project_member or '
                   'rule:project_reader')

rules = [
    policy.RuleDefault(
        name='context_is_admin',
        check_str='role:admin',
        description='Decides whether a request is made by an admin.'),
    policy.RuleDefault(
        name='project_member',
        check_str='role:member and project_id:%(project_id)s',
        description='A member of the project that owns the target.'),
    policy.RuleDefault(
        name='project_reader',
        check_str='role:reader and project_id:%(project_id)s',
        description='A reader of the project that owns the target.'),
]


def list_rules():
    return rules
