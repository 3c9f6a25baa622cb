"""Stop SQLite from reusing Heat's resource_properties_data ids.

Heat's convergence engine keeps a resource's cached attributes in a
resource_properties_data row and remembers that row's id in the resource
object it is working with. On MySQL and PostgreSQL ids are never handed out
twice, so a stale id names nothing. On SQLite a plain INTEGER PRIMARY KEY
reuses the highest id once that row is deleted, and this happens on every
in-place update of a stack whose outputs were read after its create:

  1. `openstack stack show` stores the attributes as row N (the highest);
  2. the update deletes row N and stores the new properties as row N again;
  3. after the update the worker clears the attributes it still knows as
     row N, deleting the resource's new properties.

The stack then stays UPDATE_IN_PROGRESS, or shows "ResourcePropertiesData
with id N not found". AUTOINCREMENT makes SQLite never reuse an id, as the
other databases do. This rebuilds the table with it (rows kept); it does
nothing if the table already has it.

    python heat_sqlite_no_id_reuse.py /path/to/heat.sqlite
"""

import sqlite3
import sys

TABLE = 'resource_properties_data'


def has_autoincrement(conn):
    sql, = conn.execute("SELECT sql FROM sqlite_master WHERE type='table' "
                        "AND name=?", (TABLE,)).fetchone()
    return 'AUTOINCREMENT' in sql.upper()


def rebuild(path):
    conn = sqlite3.connect(path, timeout=60, isolation_level=None)
    try:
        if has_autoincrement(conn):
            return False
        columns = conn.execute('PRAGMA table_info(%s)' % TABLE).fetchall()
        # (cid, name, type, notnull, default, pk)
        defs = ['%s INTEGER PRIMARY KEY AUTOINCREMENT' % name if pk
                else '%s %s' % (name, type_)
                for _cid, name, type_, _nn, _default, pk in columns]
        names = ', '.join(c[1] for c in columns)
        conn.execute('BEGIN IMMEDIATE')
        conn.execute('CREATE TABLE %s_new (%s)' % (TABLE, ', '.join(defs)))
        # copying sets sqlite_sequence to the highest id in use
        conn.execute('INSERT INTO %s_new (%s) SELECT %s FROM %s'
                     % (TABLE, names, names, TABLE))
        conn.execute('DROP TABLE %s' % TABLE)
        conn.execute('ALTER TABLE %s_new RENAME TO %s' % (TABLE, TABLE))
        conn.execute('COMMIT')
        return True
    finally:
        conn.close()


if __name__ == '__main__':
    if rebuild(sys.argv[1]):
        print('%s: %s ids are no longer reused' % (sys.argv[1], TABLE))
