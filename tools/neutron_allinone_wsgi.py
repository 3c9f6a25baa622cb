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
is imported). Raising the IDL thread's own threshold after that import to
60 s (half the time after which a node counts as dead) leaves the
heartbeat to that thread, which waits on nobody, so the IDL thread never
writes.
"""

from neutron.common.ovn import constants as ovn_const
# Imported first: binds the periodic heartbeat's spacing to 15 s.
from neutron.plugins.ml2.drivers.ovn.mech_driver.ovsdb import (  # noqa: F401
    maintenance)

IDL_TOUCH_INTERVAL = 60
NODES_TIMEOUT = ovn_const.HASH_RING_NODES_TIMEOUT
assert ovn_const.HASH_RING_TOUCH_INTERVAL < IDL_TOUCH_INTERVAL < NODES_TIMEOUT
ovn_const.HASH_RING_TOUCH_INTERVAL = IDL_TOUCH_INTERVAL

from neutron.wsgi.api import application  # noqa: E402,F401
