import fixtures

from magnumlite.common import context
from tests.unit import base


class TestRequestContext(base.TestCase):

    def _from_roles(self, roles):
        return context.RequestContext.from_environ(
            {'HTTP_X_ROLES': roles, 'HTTP_X_PROJECT_ID': 'p1'})

    def test_is_admin_follows_the_context_is_admin_rule(self):
        self.assertTrue(self._from_roles('admin').is_admin)
        self.assertFalse(self._from_roles('member,reader').is_admin)

    def test_operators_can_redefine_admin(self):
        self.conf_fixture.config(group='oslo_policy',
                                 policy_file=self._policy_file(
                                     '"context_is_admin": "role:boss"'))
        self.assertTrue(self._from_roles('boss').is_admin)
        self.assertFalse(self._from_roles('admin').is_admin)

    def _policy_file(self, rules):
        path = self.useFixture(fixtures.TempDir()).join('policy.yaml')
        with open(path, 'w') as f:
            f.write(rules + '\n')
        return path

    def test_round_trip_through_a_dict_keeps_identity(self):
        ctx = self._from_roles('member')
        copy = context.RequestContext.from_dict(ctx.to_dict())
        self.assertEqual(
            (ctx.project_id, ctx.roles, ctx.is_admin, ctx.request_id),
            (copy.project_id, copy.roles, copy.is_admin, copy.request_id))

    def test_admin_context(self):
        ctx = context.get_admin_context()
        self.assertTrue(ctx.is_admin)
        self.assertIsNone(ctx.project_id)
