"""Every policy rule, for every persona, as the all-in-one enforces them.

Personas hold keystone's default roles (with their implied ones) in
project p1, the target's project, or in p2; "admin" is keystone's admin
role in keystone's admin project. [oslo_policy] enforce_scope and
enforce_new_defaults are on, as in the all-in-one.
"""

from magnumlite.common import context
from magnumlite.common import exception
from magnumlite.common import policies
from magnumlite.common import policy
from magnumlite.conf import CONF
from tests.unit import base

PERSONAS = {
    'admin': dict(roles=['admin', 'manager', 'member', 'reader'],
                  project_id='p2'),
    # The admin of an ordinary project, once keystone has an admin
    # project: not a cloud admin.
    'project-admin': dict(roles=['admin', 'manager', 'member', 'reader'],
                          project_id='p1', is_admin_project=False),
    'manager': dict(roles=['manager', 'member', 'reader'], project_id='p1'),
    'member': dict(roles=['member', 'reader'], project_id='p1'),
    'reader': dict(roles=['reader'], project_id='p1'),
    'other-member': dict(roles=['member', 'reader'], project_id='p2'),
    'no-role': dict(roles=[], project_id='p1'),
    # Tokens of another scope than the projects' rules.
    'system-admin': dict(roles=['admin', 'manager', 'member', 'reader'],
                         system_scope='all'),
    'domain-admin': dict(roles=['admin', 'manager', 'member', 'reader'],
                         domain_id='default'),
}

_OWN_PROJECT = {'project-admin', 'manager', 'member'}
ADMIN_OR_MEMBER = {'admin'} | _OWN_PROJECT
ADMIN_OR_READER = ADMIN_OR_MEMBER | {'reader'}
# Admin-only rules have no scope_types, as Magnum's: any token of an admin.
ADMIN = {'admin', 'system-admin', 'domain-admin'}

# Who may, target project p1.
EXPECTED = {
    'certificate:create': ADMIN_OR_MEMBER,
    'certificate:get': ADMIN_OR_READER,
    'certificate:rotate_ca': ADMIN_OR_MEMBER,
    'cluster:create': ADMIN_OR_MEMBER,
    'cluster:delete': ADMIN_OR_MEMBER,
    'cluster:update': ADMIN_OR_MEMBER,
    'cluster:resize': ADMIN_OR_MEMBER,
    'cluster:get': ADMIN_OR_READER,
    'cluster:get_all': ADMIN_OR_READER,
    'cluster:detail': ADMIN_OR_READER,
    'cluster:delete_all_projects': ADMIN,
    'cluster:detail_all_projects': ADMIN,
    'cluster:get_one_all_projects': ADMIN,
    'cluster:get_all_all_projects': ADMIN,
    'cluster:update_all_projects': ADMIN,
    'clustertemplate:create': ADMIN_OR_MEMBER,
    'clustertemplate:delete': ADMIN_OR_MEMBER,
    'clustertemplate:update': ADMIN_OR_MEMBER,
    'clustertemplate:get': ADMIN_OR_READER,
    'clustertemplate:get_all': ADMIN_OR_READER,
    'clustertemplate:detail': ADMIN_OR_READER,
    'clustertemplate:delete_all_projects': ADMIN,
    'clustertemplate:detail_all_projects': ADMIN,
    'clustertemplate:get_one_all_projects': ADMIN,
    'clustertemplate:get_all_all_projects': ADMIN,
    'clustertemplate:update_all_projects': ADMIN,
    'clustertemplate:publish': ADMIN,
    # The trust is made from the requester's roles in the cluster's
    # project: no admin of another project.
    'credential:rotate': _OWN_PROJECT,
    'magnum-service:get_all': ADMIN,
    'quota:create': ADMIN,
    'quota:delete': ADMIN,
    'quota:update': ADMIN,
    'quota:get_all': ADMIN,
    'quota:get': ADMIN_OR_READER,
    'stats:get_all': ADMIN_OR_READER,
}


class TestPersonas(base.TestCase):

    def setUp(self):
        super().setUp()
        policy.init()  # registers the [oslo_policy] options
        # oslo.policy 6 always enforces scope and has no such option;
        # earlier releases need it, as the all-in-one sets it.
        for option in ('enforce_scope', 'enforce_new_defaults'):
            if option in CONF.oslo_policy:
                self.conf_fixture.config(group='oslo_policy',
                                         **{option: True})

    def _allowed(self, rule, persona):
        ctx = context.RequestContext(user_id='u', **PERSONAS[persona])
        try:
            policy.authorize(ctx, rule, {'project_id': 'p1'})
        except exception.PolicyNotAuthorized:
            return False
        return True

    def test_every_rule_is_listed_here(self):
        self.assertEqual(
            sorted(EXPECTED),
            sorted(rule.name for rule in policies.list_rules()
                   if ':' in rule.name))

    def test_every_rule_for_every_persona(self):
        for rule, expected in sorted(EXPECTED.items()):
            allowed = {persona for persona in PERSONAS
                       if self._allowed(rule, persona)}
            self.assertEqual(sorted(expected), sorted(allowed), rule)

    def test_only_a_cloud_admin_is_an_admin_context(self):
        for persona in PERSONAS:
            ctx = context.RequestContext(user_id='u', **PERSONAS[persona])
            self.assertEqual(persona in ADMIN, ctx.is_admin, persona)

    def test_project_rules_are_scoped_to_projects(self):
        for rule in policies.list_rules():
            if ':' in rule.name:
                self.assertEqual(
                    None if EXPECTED[rule.name] == ADMIN else ['project'],
                    rule.scope_types, rule.name)
