from magnumlite.common import context
from magnumlite.common import exception
from magnumlite.db import api as db_api
from tests.unit import base


class TestQuotas(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(base.Database(self.conf_fixture))
        self.context = context.get_admin_context()

    def _quota(self, project_id, hard_limit=5):
        return db_api.quota_create(self.context, {
            'project_id': project_id, 'resource': 'Cluster',
            'hard_limit': hard_limit})

    def test_create_get_update_destroy(self):
        self._quota('p1')
        db_api.quota_update(self.context, 'p1', 'Cluster', 9)

        self.assertEqual(
            9, db_api.quota_get(self.context, 'p1', 'Cluster').hard_limit)

        db_api.quota_destroy(self.context, 'p1', 'Cluster')
        exc = self.assertRaises(exception.QuotaNotFound, db_api.quota_get,
                                self.context, 'p1', 'Cluster')
        self.assertEqual(404, exc.code)

    def test_one_quota_per_project_and_resource(self):
        self._quota('p1')

        exc = self.assertRaises(exception.QuotaAlreadyExists, self._quota,
                                'p1')
        self.assertEqual(409, exc.code)
        self.assertEqual('Quota for project p1 already exists for resource '
                         'Cluster.', str(exc))

    def test_list_filters_and_pages_by_id(self):
        quotas = [self._quota(p) for p in ('p1', 'p2', 'p3')]

        self.assertEqual(['p2'], [q.project_id for q in db_api.quota_list(
            self.context, {'project_id': 'p2'})])
        self.assertEqual(['p2', 'p3'], [
            q.project_id for q in db_api.quota_list(
                self.context, marker=quotas[0].id)])
        self.assertRaises(exception.QuotaNotFound, db_api.quota_list,
                          self.context, marker=999)
