"""Server side of the conductor RPC API: the endpoint the RPC server calls.

The cluster casts only record what the user asked for (clusters.start_*)
and wake the sync pass, which does the Nova work for every cluster in
progress. A lock per cluster keeps a cast and a sync pass of one process
from working the same cluster at once, while different clusters are worked
in parallel (the sync pass drives up to [conductor] sync_threads clusters
at a time: their work is waiting on OpenStack APIs); several conductors
share clusters through claims in the database.

A cast is executed only while its request is still valid: its cluster is in
the state the API left it in and no bigger than [quotas]
max_nodes_per_cluster (the API checks the same; a message queued before
that check existed, or sent by anything else, is not trusted). Otherwise
it is dropped with a logged reason, and a cluster too big fails with it.
"""

import concurrent.futures
import threading

from oslo_concurrency import lockutils
from oslo_log import log as logging
import oslo_messaging as messaging
from oslo_utils import uuidutils

from magnumlite.common import context as ml_context
from magnumlite.common import exception
from magnumlite.common import servicegroup
from magnumlite.conductor import certificates
from magnumlite.conductor import clusters
from magnumlite.conf import CONF
from magnumlite.db import api as db_api

LOG = logging.getLogger(__name__)

BINARY = 'magnumlite-conductor'


class ConductorManager:

    # Keep in step with ConductorAPI.RPC_API_VERSION.
    target = messaging.Target(version='1.4')

    def __init__(self, host, claimant=None):
        self.host = host
        # The name this process claims clusters under (host/worker).
        self.claimant = claimant or '%s/0' % host
        # Set when there is Nova work to do before the next sync_interval.
        self.work_to_do = threading.Event()
        # Clusters at rest whose servers changed: their health is checked
        # at the next pass, not at the next health_interval.
        self._health_due = set()
        # guards _health_due; a cluster's work takes _cluster_lock(uuid)
        self._lock = threading.Lock()
        # Conductor hosts seen down at the last look (see hosts_went_down).
        self._dead_hosts = set()

    @staticmethod
    def _cluster_lock(cluster_uuid):
        # lockutils' internal (in-process) lock of that name, made on first
        # use and dropped when no thread holds or waits for it.
        return lockutils.lock('cluster-%s' % cluster_uuid)

    def ping(self, context):
        return {'host': self.host, 'binary': BINARY}

    def cluster_create(self, context, cluster_uuid):
        with self._cluster_lock(cluster_uuid):
            if _still_valid('CREATE', cluster_uuid):
                clusters.start_create(context, cluster_uuid)
        self.work_to_do.set()

    def cluster_update(self, context, cluster_uuid, node_count,
                       nodes_to_remove=None):
        with self._cluster_lock(cluster_uuid):
            if _still_valid('UPDATE', cluster_uuid, node_count):
                clusters.start_update(cluster_uuid, node_count,
                                      nodes_to_remove)
        self.work_to_do.set()

    def cluster_delete(self, context, cluster_uuid):
        # The API marked the cluster DELETE_IN_PROGRESS: the sync pass deletes.
        self.work_to_do.set()

    def bay_changed(self, context, cluster_uuid):
        """RPC (fanout): a server of the cluster changed; see cluster_changed.

        Its name is the RPC API's (1.4): other conductors, of this release
        or another, cast it by that name.
        """
        if not uuidutils.is_uuid_like(cluster_uuid):
            return      # never a cluster: nothing to look up
        try:
            cluster = db_api.cluster_get(ml_context.get_admin_context(),
                                         cluster_uuid)
        except exception.ClusterNotFound:
            return
        self.cluster_changed(cluster)

    def cluster_changed(self, cluster):
        """One of the cluster's servers changed (a Nova notification said so).

        A cluster in progress gets a sync pass now; one at rest a health
        check. Returns False, doing nothing, for a cluster another
        conductor holds: that one is to act.
        """
        if cluster.claimed_by not in (None, self.claimant):
            return False
        if cluster.status in clusters.AT_REST:
            with self._lock:
                self._health_due.add(cluster.uuid)
        self.work_to_do.set()
        return True

    def credential_rotate(self, context, cluster_uuid):
        with self._cluster_lock(cluster_uuid):
            return clusters.rotate_trust(context, cluster_uuid)

    # The API turns these into their HTTP answers; nothing to log here.
    @messaging.expected_exceptions(exception.MagnumliteException)
    def sign_certificate(self, context, cluster_uuid, csr):
        return certificates.sign(cluster_uuid, csr)

    def rotate_ca(self, context, cluster_uuid):
        with self._cluster_lock(cluster_uuid):
            clusters.start_ca_rotation(cluster_uuid)
        self.work_to_do.set()

    def sync_clusters(self):
        """One pass over every cluster in progress this conductor can claim.

        Returns True if a cluster waits for its COE (poll again soon),
        False if every cluster waits for Nova or for nothing.
        """
        admin = ml_context.get_admin_context()
        lease = CONF.conductor.claim_lease
        claimed = []
        dead_hosts = None
        for cluster in db_api.clusters_in_progress(admin):
            if clusters.awaiting_create_request(cluster, grace=lease):
                continue
            action = cluster.status.split('_', 1)[0]
            if action != 'DELETE' and _too_big(cluster) is not None:
                # Recorded before the limit was checked: never synced.
                clusters.fail(cluster.uuid, action, _too_big(cluster))
                continue
            if dead_hosts is None:
                dead_hosts = self._dead_conductor_hosts(admin)
            if db_api.cluster_claim(admin, cluster.uuid, self.claimant,
                                    lease, dead_hosts):
                claimed.append(cluster.uuid)
        if len(claimed) <= 1:
            return any([self._sync_one(uuid) for uuid in claimed])
        with concurrent.futures.ThreadPoolExecutor(
                min(len(claimed), CONF.conductor.sync_threads),
                thread_name_prefix='sync') as pool:
            return any(list(pool.map(self._sync_one, claimed)))

    def _sync_one(self, cluster_uuid):
        """One cluster's sync pass; True if it waits for its COE."""
        with self._cluster_lock(cluster_uuid):
            try:
                return clusters.sync(db_api.cluster_get(
                    ml_context.get_admin_context(), cluster_uuid),
                    self.claimant)
            except Exception:
                # One cluster's trouble must not stop the others' sync.
                LOG.exception('Sync of cluster %s failed', cluster_uuid)
                return False

    def _dead_conductor_hosts(self, admin):
        """Other conductor hosts whose heartbeats stopped.

        Their clusters are taken over at once, not when their claims'
        leases end: a conductor that stopped heartbeating stopped driving
        them (its heartbeat and its clusters' writes go to the same
        database).
        """
        return [s.host for s in db_api.mservice_list(admin)
                if s.binary == BINARY and s.host != self.host and not (
                    servicegroup.service_is_up(s))]

    def hosts_went_down(self):
        """Look again at the other conductor hosts (after a heartbeat).

        If one went down since the last look, the sync pass runs now: the
        clusters it held are this conductor's to take over, and no Nova
        notification may come to wake it before sync_interval.
        """
        dead = set(self._dead_conductor_hosts(
            ml_context.get_admin_context()))
        went_down = dead - self._dead_hosts
        self._dead_hosts = dead
        if went_down:
            LOG.warning('Conductor host(s) %s stopped heartbeating: taking '
                        'over their clusters in progress',
                        ', '.join(sorted(went_down)))
            self.work_to_do.set()
        return bool(went_down)

    def check_clusters_health(self, only_due=False):
        """Check the health of every cluster at rest.

        only_due: only of those whose servers changed since the last check.

        As in Magnum, every conductor checks every cluster: a check only
        reads Nova and writes a change.
        """
        admin = ml_context.get_admin_context()
        with self._lock:
            due, self._health_due = self._health_due, set()
        if only_due and not due:
            return
        for cluster in db_api.clusters_with_status(admin, clusters.AT_REST):
            if only_due and cluster.uuid not in due:
                continue
            if not cluster.trust_id:
                continue
            with self._cluster_lock(cluster.uuid):
                try:
                    clusters.check_health(cluster)
                except Exception:
                    LOG.exception('Health check of cluster %s failed',
                                  cluster.uuid)


