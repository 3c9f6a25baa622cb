"""A cluster's certificate authority, as the conductor keeps it.

Every cluster whose template does not disable TLS gets a CA of its own when
it is created, and with it a client certificate the conductor drives the
cluster's nodes with. The CA signs users' CSRs (the certificates API) and
the nodes' server certificates.

Rotating the CA is two steps with a recorded state between them, so that a
conductor that dies half way can still reach every node: start_rotation()
stores a new CA and client certificate as pending; once the nodes use
certificates of the new CA, finish_rotation() makes it the cluster's CA and
the old one is gone (clients holding its certificates are refused).
"""

from oslo_log import log as logging

from magnumlite.common import context as ml_context
from magnumlite.common import exception
from magnumlite.common import x509
from magnumlite.db import api as db_api

LOG = logging.getLogger(__name__)

# The common name of the conductor's client certificate of each cluster.
CONDUCTOR_CLIENT_NAME = 'magnumlite-conductor'


def _admin():
    return ml_context.get_admin_context()


def _new_authority(cluster):
    """{ca_*, client_*} column values of a new CA and client certificate."""
    ca = x509.generate_ca(cluster.name or cluster.uuid)
    client = x509.issue_client(ca, CONDUCTOR_CLIENT_NAME)
    return {'ca_cert': ca.cert, 'ca_key': x509.encrypt_key(ca.key),
            'client_cert': client.cert,
            'client_key': x509.encrypt_key(client.key)}


def ensure(cluster):
    """Give a TLS cluster its CA unless it has one; idempotent."""
    if db_api.certificates_get(_admin(), cluster.uuid) is None:
        db_api.certificates_create(_admin(), cluster.uuid,
                                   _new_authority(cluster))
        LOG.info('Cluster %s has its CA', cluster.uuid)


def _stored(cluster_uuid):
    row = db_api.certificates_get(_admin(), cluster_uuid)
    if row is None:
        raise exception.NotSupported(
            operation='Certificates of a cluster with TLS disabled (or '
                      'still without its CA)')
    return row


def _pair(row, kind, pending=False):
    """x509.KeyPair of kind ('ca' or 'client'), its key decrypted."""
    prefix = 'pending_' if pending else ''
    return x509.KeyPair(row[prefix + kind + '_cert'],
                        x509.decrypt_key(row[prefix + kind + '_key']))


def ca_certificate(cluster_uuid):
    """The PEM of the cluster's CA (what `coe ca show` shows)."""
    return _stored(cluster_uuid).ca_cert


def sign(cluster_uuid, csr_pem):
    """A client certificate of the cluster's CA for a user's CSR."""
    x509.load_csr(csr_pem)  # refused before the CA key is decrypted
    return x509.sign_csr(_pair(_stored(cluster_uuid), 'ca'), csr_pem)


def authorities(cluster_uuid):
    """[(CA, conductor client KeyPair)]: the current one, then any pending.

    What the conductor may reach a node with: during a rotation a node
    answers with either.
    """
    row = _stored(cluster_uuid)
    pairs = [(_pair(row, 'ca'), _pair(row, 'client'))]
    if row.pending_ca_cert:
        pairs.append((_pair(row, 'ca', True), _pair(row, 'client', True)))
    return pairs


def node_certificate(cluster_uuid, node_name, names, pending=False):
    """A new server KeyPair for a node's engine, and the CA's PEM.

    names: the node's host name and every address clients reach it by.
    pending: signed by the CA a rotation under way is moving to.
    """
    row = _stored(cluster_uuid)
    if pending and not row.pending_ca_cert:
        pending = False
    ca = _pair(row, 'ca', pending)
    return x509.issue_server(ca, node_name, names), ca.cert


def start_rotation(cluster):
    """Store a new CA and client certificate as pending (once)."""
    row = _stored(cluster.uuid)
    if row.pending_ca_cert:
        return
    db_api.certificates_update(_admin(), cluster.uuid, {
        'pending_' + column: value
        for column, value in _new_authority(cluster).items()})
    LOG.info('Cluster %s: CA rotation started', cluster.uuid)


def rotation_pending(cluster_uuid):
    row = db_api.certificates_get(_admin(), cluster_uuid)
    return bool(row and row.pending_ca_cert)


def finish_rotation(cluster_uuid):
    """Make the pending CA the cluster's; the old one is forgotten."""
    row = _stored(cluster_uuid)
    if not row.pending_ca_cert:
        return
    values = {}
    for column in ('ca_cert', 'ca_key', 'client_cert', 'client_key'):
        values[column] = row['pending_' + column]
        values['pending_' + column] = None
    db_api.certificates_update(_admin(), cluster_uuid, values)
    LOG.info('Cluster %s: CA rotated', cluster_uuid)
