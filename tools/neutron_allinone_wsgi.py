"""Neutron's API (neutron.wsgi.api) as the all-in-one serves it, on SQLite.

SQLite locks the whole database for a writer, where MySQL locks rows. With
the OVN driver that turns one of Neutron's habits into a 30 s stall: a
thread handling a port-up event writes in a transaction while it waits for
an OVN IDL thread, and that IDL thread, when its hash ring node's heartbeat
is older than HASH_RING_TOUCH_INTERVAL (15 s), first writes the heartbeat
itself (ovsdb_monitor.OvnIdlDistributedLock.notify). The heartbeat waits for
the database lock, the lock holder waits for the IDL thread, until SQLite's
busy timeout fails the heartbeat. Nova's network-vif-plugged event is 30 s
late and the boot with it.

The same API process already touches the node every 15 s from a periodic
thread (HashRingHealthCheckPeriodics, whose spacing is fixed when its module
is imported). The IDL thread judges the last touch from its hash ring's
cache, reloaded every 60 s, so what it sees may be 75 s old while that
thread works. Raising its threshold after that import to 90 s (below the
120 s after which a node counts as dead) leaves the heartbeat to the
periodic thread, which waits on nobody, so the IDL thread never writes (at
60 s it still did, now and then, and stalled 30 s).

It still reads: every 60 s its hash ring reloads the nodes from the
database, and a read takes the write lock too (tools/sqlite_write_lock.py).
Routers made that a deadlock of its own: a request adding a router
interface holds the lock while it waits for the IDL thread, which waits
for the lock; every request stalled 30 s, the heartbeat failed, and the IDL
thread began to write again. The hash ring's reads therefore keep SQLite's
deferred BEGIN (a reader in WAL mode waits for nobody).
"""

import functools

import allinone_sqlite_write_lock
from neutron.common.ovn import constants as ovn_const
from neutron.common.ovn import hash_ring_manager
# Imported first: binds the periodic heartbeat's spacing to 15 s.
from neutron.plugins.ml2.drivers.ovn.mech_driver.ovsdb import (  # noqa: F401
    maintenance)

IDL_TOUCH_INTERVAL = 90
NODES_TIMEOUT = ovn_const.HASH_RING_NODES_TIMEOUT
PERIODIC_TOUCH = ovn_const.HASH_RING_TOUCH_INTERVAL
CACHE_TIMEOUT = ovn_const.HASH_RING_CACHE_TIMEOUT
assert PERIODIC_TOUCH + CACHE_TIMEOUT < IDL_TOUCH_INTERVAL < NODES_TIMEOUT
ovn_const.HASH_RING_TOUCH_INTERVAL = IDL_TOUCH_INTERVAL


def _reads_only(load):
    @functools.wraps(load)
    def load_reading_only(*args, **kwargs):
        with allinone_sqlite_write_lock.reads_only():
            return load(*args, **kwargs)
    return load_reading_only


hash_ring_manager.HashRingManager._load_hash_ring = _reads_only(
    hash_ring_manager.HashRingManager._load_hash_ring)

from neutron.wsgi.api import application  # noqa: E402,F401
