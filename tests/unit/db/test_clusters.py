import datetime

import sqlalchemy as sa

from magnumlite.common import context
from magnumlite.common import exception
from magnumlite.db import api as db_api
from tests.unit import base

T0 = datetime.datetime(2025, 1, 1, 12, 0, 0)
UUID1 = '11111111-1111-4111-8111-111111111111'


def _cluster(**values):
    return dict({'name': 'c', 'project_id': 'p1', 'user_id': 'u1',
                 'cluster_template_id': 'ct', 'status': 'CREATE_COMPLETE'},
                **values)


class StatementCounter:
    """Counts the SQL statements the engine executes while in use."""

    def __init__(self, engine):
        self.engine = engine
        self.count = 0

    def _count(self, *args):
        self.count += 1

    def __enter__(self):
        sa.event.listen(self.engine, 'before_cursor_execute', self._count)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, 'before_cursor_execute', self._count)


class ClusterTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(base.Database(self.conf_fixture))
        self.context = context.get_admin_context()
        self.clock = self.useFixture(base.Clock(T0))


class TestClusterCRUD(ClusterTestCase):

    def test_create_fills_defaults_and_get_by_uuid_or_name(self):
        created = db_api.cluster_create(self.context, _cluster(name='web'))

        self.assertTrue(created.uuid)
        for key in (created.uuid, 'web'):
            got = db_api.cluster_get(self.context, key)
            self.assertEqual(
                (created.uuid, 1, 1, 60, {}, None, None, T0),
                (got.uuid, got.master_count, got.node_count,
                 got.create_timeout, got.labels, got.stack_id,
                 got.claimed_by, got.created_at))

    def test_duplicate_uuid_is_a_conflict(self):
        db_api.cluster_create(self.context, _cluster(uuid=UUID1))

        exc = self.assertRaises(exception.ClusterAlreadyExists,
                                db_api.cluster_create, self.context,
                                _cluster(uuid=UUID1))
        self.assertEqual(409, exc.code)

    def test_not_found_in_magnums_words(self):
        exc = self.assertRaises(exception.ClusterNotFound,
                                db_api.cluster_get, self.context, UUID1)
        self.assertEqual(404, exc.code)
        self.assertEqual('Cluster %s could not be found.' % UUID1, str(exc))

    def test_another_projects_cluster_is_not_found(self):
        db_api.cluster_create(self.context, _cluster(uuid=UUID1))

        self.assertRaises(exception.ClusterNotFound, db_api.cluster_get,
                          self.context, UUID1, project_id='p2')
        self.assertEqual(
            UUID1, db_api.cluster_get(self.context, UUID1, 'p1').uuid)

    def test_ambiguous_name_is_a_conflict(self):
        db_api.cluster_create(self.context, _cluster(name='twin'))
        db_api.cluster_create(self.context, _cluster(name='twin'))

        exc = self.assertRaises(exception.Conflict, db_api.cluster_get,
                                self.context, 'twin')
        self.assertIn('Multiple clusters exist with same name', str(exc))

    def test_update_changes_values_and_updated_at(self):
        db_api.cluster_create(self.context, _cluster(uuid=UUID1))
        self.clock.advance(5)

        db_api.cluster_update(self.context, UUID1,
                              {'node_count': 3, 'labels': {'a': 'b'}})

        got = db_api.cluster_get(self.context, UUID1)
        self.assertEqual((3, {'a': 'b'}, T0 + datetime.timedelta(seconds=5)),
                         (got.node_count, got.labels, got.updated_at))

    def test_update_refuses_to_change_the_uuid(self):
        db_api.cluster_create(self.context, _cluster(uuid=UUID1))
        self.assertRaises(exception.InvalidParameterValue,
                          db_api.cluster_update, self.context, UUID1,
                          {'uuid': 'other'})

    def test_destroy_removes_the_cluster_and_its_nodes(self):
        db_api.cluster_create(self.context, _cluster(uuid=UUID1))
        db_api.node_create(self.context, UUID1, {'role': 'master'})
        other = db_api.cluster_create(self.context, _cluster())
        db_api.node_create(self.context, other.uuid, {'role': 'worker'})

        db_api.cluster_destroy(self.context, UUID1)

        self.assertRaises(exception.ClusterNotFound, db_api.cluster_get,
                          self.context, UUID1)
        self.assertEqual([], db_api.node_list(self.context, UUID1))
        self.assertEqual(1, len(db_api.node_list(self.context, other.uuid)))
        self.assertRaises(exception.ClusterNotFound, db_api.cluster_destroy,
                          self.context, UUID1)

    def test_count_and_stats(self):
        db_api.cluster_create(self.context, _cluster(node_count=2))
        db_api.cluster_create(self.context, _cluster(master_count=3))
        db_api.cluster_create(self.context, _cluster(project_id='p2'))

        self.assertEqual((2, 7), db_api.cluster_stats(self.context, 'p1'))
        self.assertEqual((3, 9), db_api.cluster_stats(self.context))
        self.assertEqual((0, 0), db_api.cluster_stats(self.context, 'p3'))


