"""Client side of the conductor RPC API."""

import oslo_messaging as messaging

from magnumlite.common import rpc
from magnumlite.conf import CONF


class ConductorAPI:
    """Client side of the conductor RPC API.

    API version history:

    * 1.0 - Initial version: ping.
    * 1.1 - cluster_create, cluster_update, cluster_delete.
    * 1.2 - credential_rotate.
    * 1.3 - sign_certificate, rotate_ca.
    * 1.4 - bay_changed (fanout).
    """

    RPC_API_VERSION = '1.4'

    def __init__(self, topic=None):
        target = messaging.Target(topic=topic or CONF.conductor.topic,
                                  version=self.RPC_API_VERSION)
        self.client = rpc.get_client(target)

    def ping(self, context, timeout=None):
        """Ask any conductor on the topic who it is; waits for the answer.

        :returns: {'host': ..., 'binary': ...} of the answering conductor.
        """
        cctxt = self.client.prepare(timeout=timeout)
        return cctxt.call(context, 'ping')

    # The cluster operations are casts: the API has already marked the
    # cluster *_IN_PROGRESS, and the conductor reports back through it.

    def cluster_create(self, context, cluster_uuid):
        """Provision the cluster's servers.

        context carries the user's token, from which the conductor makes
        the trust it acts through later.
        """
        self.client.prepare(version='1.1').cast(
            context, 'cluster_create', cluster_uuid=cluster_uuid)

    def cluster_update(self, context, cluster_uuid, node_count,
                       nodes_to_remove=None):
        """Resize the cluster to node_count workers.

        nodes_to_remove (node uuids, server ids or names) go first when it
        shrinks; the newest workers make up the rest.
        """
        self.client.prepare(version='1.1').cast(
            context, 'cluster_update', cluster_uuid=cluster_uuid,
            node_count=node_count, nodes_to_remove=nodes_to_remove)

    def cluster_delete(self, context, cluster_uuid):
        """Delete the cluster's servers, its trust, then the cluster."""
        self.client.prepare(version='1.1').cast(
            context, 'cluster_delete', cluster_uuid=cluster_uuid)

    def credential_rotate(self, context, cluster_uuid):
        """Give the cluster a new trust from the user of context.

        A call, as in Magnum (nothing slow to wait for): returns None, or
        why the rotation failed.
        """
        return self.client.prepare(version='1.2').call(
            context, 'credential_rotate', cluster_uuid=cluster_uuid)

    def sign_certificate(self, context, cluster_uuid, csr):
        """The PEM of a client certificate of the cluster's CA for csr.

        A call: only a conductor can use the CA's private key.
        """
        return self.client.prepare(version='1.3').call(
            context, 'sign_certificate', cluster_uuid=cluster_uuid, csr=csr)

    def bay_changed(self, context, cluster_uuid):
        """Tell every conductor one of the cluster's servers changed.

        A fanout cast: the conductor holding the cluster's claim acts on it
        (nova_notifications.py); the others find nothing to do.
        """
        self.client.prepare(version='1.4', fanout=True).cast(
            context, 'bay_changed', cluster_uuid=cluster_uuid)

    def rotate_ca(self, context, cluster_uuid):
        """Give the cluster a new CA and its nodes certificates of it.

        The API has marked the cluster UPDATE_IN_PROGRESS.
        """
        self.client.prepare(version='1.3').cast(
            context, 'rotate_ca', cluster_uuid=cluster_uuid)