def _too_big(cluster, node_count=None):
    """Why the cluster may not have its nodes (with node_count workers)."""
    workers = cluster.node_count if node_count is None else node_count
    limit = CONF.quotas.max_nodes_per_cluster
    if not isinstance(workers, int) or workers < 0:
        return 'node_count %r is not a number of nodes' % (workers,)
    if cluster.master_count + workers > limit:
        return ('%d masters and %d workers are more nodes than a cluster '
                'may have, %d ([quotas] max_nodes_per_cluster)'
                % (cluster.master_count, workers, limit))
    return None


def _still_valid(action, cluster_uuid, node_count=None):
    """True if the cluster's cast for action may be executed.

    Otherwise the cast is dropped, with its reason in the log and, for a
    cluster too big, in the cluster's status_reason (<action>_FAILED).
    """
    admin = ml_context.get_admin_context()
    try:
        cluster = db_api.cluster_get(admin, cluster_uuid)
    except exception.ClusterNotFound:
        LOG.warning('Dropped %s of cluster %s: it no longer exists',
                    action, cluster_uuid)
        return False
    if cluster.status != '%s_IN_PROGRESS' % action:
        LOG.warning('Dropped %s of cluster %s: it is %s now', action,
                    cluster_uuid, cluster.status)
        return False
    reason = _too_big(cluster, node_count)
    if reason is not None:
        LOG.warning('Dropped %s of cluster %s: %s', action, cluster_uuid,
                    reason)
        clusters.fail(cluster_uuid, action, reason)
        return False
    return True
