"""Whether a service is alive, judged from its heartbeats."""

from oslo_utils import timeutils

from magnumlite.conf import CONF


def service_is_up(mservice):
    """True if mservice reported within [conductor] service_down_time.

    A service that never heartbeated after being created counts from its
    creation. abs() because clocks of different hosts may disagree.
    """
    last_heartbeat = mservice['updated_at'] or mservice['created_at']
    elapsed = timeutils.delta_seconds(last_heartbeat, timeutils.utcnow())
    return abs(elapsed) <= CONF.conductor.service_down_time
