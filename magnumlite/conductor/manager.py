"""Server side of the conductor RPC API: the endpoint the RPC server calls.

The cluster casts only record what the user asked for (bay.start_*) and
wake the sync pass, which does the Nova work for every bay in progress.
One lock per process keeps a cast and a sync pass from working the same
bay at once; several conductors share bays through claims in the database.
"""

import threading

from oslo_log import log as logging
import oslo_messaging as messaging

from magnumlite.common import context as ml_context
from magnumlite.common import exception
from magnumlite.conductor import bay
from magnumlite.conductor import certificates
from magnumlite.conf import CONF
from magnumlite.db import api as db_api

LOG = logging.getLogger(__name__)

BINARY = 'magnumlite-conductor'


class ConductorManager:

    # Keep in step with ConductorAPI.RPC_API_VERSION.
    target = messaging.Target(version='1.3')

    def __init__(self, host):
        self.host = host
        # Set when there is Nova work to do before the next sync_interval.
        self.work_to_do = threading.Event()
        self._lock = threading.Lock()

    def ping(self, context):
        return {'host': self.host, 'binary': BINARY}

    def cluster_create(self, context, cluster_uuid):
        with self._lock:
            bay.start_create(context, cluster_uuid)
        self.work_to_do.set()

    def cluster_update(self, context, cluster_uuid, node_count,
                       nodes_to_remove=None):
        with self._lock:
            bay.start_update(cluster_uuid, node_count, nodes_to_remove)
        self.work_to_do.set()

    def cluster_delete(self, context, cluster_uuid):
        # The API marked the bay DELETE_IN_PROGRESS: the sync pass deletes.
        self.work_to_do.set()

    def credential_rotate(self, context, cluster_uuid):
        with self._lock:
            return bay.rotate_trust(context, cluster_uuid)

    # The API turns these into their HTTP answers; nothing to log here.
    @messaging.expected_exceptions(exception.MagnumliteException)
    def sign_certificate(self, context, cluster_uuid, csr):
        return certificates.sign(cluster_uuid, csr)

    def rotate_ca(self, context, cluster_uuid):
        with self._lock:
            bay.start_ca_rotation(cluster_uuid)
        self.work_to_do.set()

    def sync_bays(self):
        """One pass over every bay in progress this conductor can claim."""
        admin = ml_context.get_admin_context()
        lease = CONF.conductor.claim_lease
        for cluster in db_api.clusters_in_progress(admin):
            if bay.awaiting_create_request(cluster, grace=lease):
                continue
            if not db_api.cluster_claim(admin, cluster.uuid, self.host,
                                        lease):
                continue
            with self._lock:
                try:
                    bay.sync(db_api.cluster_get(admin, cluster.uuid),
                             self.host)
                except Exception:
                    # One bay's trouble must not stop the others' sync.
                    LOG.exception('Sync of cluster %s failed', cluster.uuid)

    def check_bays_health(self):
        """Check the health of every bay at rest.

        As in Magnum, every conductor checks every bay: a check only reads
        Nova and writes a change.
        """
        admin = ml_context.get_admin_context()
        for cluster in db_api.clusters_with_status(admin, bay.AT_REST):
            if not cluster.trust_id:
                continue
            with self._lock:
                try:
                    bay.check_health(cluster)
                except Exception:
                    LOG.exception('Health check of cluster %s failed',
                                  cluster.uuid)
