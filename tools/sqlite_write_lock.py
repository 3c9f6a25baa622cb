"""Serialise SQLite writers across the all-in-one's processes.

Installed by tools/allinone into its venv only (with a .pth file), so every
process there loads it; it acts on SQLite connections only, which there
are magnumlite's (its API and conductor share one database file; the
OpenStack services use MariaDB).

oslo.db opens every SQLite transaction with a plain (deferred) BEGIN. When
a transaction that began by reading then writes while another process
holds the write lock, SQLite cannot wait (waiting could deadlock) and fails
at once with "database is locked", whatever the busy timeout. Taking the
write lock at the start, with BEGIN IMMEDIATE, turns that failure into a
wait bounded by the busy timeout (30 s in tools/allinone's database URL).
A transaction opened while the same thread already holds the lock on that
database keeps the deferred BEGIN: waiting for our own lock would only
time out.
"""

import collections
import threading

try:
    from sqlalchemy import engine
    from sqlalchemy import event
except ImportError:      # loaded by every Python of the venv, pip included
    engine = None

_locks_held = threading.local()


def _held():
    if not hasattr(_locks_held, 'databases'):
        _locks_held.databases = collections.Counter()
    return _locks_held.databases


def _begin_immediate(conn):
    # oslo.db emits its own BEGIN unless "in_transaction" is already set.
    if conn.dialect.name != 'sqlite' or 'in_transaction' in conn.info:
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


if engine is not None:
    event.listen(engine.Engine, 'begin', _begin_immediate)
    event.listen(engine.Engine, 'commit', _release)
    event.listen(engine.Engine, 'rollback', _release)