class TestClusterList(ClusterTestCase):

    def _names(self, clusters):
        return [c.name for c in clusters]

    def test_filters_by_project_name_and_status(self):
        db_api.cluster_create(self.context, _cluster(name='a'))
        db_api.cluster_create(self.context, _cluster(
            name='b', status='CREATE_FAILED'))
        db_api.cluster_create(self.context, _cluster(
            name='a', project_id='p2'))

        def names(**filters):
            return self._names(db_api.cluster_list(self.context, filters))

        self.assertEqual(['a', 'b', 'a'], names())
        self.assertEqual(['a', 'b'], names(project_id='p1'))
        self.assertEqual(['a', 'a'], names(name='a'))
        self.assertEqual(['b'], names(project_id='p1',
                                      status=['CREATE_FAILED', 'X']))

    def test_pages_follow_the_marker_in_sort_order(self):
        for name in ('c', 'a', 'b', 'd'):
            db_api.cluster_create(self.context, _cluster(name=name))

        first = db_api.cluster_list(self.context, limit=2, sort_key='name')
        second = db_api.cluster_list(self.context, limit=2, sort_key='name',
                                     marker=first[-1].uuid)
        backwards = db_api.cluster_list(self.context, sort_key='name',
                                        sort_dir='desc')

        self.assertEqual(['a', 'b'], self._names(first))
        self.assertEqual(['c', 'd'], self._names(second))
        self.assertEqual(['d', 'c', 'b', 'a'], self._names(backwards))

    def test_list_reads_the_columns_asked_in_their_order(self):
        row = db_api.cluster_create(self.context, _cluster(name='a'))

        [listed] = db_api.cluster_list(self.context,
                                       columns=('name', 'uuid', 'id'))
        self.assertEqual(('a', row.uuid, row.id), tuple(listed))
        self.assertEqual(row.uuid, listed.uuid)

    def test_list_gives_each_row_its_own_json_values(self):
        # A page's JSON documents are decoded together: text that looks
        # like the joins between them must stay inside its own row.
        labels = [{'a': 'x,y]', 'b': '[1,'}, {}, {'q': '"],["'},
                  {'nested': {'l': [1, [2, {'m': None}]]}},
                  {'ünï': 'cødé ✓'}]
        addresses = [['10.0.0.%d' % i, '],[,'] for i in range(5)]
        for i, (label, address) in enumerate(zip(labels, addresses)):
            cluster = db_api.cluster_create(self.context, _cluster(
                name='c%d' % i, labels=label,
                health_status_reason={'n%d' % i: 'ACTIVE, fine'}))
            db_api.node_create(self.context, cluster.uuid,
                               {'role': 'worker', 'addresses': address})
            db_api.node_create(self.context, cluster.uuid,
                               {'role': 'master', 'addresses': []})

        rows = db_api.cluster_list(self.context, sort_key='name')
        self.assertEqual(labels, [row.labels for row in rows])
        self.assertEqual([{'n%d' % i: 'ACTIVE, fine'} for i in range(5)],
                         [row.health_status_reason for row in rows])
        some = db_api.cluster_list(self.context, sort_key='name',
                                   columns=('labels', 'name'))
        self.assertEqual([(label, 'c%d' % i)
                          for i, label in enumerate(labels)],
                         [tuple(row) for row in some])
        nodes = db_api.node_list_by_cluster(self.context,
                                            [row.id for row in rows])
        self.assertEqual([[address, []] for address in addresses],
                         [[node.addresses for node in nodes[row.id]]
                          for row in rows])

    def test_bad_sort_key_or_dir_or_marker(self):
        self.assertRaises(exception.InvalidParameterValue,
                          db_api.cluster_list, self.context,
                          sort_key='nope')
        self.assertRaises(exception.InvalidParameterValue,
                          db_api.cluster_list, self.context,
                          sort_dir='sideways')
        self.assertRaises(exception.ClusterNotFound, db_api.cluster_list,
                          self.context, marker=UUID1)

    def _statements_to_list(self, clusters):
        """Statements to list that many clusters with their nodes."""
        for _ in range(clusters - len(db_api.cluster_list(self.context))):
            cluster = db_api.cluster_create(self.context, _cluster())
            db_api.node_create(self.context, cluster.uuid, {'role': 'worker'})
        with StatementCounter(db_api.get_engine()) as counter:
            listed = db_api.cluster_list(self.context,
                                         {'project_id': 'p1'})
            nodes = db_api.node_list_by_cluster(
                self.context, [c.id for c in listed])
        self.assertEqual(clusters, len(listed))
        self.assertEqual(clusters, len(nodes))
        return counter.count

    def test_list_costs_the_same_queries_for_10_or_100_rows(self):
        ten = self._statements_to_list(10)
        hundred = self._statements_to_list(100)

        self.assertEqual(ten, hundred)

    def test_in_progress_across_projects(self):
        for status, project in [('CREATE_IN_PROGRESS', 'p1'),
                                ('CREATE_COMPLETE', 'p1'),
                                ('DELETE_IN_PROGRESS', 'p2'),
                                ('UPDATE_FAILED', 'p2'),
                                ('UPDATE_IN_PROGRESS', 'p3')]:
            db_api.cluster_create(self.context, _cluster(
                status=status, project_id=project))

        self.assertEqual(
            ['CREATE_IN_PROGRESS', 'DELETE_IN_PROGRESS',
             'UPDATE_IN_PROGRESS'],
            [c.status for c in db_api.clusters_in_progress(self.context)])


