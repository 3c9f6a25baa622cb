"""What the benchmark scripts in tools/ share: a connection, a poll loop."""

import time

import openstack

POLL = 0.2


def connect():
    """A connection for the OS_* environment (`source .allinone/openrc`)."""
    return openstack.connect()


def poll(predicate, what, timeout):
    """Call predicate every POLL seconds until it returns something true."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise SystemExit('timed out waiting for %s' % what)
        time.sleep(POLL)
