from tests.unit.api import base


class TestStats(base.ResourceTestCase):

    def setUp(self):
        super().setUp()
        self.create_template()
        self.create_cluster(name='a', node_count=2)
        self.create_cluster(name='b', master_count=3, node_count=1)
        self.create_template(name='t2', project_id='p2', roles=base.MEMBER)
        self.create_cluster(project_id='p2', cluster_template_id='t2')

    def _stats(self, query='', **kwargs):
        return self.call('/v1/stats' + query, **kwargs)

    def test_a_project_gets_its_own(self):
        for query in ('', '?project_id=p1', '?type=cluster'):
            resp = self._stats(query, roles=base.READER)
            self.assertEqual({'clusters': 2, 'nodes': 7}, resp.json)

    def test_admin_gets_all_or_one_project(self):
        self.assertEqual({'clusters': 3, 'nodes': 9}, self._stats().json)
        self.assertEqual({'clusters': 1, 'nodes': 2},
                         self._stats('?project_id=p2').json)

    def test_refusals(self):
        self.assertEqual(403, self._stats('?project_id=p2',
                                          roles=base.MEMBER).status_int)
        self.assertError(400, "Invalid stats type. Allowed values are "
                              "'cluster'", self._stats('?type=pod'))
        self.assertEqual(406, self._stats(version='1.3').status_int)
