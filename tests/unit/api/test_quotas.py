from tests.unit.api import base


class TestQuotas(base.ResourceTestCase):

    def _create(self, project_id='p1', hard_limit=3, **kwargs):
        return self.call('/v1/quotas', 'POST', {
            'project_id': project_id, 'resource': 'Cluster',
            'hard_limit': hard_limit}, **kwargs)

    def test_admin_creates_shows_updates_deletes(self):
        resp = self._create()
        self.assertEqual(201, resp.status_int, resp.body)
        self.assertEqual(('p1', 'Cluster', 3),
                         (resp.json['project_id'], resp.json['resource'],
                          resp.json['hard_limit']))

        resp = self.call('/v1/quotas/p1/Cluster', 'PATCH',
                         {'project_id': 'p1', 'resource': 'Cluster',
                          'hard_limit': 7})
        self.assertEqual(202, resp.status_int, resp.body)
        self.assertEqual(7, self.call('/v1/quotas/p1/Cluster',
                                      roles=base.READER).json['hard_limit'])

        self.assertEqual(204, self.call('/v1/quotas/p1/Cluster',
                                        'DELETE').status_int)
        # Without a quota of its own, the default it is held to, as Magnum.
        self.conf_fixture.config(group='quotas', max_clusters_per_project=9)
        self.assertEqual(
            {'project_id': 'p1', 'resource': 'Cluster', 'hard_limit': 9},
            self.call('/v1/quotas/p1/Cluster').json)
        self.assertError(404, 'Quota could not be found: project_id p1 '
                              'resource Cluster.',
                         self.call('/v1/quotas/p1/Cluster', 'DELETE'))

    def test_duplicate_is_a_conflict(self):
        self._create()
        self.assertError(409, 'Quota for project p1 already exists for '
                              'resource Cluster.', self._create())

    def test_bad_input(self):
        self.assertError(
            400, 'Invalid input for field/attribute resource. Value: '
                 '"Pod". \'Pod\' is not one of [\'Cluster\'].',
            self.call('/v1/quotas', 'POST', {'project_id': 'p1',
                                             'resource': 'Pod',
                                             'hard_limit': 1}))
        self.assertError(
            400, 'Invalid input for field/attribute hard_limit. Value: -1. '
                 '-1 is less than the minimum of 0.',
            self._create(hard_limit=-1))

    def test_only_admins_change_quotas(self):
        self.assertError(403, "Policy doesn't allow quota:create to be "
                              "performed.",
                         self._create(roles=base.MEMBER))
        self._create()
        for method, body in (('PATCH', {'hard_limit': 1}), ('DELETE', None)):
            self.assertEqual(403, self.call(
                '/v1/quotas/p1/Cluster', method, body,
                roles=base.MEMBER).status_int)

    def test_projects_read_only_their_own(self):
        self._create('p1')
        self._create('p2')

        self.assertEqual(403, self.call('/v1/quotas/p2/Cluster',
                                        roles=base.MEMBER).status_int)
        self.assertEqual(3, self.call('/v1/quotas/p1/Cluster',
                                      roles=base.READER).json['hard_limit'])
        # Listing is an admin's, as in Magnum: its own project's, or with
        # all_tenants every project's.
        self.assertEqual(403, self.call(
            '/v1/quotas?all_tenants=True', roles=base.MEMBER).status_int)
        self.assertEqual(['p1'], [q['project_id'] for q in self.call(
            '/v1/quotas').json['quotas']])
        self.assertEqual(['p1', 'p2'], [q['project_id'] for q in self.call(
            '/v1/quotas?all_tenants=True').json['quotas']])

    def test_pages_by_id(self):
        first = self._create('p1').json
        self._create('p2')

        resp = self.call('/v1/quotas?all_tenants=True&limit=1')

        self.assertEqual(
            'http://localhost/v1/quotas?all_tenants=True&sort_key=id'
            '&sort_dir=asc&limit=1&marker=%s' % first['id'],
            resp.json['next'])
        self.assertEqual(['p2'], [q['project_id'] for q in self.call(
            resp.json['next'][len('http://localhost'):]).json['quotas']])
