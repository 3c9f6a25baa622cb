"""/v1/certificates: a cluster's CA, signing CSRs with it, rotating it.

What `openstack coe ca show|sign|rotate` and `openstack coe cluster
config` use. The CA certificate is public and read from the database;
signing and rotating need the CA's private key, which only a conductor
can decrypt, so they are RPC calls (a cast for the rotation, which
re-issues every node's certificate). No private key is ever part of an
answer: a client signs a CSR of its own key.
"""

import oslo_messaging as messaging
from oslo_utils import timeutils

from magnumlite.api import project_scope
from magnumlite.api import response
from magnumlite.api.schemas import certificate as schema
from magnumlite.api.schemas import cluster_template as template_schema
from magnumlite.api import validation
from magnumlite.common import exception
from magnumlite.common import x509
from magnumlite.db import api as db_api


def _cluster(req, ident, action):
    """The cluster, if the request may see it; then the policy check."""
    row = project_scope.visible_cluster(req, ident)
    req.context.can('certificate:%s' % action,
                    {'project_id': row.project_id})
    return row


def _tls_template(context, cluster, operation):
    """The cluster's template; NotSupported unless its COE API is TLS.

    Only the COEs magnumlite runs (swarm) have an API, and so a CA; a
    kubernetes cluster is its servers only.
    """
    try:
        template = db_api.cluster_template_get(context,
                                               cluster.cluster_template_id)
    except exception.ClusterTemplateNotFound:
        template = None
    if template is None or template.tls_disabled or (
            template.coe not in template_schema.TLS_REQUIRED):
        raise exception.NotSupported(
            operation='%s of a cluster without a TLS COE API' % operation)
    return template


def _body(req, cluster_uuid, pem, **extra):
    body = {'cluster_uuid': cluster_uuid, 'pem': pem,
            'links': response.links(req, 'certificates', cluster_uuid)}
    body.update(extra)
    return body


def show_certificate(req):
    """GET /v1/certificates/{cluster_ident}: the cluster's CA."""
    row = _cluster(req, req.urlvars['cluster_ident'], 'get')
    ca_cert_type = req.GET.get('ca_cert_type')
    if ca_cert_type not in (None, '', 'kubernetes'):
        raise exception.InvalidParameterValue(
            err='ca_cert_type %s is not supported: a magnumlite cluster has '
                'one CA.' % ca_cert_type[:64])
    _tls_template(req.context, row, 'Showing the CA certificate')
    certificates = db_api.certificates_get(req.context, row.uuid)
    if certificates is None:
        raise exception.NotSupported(
            operation='Showing the CA certificate of a cluster still '
                      'without its CA')
    return response.json_response(_body(req, row.uuid,
                                        certificates.ca_cert))


def _conductor_call(action, call):
    try:
        return call()
    except messaging.MessagingTimeout:
        raise exception.ConductorUnavailable(action=action,
                                             reason='none answered in time')


def create_certificate(req):
    """POST /v1/certificates: the cluster's CA signs a client CSR."""
    context = req.context
    body = validation.validated_body(req, schema.CREATE)
    x509.load_csr(body['csr'])  # 400 before anything is looked up
    try:
        row = _cluster(req, body['cluster_uuid'], 'create')
    except exception.ClusterNotFound as exc:
        # As in Magnum: the cluster is a field of the body, not the path.
        exc.code = 400
        raise
    _tls_template(context, row, 'Signing a certificate')
    pem = _conductor_call('sign the certificate', lambda: (
        req.conductor.sign_certificate(context, row.uuid, body['csr'])))
    return response.json_response(
        _body(req, row.uuid, pem, csr=body['csr'],
              ca_cert_type=body.get('ca_cert_type')),
        status=201)


# Magnum rotates the CA of clusters at rest only.
_AT_REST_SUFFIX = '_COMPLETE'


def rotate_ca(req):
    """PATCH /v1/certificates/{cluster_ident} (1.5): a new CA.

    The cluster goes UPDATE_IN_PROGRESS while a conductor gives its nodes
    certificates of the new CA; once it is UPDATE_COMPLETE, certificates
    of the old CA are refused.
    """
    context = req.context
    row = _cluster(req, req.urlvars['cluster_ident'], 'rotate_ca')
    _tls_template(context, row, 'Rotating the CA certificate')
    if not (row.status or '').endswith(_AT_REST_SUFFIX):
        raise exception.ClusterOperationInProgress(status=row.status)
    db_api.cluster_update_unless_in_progress(context, row.uuid, {
        'status': 'UPDATE_IN_PROGRESS', 'status_reason': 'rotating the CA',
        'operation_started_at': timeutils.utcnow(),
        'rollback_node_count': None, 'rollback_reason': None})
    req.conductor.rotate_ca(context, row.uuid)
    return response.json_response({'uuid': row.uuid}, status=202)
