"""Nova's versioned notifications -> work on the clusters they are about.

Instead of asking Nova every few seconds how a cluster's servers are doing,
the conductor hears it: a server of a cluster in progress was built,
failed, was deleted or changed state, so that cluster gets a sync pass now;
a server of a cluster at rest changed state, so that cluster's health is
checked now. The periodic pass ([conductor] sync_interval) stays as the
safety net.

All conductors read one queue, so each notification reaches one of them.
The one that hears about a cluster another conductor holds the claim on
tells every conductor (a fanout cast) and the holder acts; a cluster nobody
holds is worked by whoever heard.
"""

from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_utils import uuidutils

from magnumlite.common import context as ml_context
from magnumlite.conductor import rpcapi
from magnumlite.conf import CONF
from magnumlite.db import api as db_api

LOG = logging.getLogger(__name__)

# What changes a cluster: a build that ended either way, a deletion, a
# vm state change (instance.update, see changes_nothing), a stop or start
# behind the cluster's back.
EVENT_TYPES = (r'^instance\.(create\.(end|error)|delete\.end|update'
               r'|power_off\.end|power_on\.end|shutdown\.end)$')

# The shared queue (an oslo.messaging listener pool).
POOL = 'magnumlite-nova-notifications'


def server_id(payload):
    """The instance uuid of a versioned instance payload, or None.

    Anything else on the bus (a payload of another shape, a uuid that is
    not one) is None: it never reaches the database.
    """
    if not isinstance(payload, dict):
        return None
    data = payload.get('nova_object.data')
    uuid = data.get('uuid') if isinstance(data, dict) else None
    return uuid if uuidutils.is_uuid_like(uuid) else None


def changes_nothing(event_type, payload):
    """Whether this is an instance.update that keeps the server's vm state.

    Nova sends instance.update on every save of an instance, whatever
    notify_on_state_change says (that option only adds the state change to
    it): about six per server built (scheduling, networking, block devices,
    spawning...). Each woke a sync pass that listed the cluster's servers
    while Nova was still building them. Only a vm state change moves a
    cluster; an update of another shape is taken as one.
    """
    if event_type != 'instance.update':
        return False
    update = payload['nova_object.data'].get('state_update')
    update = (update.get('nova_object.data')
              if isinstance(update, dict) else None)
    if not isinstance(update, dict) or 'old_state' not in update:
        return False
    return update['old_state'] == update.get('state')


class NovaNotificationEndpoint:

    filter_rule = messaging.NotificationFilter(event_type=EVENT_TYPES)

    def __init__(self, manager):
        self._manager = manager
        self._conductors = rpcapi.ConductorAPI()

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        uuid = server_id(payload)
        if uuid is None or changes_nothing(event_type, payload):
            return
        cluster = db_api.cluster_of_server(ml_context.get_admin_context(),
                                           uuid)
        if cluster is None:
            return      # not a cluster's server
        LOG.debug('%s of server %s of cluster %s', event_type, uuid,
                  cluster.uuid)
        if not self._manager.cluster_changed(cluster):
            # Another conductor holds it: tell them all; the holder acts.
            self._conductors.bay_changed(ml_context.get_admin_context(),
                                         cluster.uuid)

    # instance.create.error is sent at priority error.
    error = info


def get_listener(manager):
    """The notification listener for manager's conductor (not started)."""
    transport = messaging.get_notification_transport(CONF)
    target = messaging.Target(topic=CONF.conductor.nova_notification_topic,
                              exchange=CONF.conductor.nova_control_exchange)
    return messaging.get_notification_listener(
        transport, [target], [NovaNotificationEndpoint(manager)],
        executor='threading', pool=POOL)
