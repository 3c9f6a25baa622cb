"""Routing of API requests to handler functions.

The routes are those of routes.ROUTES, the one declaration of the API,
which also gives the OpenAPI document and the policy rules' operations.
A handler is a plain function taking a webob Request and returning a
webob Response; it finds the request context in req.context, the
conductors' RPC client in req.conductor, the path variables in
req.urlvars and the microversion through
microversion.requested(req) and microversion.at_least(req, ...). A request
below its route's minimum microversion is refused here, as
microversion.require refuses it (406), before its handler runs.

To add a resource: see routes.py. Nothing here changes.

A known path with an unknown method gets 405 with an Allow header, an
unknown path 404; both, like every error, in Magnum's error document.
"""

import functools

import routes as routes_lib
import webob.dec
import webob.exc

from magnumlite.api import errors
from magnumlite.api import microversion
from magnumlite.api import routes
from magnumlite.common import context
from magnumlite.common import exception
from magnumlite.conductor import rpcapi

# Reachable without a token: clients read the version documents to find
# out how to talk to the service before they authenticate.
PUBLIC_ROUTES = routes.public_paths()


def normalize_path(path):
    """Pecan serves /v1 and /v1/ alike, so Magnum clients may use either."""
    return path.rstrip('/') or '/'


def _key(method, path):
    return '%s %s' % (method, path)


def make_map(table):
    """A Routes mapper of table's routes, the paths in their first order.

    A match names its route by _key (Routes keeps only strings and
    callables), or has _allowed_methods when the path has no route of the
    request's method.
    """
    mapper = routes_lib.Mapper()
    for path, path_routes in routes.paths(table).items():
        for route in path_routes:
            mapper.connect(path, _route=_key(route.method, path),
                           conditions={'method': [route.method]})
        # Matches only when no method above did.
        mapper.connect(path, _allowed_methods=', '.join(
            route.method for route in path_routes))
    return mapper


class MagnumliteHandler:
    """Dispatch a request to its handler and map errors to responses."""

    def __init__(self, table=None):
        table = routes.ROUTES if table is None else table
        self._map = make_map(table)
        self._routes = {_key(route.method, route.path): route
                        for route in table}

    @functools.cached_property
    def conductor(self):
        """The conductors' RPC client, one for the app's lifetime.

        Made on the first request that reaches a handler, when the
        service's configuration (its transport_url) is loaded.
        """
        return rpcapi.ConductorAPI()

    @webob.dec.wsgify
    def __call__(self, req):
        # Identity headers on a public route were not checked by auth_token
        # (see magnumlite.api.auth), so nothing may rely on them.
        if not req.environ.get('is_public_api'):
            req.context = context.RequestContext.from_environ(req.environ)
            req.conductor = self.conductor
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
        if '_allowed_methods' in match:
            raise webob.exc.HTTPMethodNotAllowed(
                'The method specified is not allowed for this resource.',
                headers={'Allow': match['_allowed_methods']})
        route = self._routes[match.pop('_route')]
        # Before anything else, as Magnum checks it.
        if route.since is not None:
            microversion.require(req, route.since)
        req.urlvars = match
        return route.handler(req)
