import os
import sqlite3

import fixtures
from oslo_db.sqlalchemy import engines
import sqlalchemy as sa
import testtools

from magnumlite.common import context
from magnumlite.db import api as db_api
from magnumlite.db import sqlite_writers
from tests.unit import base


class TestSQLiteWriters(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                 'db.sqlite')

    def _engine(self, serialised):
        engine = engines.create_engine('sqlite:///%s?timeout=10' % self.path)
        self.addCleanup(engine.dispose)
        if serialised:
            sqlite_writers.serialise_writers(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql('CREATE TABLE IF NOT EXISTS t (n INTEGER)')
        return engine

    def _another_writer_can_start(self):
        """Whether another connection gets the write lock, not waiting."""
        other = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            other.execute('BEGIN IMMEDIATE')
            other.execute('ROLLBACK')
            return True
        except sqlite3.OperationalError as exc:
            self.assertIn('database is locked', str(exc))
            return False
        finally:
            other.close()

    def test_a_transaction_holds_the_write_lock_from_its_begin(self):
        # So a second writer waits (busy timeout) at its BEGIN, instead of
        # failing with "database is locked" at its first write after a
        # read, which no timeout helps.
        engine = self._engine(serialised=True)
        with engine.begin() as conn:
            conn.exec_driver_sql('SELECT count(*) FROM t').scalar()
            self.assertFalse(self._another_writer_can_start())
        self.assertTrue(self._another_writer_can_start())

    def test_deferred_begin_without_it(self):
        engine = self._engine(serialised=False)
        with engine.begin() as conn:
            conn.exec_driver_sql('SELECT count(*) FROM t').scalar()
            self.assertTrue(self._another_writer_can_start())

    def test_nested_transaction_of_one_thread_does_not_wait_for_itself(self):
        engine = self._engine(serialised=True)
        # A read on another connection of the thread holding the lock (a
        # helper opening its own session) would wait for itself until its
        # timeout with BEGIN IMMEDIATE: it begins deferred instead.
        with engine.begin() as outer:
            outer.exec_driver_sql('INSERT INTO t VALUES (1)')
            with engine.begin() as inner:
                self.assertEqual(0, inner.exec_driver_sql(
                    'SELECT count(*) FROM t').scalar())
        self.assertTrue(self._another_writer_can_start())

    def test_an_in_memory_database_is_left_alone(self):
        engine = engines.create_engine('sqlite://')
        sqlite_writers.serialise_writers(engine)
        with engine.begin() as conn:
            self.assertNotIn('write_lock_of', conn.info)


class TestMagnumliteEngine(base.TestCase):

    def test_db_api_transactions_hold_the_write_lock(self):
        self.useFixture(base.Database(self.conf_fixture))
        path = db_api.get_engine().url.database
        admin = context.get_admin_context()

        @db_api.context_manager.writer
        def in_a_transaction(ctx):
            ctx.session.execute(sa.text('SELECT 1'))
            other = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                other.execute('BEGIN IMMEDIATE')
            except sqlite3.OperationalError as exc:
                return str(exc)
            finally:
                other.close()
        self.assertEqual('database is locked', in_a_transaction(admin))
