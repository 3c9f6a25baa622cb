"""Several writers on magnumlite's SQLite database (its default).

The API and the conductor (and the conductor's sync threads) write to one
SQLite file. oslo.db opens every transaction with a plain, deferred BEGIN.
When a transaction that began by reading then writes while another
connection holds the write lock, SQLite cannot wait (waiting could
deadlock) and fails at once with "database is locked", whatever the busy
timeout. Taking the write lock at the start, with BEGIN IMMEDIATE, turns
that failure into a wait bounded by the busy timeout (the ``timeout``
parameter of the database URL; pysqlite's default is 5 s).

A transaction opened while the same thread already holds the lock on that
database keeps the deferred BEGIN: waiting for our own lock would only time
out. MariaDB and PostgreSQL are left alone: they lock rows, not the file.
"""

import collections
import threading
import weakref

import sqlalchemy
from sqlalchemy import event

_locks_held = threading.local()
_serialised = weakref.WeakSet()


def _held():
    if not hasattr(_locks_held, 'databases'):
        _locks_held.databases = collections.Counter()
    return _locks_held.databases


def _begin_immediate(conn):
    # oslo.db emits its own BEGIN unless "in_transaction" is already set.
    if conn.engine not in _serialised or 'in_transaction' in conn.info:
        return
    database = conn.engine.url.database
    if not database or database == ':memory:' or _held()[database]:
        return
    conn.exec_driver_sql('BEGIN IMMEDIATE')
    conn.info['in_transaction'] = True
    conn.info['write_lock_of'] = database
    _held()[database] += 1


def _release(conn):
    database = conn.info.pop('write_lock_of', None)
    if database:
        _held()[database] -= 1


def serialise_writers(engine):
    """Make each transaction on a SQLite engine take the write lock first."""
    if engine.dialect.name == 'sqlite':
        _serialised.add(engine)


# On the class: its listeners run before those oslo.db sets on each engine
# (its deferred BEGIN), which an engine's own listener would come after.
event.listen(sqlalchemy.engine.Engine, 'begin', _begin_immediate)
event.listen(sqlalchemy.engine.Engine, 'commit', _release)
event.listen(sqlalchemy.engine.Engine, 'rollback', _release)
