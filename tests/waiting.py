"""Waiting for something to happen: the one poll loop of the tests and
benchmarks."""

import time


def wait_until(predicate, what='condition', timeout=60, interval=0.5):
    """Call predicate every interval seconds until it returns a true value.

    Returns that value; raises AssertionError after timeout seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError('timed out after %ss waiting for %s'
                                 % (timeout, what))
        time.sleep(interval)
