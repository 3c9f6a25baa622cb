"""Routing of API requests to handler functions.

ROUTE_DECLARATIONS maps each path (Routes syntax) to a dict of HTTP method
-> handler. A handler is a plain function taking a webob Request and
returning a webob Response; it finds the request context in req.context,
the path variables in req.urlvars and the microversion in
req.environ[microversion.MICROVERSION_ENVIRON]. To add a resource, write
its handlers in handlers/<resource>.py, add its paths here and its policy
rules in magnumlite/common/policies/.

A known path with an unknown method gets 405 with an Allow header, an
unknown path 404; both, like every error, in Magnum's error document.
"""

import routes
import webob.dec
import webob.exc

from magnumlite.api import errors
from magnumlite.api.handlers import certificate
from magnumlite.api.handlers import cluster
from magnumlite.api.handlers import cluster_template
from magnumlite.api.handlers import credential
from magnumlite.api.handlers import mservice
from magnumlite.api.handlers import node
from magnumlite.api.handlers import nodegroup
from magnumlite.api.handlers import openapi
from magnumlite.api.handlers import quota
from magnumlite.api.handlers import root
from magnumlite.api.handlers import stats
from magnumlite.api.handlers import unsupported
from magnumlite.common import context
from magnumlite.common import exception

# NOTE: no regular expressions in path variables: a value that does not
# match would give a bare 404 instead of the resource's own "not found".
ROUTE_DECLARATIONS = {
    '/': {
        'GET': root.list_versions,
    },
    '/v1': {
        'GET': root.show_v1,
    },
    '/v1/openapi.yaml': {
        'GET': openapi.show_openapi,
    },
    '/v1/mservices': {
        'GET': mservice.list_mservices,
    },
    '/v1/clustertemplates': {
        'GET': cluster_template.list_cluster_templates,
        'POST': cluster_template.create_cluster_template,
    },
    # Before the one below, which would take "detail" for a template.
    '/v1/clustertemplates/detail': {
        'GET': cluster_template.list_cluster_templates_detail,
    },
    '/v1/clustertemplates/{cluster_template_ident}': {
        'GET': cluster_template.show_cluster_template,
        'PATCH': cluster_template.update_cluster_template,
        'DELETE': cluster_template.delete_cluster_template,
    },
    '/v1/clusters': {
        'GET': cluster.list_clusters,
        'POST': cluster.create_cluster,
    },
    '/v1/clusters/detail': {
        'GET': cluster.list_clusters_detail,
    },
    '/v1/clusters/{cluster_ident}': {
        'GET': cluster.show_cluster,
        'PATCH': cluster.update_cluster,
        'DELETE': cluster.delete_cluster,
    },
    '/v1/clusters/{cluster_ident}/actions/resize': {
        'POST': cluster.resize_cluster,
    },
    # magnumlite's own: the cluster's Nova servers.
    '/v1/clusters/{cluster_ident}/nodes': {
        'GET': node.list_nodes,
    },
    '/v1/clusters/{cluster_ident}/nodes/{node_ident}': {
        'GET': node.show_node,
    },
    '/v1/clusters/{cluster_ident}/actions/upgrade': {
        'POST': unsupported.upgrade_cluster,
    },
    '/v1/clusters/{cluster_ident}/nodegroups': {
        'GET': nodegroup.list_nodegroups,
        'POST': unsupported.nodegroup_changes,
    },
    # Before the one below, which would take "detail" for a node group.
    '/v1/clusters/{cluster_ident}/nodegroups/detail': {
        'GET': nodegroup.list_nodegroups_detail,
    },
    '/v1/clusters/{cluster_ident}/nodegroups/{nodegroup_ident}': {
        'GET': nodegroup.show_nodegroup,
        'PATCH': unsupported.nodegroup_changes,
        'DELETE': unsupported.nodegroup_changes,
    },
    '/v1/credentials/{cluster_ident}': {
        'PATCH': credential.rotate_credential,
    },
    '/v1/certificates': {
        'POST': certificate.create_certificate,
    },
    '/v1/certificates/{cluster_ident}': {
        'GET': certificate.show_certificate,
        'PATCH': certificate.rotate_ca,
    },
    # Magnum's old names for the same rows. Magnum dropped them in 1.11;
    # they are served at every version, since clients that still use them
    # ask for "latest".
    '/v1/baymodels': {
        'GET': cluster_template.list_baymodels,
        'POST': cluster_template.create_baymodel,
    },
    '/v1/baymodels/detail': {
        'GET': cluster_template.list_baymodels_detail,
    },
    '/v1/baymodels/{cluster_template_ident}': {
        'GET': cluster_template.show_baymodel,
        'PATCH': cluster_template.update_baymodel,
        'DELETE': cluster_template.delete_baymodel,
    },
    '/v1/bays': {
        'GET': cluster.list_bays,
        'POST': cluster.create_bay,
    },
    '/v1/bays/detail': {
        'GET': cluster.list_bays_detail,
    },
    '/v1/bays/{cluster_ident}': {
        'GET': cluster.show_bay,
        'PATCH': cluster.update_bay,
        'DELETE': cluster.delete_bay,
    },
    '/v1/quotas': {
        'GET': quota.list_quotas,
        'POST': quota.create_quota,
    },
    '/v1/quotas/{project_id}/{resource}': {
        'GET': quota.show_quota,
        'PATCH': quota.update_quota,
        'DELETE': quota.delete_quota,
    },
    '/v1/stats': {
        'GET': stats.show_stats,
    },
}

# Reachable without a token: clients read the version documents to find
# out how to talk to the service before they authenticate.
PUBLIC_ROUTES = ('/', '/v1')


def normalize_path(path):
    """Pecan serves /v1 and /v1/ alike, so Magnum clients may use either."""
    return path.rstrip('/') or '/'


def _method_not_allowed(req):
    raise webob.exc.HTTPMethodNotAllowed(
        'The method specified is not allowed for this resource.',
        headers={'Allow': req.urlvars['_allowed_methods']})


def make_map(declarations):
    mapper = routes.Mapper()
    for path, methods in declarations.items():
        for method, handler in methods.items():
            mapper.connect(path, action=handler,
                           conditions={'method': [method]})
        # Matches only when no method above did.
        mapper.connect(path, action=_method_not_allowed,
                       _allowed_methods=', '.join(methods))
    return mapper


class MagnumliteHandler:
    """Dispatch a request to its handler and map errors to responses."""

    def __init__(self):
        self._map = make_map(ROUTE_DECLARATIONS)

    @webob.dec.wsgify
    def __call__(self, req):
        # Identity headers on a public route were not checked by auth_token
        # (see magnumlite.api.auth), so nothing may rely on them.
        if not req.environ.get('is_public_api'):
            req.context = context.RequestContext.from_environ(req.environ)
        try:
            return self._dispatch(req)
        except webob.exc.HTTPException as exc:
            return errors.from_http_exception(req, exc)
        except exception.MagnumliteException as exc:
            # Magnum titles its errors with the first sentence of the
            # message.
            detail = str(exc)
            return errors.error_response(req, exc.code, detail,
                                         title=detail.split('.', 1)[0])

    def _dispatch(self, req):
        match = self._map.match(normalize_path(req.path_info),
                                environ=req.environ)
        if match is None:
            raise webob.exc.HTTPNotFound()
        handler = match.pop('action')
        req.urlvars = match
        return handler(req)