class TestClusterClaim(ClusterTestCase):

    def setUp(self):
        super().setUp()
        db_api.cluster_create(self.context, _cluster(uuid=UUID1))

    def _holder(self):
        cluster = db_api.cluster_get(self.context, UUID1)
        return cluster.claimed_by, cluster.claimed_until

    def test_first_host_wins_the_other_is_refused(self):
        self.assertTrue(db_api.cluster_claim(self.context, UUID1, 'h1', 30))
        self.assertFalse(db_api.cluster_claim(self.context, UUID1, 'h2', 30))

        self.assertEqual(('h1', T0 + datetime.timedelta(seconds=30)),
                         self._holder())

    def test_holder_renews_its_lease(self):
        db_api.cluster_claim(self.context, UUID1, 'h1', 30)
        self.clock.advance(20)

        self.assertTrue(db_api.cluster_claim(self.context, UUID1, 'h1', 30))
        self.clock.advance(20)
        self.assertFalse(db_api.cluster_claim(self.context, UUID1, 'h2', 30))
        self.assertEqual(('h1', T0 + datetime.timedelta(seconds=50)),
                         self._holder())

    def test_expired_lease_goes_to_another_host(self):
        db_api.cluster_claim(self.context, UUID1, 'h1', 30)
        self.clock.advance(31)

        self.assertTrue(db_api.cluster_claim(self.context, UUID1, 'h2', 30))
        self.assertFalse(db_api.cluster_claim(self.context, UUID1, 'h1', 30))
        self.assertEqual('h2', self._holder()[0])

    def test_release_frees_it_only_for_the_holder(self):
        db_api.cluster_claim(self.context, UUID1, 'h1', 30)

        db_api.cluster_release(self.context, UUID1, 'h2')
        self.assertEqual('h1', self._holder()[0])
        db_api.cluster_release(self.context, UUID1, 'h1')
        self.assertEqual((None, None), self._holder())
        self.assertTrue(db_api.cluster_claim(self.context, UUID1, 'h2', 30))

    def test_claims_do_not_touch_updated_at(self):
        db_api.cluster_update(self.context, UUID1, {'status': 'X'})
        self.clock.advance(10)
        db_api.cluster_claim(self.context, UUID1, 'h1', 30)
        db_api.cluster_release(self.context, UUID1, 'h1')

        self.assertEqual(T0, db_api.cluster_get(self.context,
                                                UUID1).updated_at)

    def test_unknown_cluster_is_not_claimed(self):
        self.assertFalse(db_api.cluster_claim(
            self.context, '22222222-2222-4222-8222-222222222222', 'h1', 30))


class TestClusterUpdateUnlessInProgress(ClusterTestCase):

    def test_updates_a_cluster_at_rest(self):
        db_api.cluster_create(self.context, _cluster(uuid=UUID1))

        row = db_api.cluster_update_unless_in_progress(
            self.context, UUID1, {'status': 'UPDATE_IN_PROGRESS'})

        self.assertEqual('UPDATE_IN_PROGRESS', row.status)
        self.assertEqual('UPDATE_IN_PROGRESS',
                         db_api.cluster_get(self.context, UUID1).status)

    def test_refuses_while_an_operation_is_under_way(self):
        db_api.cluster_create(self.context, _cluster(
            uuid=UUID1, status='CREATE_IN_PROGRESS'))

        exc = self.assertRaises(
            exception.ClusterOperationInProgress,
            db_api.cluster_update_unless_in_progress, self.context, UUID1,
            {'status': 'UPDATE_IN_PROGRESS'})
        self.assertEqual(409, exc.code)
        self.assertEqual('Updating a cluster when status is '
                         '"CREATE_IN_PROGRESS" is not supported.', str(exc))
        self.assertEqual('CREATE_IN_PROGRESS',
                         db_api.cluster_get(self.context, UUID1).status)

    def test_unknown_cluster(self):
        self.assertRaises(exception.ClusterNotFound,
                          db_api.cluster_update_unless_in_progress,
                          self.context, UUID1, {'status': 'X'})
