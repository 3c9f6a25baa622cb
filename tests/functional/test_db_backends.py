"""magnumlite's migrations and queries on MariaDB and PostgreSQL.

The all-in-one and the unit tests run on SQLite; production runs MariaDB
or PostgreSQL, where types, constraints and concurrent UPDATEs behave
differently. tools/test-setup.sh (run by tools/run-tests) starts both
servers on 127.0.0.1 with OpenStack's test account; each test gets a
database of its own, created and dropped here.
"""

import uuid

from alembic import autogenerate
from alembic import migration as alembic_migration
from alembic import script as alembic_script
import fixtures
import sqlalchemy as sa

from magnumlite.common import context
from magnumlite.common import exception
from magnumlite.db import api as db_api
from magnumlite.db import migration
from magnumlite.db import models
from tests.unit import base

CITEST = 'openstack_citest'


class ServerDatabase(fixtures.Fixture):
    """A new, empty database on server_url, used by db_api, then dropped."""

    def __init__(self, conf_fixture, server_url):
        super().__init__()
        self.conf_fixture = conf_fixture
        self.server_url = sa.engine.make_url(server_url)

    def _setUp(self):
        name = 'magnumlite_%s' % uuid.uuid4().hex[:12]
        admin = sa.create_engine(self.server_url,
                                 isolation_level='AUTOCOMMIT')
        self.addCleanup(admin.dispose)
        with admin.connect() as connection:
            connection.exec_driver_sql('CREATE DATABASE %s' % name)
        self.addCleanup(self._drop, admin, name)
        self.url = self.server_url.set(database=name)
        self.conf_fixture.config(
            group='database',
            connection=self.url.render_as_string(hide_password=False))
        manager = db_api.transaction_context()
        self.addCleanup(db_api.context_manager.patch_factory(manager))
        self.addCleanup(manager.dispose_pool)

    @staticmethod
    def _drop(admin, name):
        with admin.connect() as connection:
            connection.exec_driver_sql('DROP DATABASE %s' % name)


class BackendTests:
    """The tests, run by one TestCase per server (SERVER_URL)."""

    SERVER_URL = None

    def setUp(self):
        super().setUp()
        self.db = self.useFixture(ServerDatabase(self.conf_fixture,
                                                 self.SERVER_URL))
        self.context = context.get_admin_context()

    def test_migrations_reach_head_and_match_the_models(self):
        migration.upgrade('head')

        head = alembic_script.ScriptDirectory(
            migration._SCRIPT_LOCATION).get_current_head()
        self.assertEqual(head, migration.version())
        with db_api.get_engine().connect() as connection:
            diff = autogenerate.compare_metadata(
                alembic_migration.MigrationContext.configure(connection),
                models.Base.metadata)
        self.assertEqual([], diff)

    def _cluster_with_nodes(self, name, project_id='p1'):
        cluster = db_api.cluster_create(self.context, {
            'name': name, 'project_id': project_id, 'user_id': 'u1',
            'cluster_template_id': 'ct', 'status': 'CREATE_IN_PROGRESS',
            'labels': {'availability_zone': 'docker'}})
        for role, node in (('master', 'master-0'), ('worker', 'node-0')):
            db_api.node_create(self.context, cluster.uuid, {
                'role': role, 'name': '%s-%s' % (name, node),
                'status': 'ACTIVE', 'addresses': ['10.0.0.1', 'fd00::1']})
        return cluster

    def test_clusters_nodes_and_claims(self):
        migration.upgrade('head')
        first = self._cluster_with_nodes('first')
        second = self._cluster_with_nodes('second', project_id='p2')

        # JSON columns round-trip; lists filter by project.
        self.assertEqual({'availability_zone': 'docker'},
                         db_api.cluster_get(self.context, 'first').labels)
        self.assertEqual(['first'], [c.name for c in db_api.cluster_list(
            self.context, filters={'project_id': 'p1'})])
        # A page's JSON columns are read as text and decoded together.
        db_api.cluster_update(self.context, second.uuid,
                              {'labels': {'k': 'a,b]', 'ü': [1, {}]}})
        self.assertEqual(
            [{'availability_zone': 'docker'}, {'k': 'a,b]', 'ü': [1, {}]}],
            [c.labels for c in db_api.cluster_list(self.context)])
        nodes = db_api.node_list_by_cluster(self.context,
                                            [first.id, second.id])
        self.assertEqual([['10.0.0.1', 'fd00::1']] * 2,
                         [n.addresses for n in nodes[first.id]])

        # One conductor holds a claim; another cannot take it over.
        self.assertTrue(db_api.cluster_claim(self.context, first.uuid,
                                             'conductor-a', 60))
        self.assertFalse(db_api.cluster_claim(self.context, first.uuid,
                                              'conductor-b', 60))
        self.assertTrue(db_api.cluster_claim(self.context, first.uuid,
                                             'conductor-a', 60))
        db_api.cluster_release(self.context, first.uuid, 'conductor-a')
        self.assertTrue(db_api.cluster_claim(self.context, first.uuid,
                                             'conductor-b', 60))

        # An operation under way refuses another.
        self.assertRaises(
            exception.ClusterOperationInProgress,
            db_api.cluster_update_unless_in_progress, self.context,
            first.uuid, {'status': 'DELETE_IN_PROGRESS'})

        # Deleting a cluster takes its nodes, and only its nodes.
        db_api.cluster_destroy(self.context, first.uuid)
        self.assertEqual([], db_api.node_list_by_cluster(
            self.context, [first.id])[first.id])
        self.assertEqual(2, len(db_api.node_list(self.context,
                                                 second.uuid)))

    def test_duplicate_cluster_uuid_is_refused(self):
        migration.upgrade('head')
        cluster = self._cluster_with_nodes('dup')
        self.assertRaises(
            exception.ClusterAlreadyExists, db_api.cluster_create,
            self.context, {'uuid': cluster.uuid, 'name': 'other',
                           'project_id': 'p1'})


class TestMariaDB(BackendTests, base.TestCase):

    SERVER_URL = 'mysql+pymysql://%s:%s@127.0.0.1/?charset=utf8mb4' % (
        CITEST, CITEST)


class TestPostgreSQL(BackendTests, base.TestCase):

    SERVER_URL = 'postgresql+psycopg2://%s:%s@127.0.0.1/postgres' % (
        CITEST, CITEST)
