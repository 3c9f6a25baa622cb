"""The OpenAPI 3.1 description of the API, built from the route table.

Every path and operation is a route of routes.ROUTES, described there;
request bodies are the JSON schemas the handlers validate with and the
response attributes the handlers' field lists, so the document cannot say
something the service does not do. The errors not written per route
follow from its other attributes: 401 unless it is public, 403 if it
checks policy rules, 406 if it has a minimum microversion, 413 and 415 if
it takes a body. The API serves it at GET /v1/openapi.yaml
(handlers/openapi.py), built at the first request; to read it without a
running API:

    python -m magnumlite.api.openapi
"""

import yaml

from magnumlite.api import microversion
from magnumlite.api import routes

HEADER = """\
# The OpenAPI 3.1 description of the magnumlite API, served at
# GET /v1/openapi.yaml. Built from magnumlite/api/routes.py; print it with
# python -m magnumlite.api.openapi
"""


def _ref(kind, name):
    return {'$ref': '#/components/%s/%s' % (kind, name)}


def _summary(route):
    if route.since is None:
        return route.summary
    return route.summary.format(since='(%s)' % route.since)


def _errors(route):
    errors = set(route.errors)
    if route.rules:
        errors.add(403)
    if route.since is not None:
        errors.add(406)
    errors = sorted(errors)
    if route.policy != routes.PUBLIC:
        errors.insert(0, 401)
    if route.body is not None:
        # Bodies larger than [oslo_middleware] max_request_body_size, and
        # bodies that are not JSON.
        errors += [413, 415]
    return errors


def _operation(route):
    ok = {'description': route.response}
    if route.schema is not None:
        ok['content'] = {'application/json': {'schema': route.schema}}
    operation = {'summary': _summary(route), 'responses': dict(
        {str(route.status): ok},
        **{str(code): _ref('responses', 'Error')
           for code in _errors(route)})}
    if route.body is not None:
        operation['requestBody'] = {'required': True, 'content': {
            'application/json': {'schema': _ref('schemas', route.body)}}}
    if route.query:
        operation['parameters'] = list(route.query)
    if route.deprecated:
        operation['deprecated'] = True
    if route.policy == routes.PUBLIC:
        operation['security'] = []
    return operation


def _paths():
    paths = {}
    for path, path_routes in routes.paths().items():
        item = paths[path] = {}
        variables = path_routes[0].variables
        if variables:
            item['parameters'] = [routes.PATH_PARAMETERS[name]
                                  for name in variables]
        for route in path_routes:
            item[route.method.lower()] = _operation(route)
    return paths


def build():
    """The document, as a dict."""
    return {
        'openapi': '3.1.0',
        'info': {
            'title': 'magnumlite container-infra API',
            'version': microversion.max_version_string(),
            'description': (
                "Magnum's v1 API as magnumlite serves it. Every path but / "
                "and /v1 needs a keystone token (X-Auth-Token). Versions: "
                "OpenStack-API-Version: container-infra %s to %s (or "
                "latest); without the header, %s. Errors are Magnum's "
                "error document." % (microversion.min_version_string(),
                                     microversion.max_version_string(),
                                     microversion.min_version_string())),
        },
        'security': [{'keystone': []}],
        'paths': _paths(),
        'components': {
            'securitySchemes': {'keystone': {
                'type': 'apiKey', 'in': 'header', 'name': 'X-Auth-Token'}},
            'parameters': routes.PARAMETERS,
            'responses': {'Error': {
                'description': "Magnum's error document",
                'content': {'application/json': {
                    'schema': _ref('schemas', 'Errors')}}}},
            'schemas': dict(routes.SCHEMAS, **{
                'Errors': {'type': 'object', 'properties': {'errors': {
                    'type': 'array', 'items': {
                        'type': 'object', 'properties': {
                            'request_id': {'type': 'string'},
                            'code': {'type': 'string'},
                            'status': {'type': 'integer'},
                            'title': {'type': 'string'},
                            'detail': {'type': 'string'},
                            'links': {'type': 'array'}}}}}},
            }),
        },
    }


class _Dumper(yaml.SafeDumper):
    # Shared dicts are written out in full: anchors confuse readers.
    def ignore_aliases(self, data):
        return True


def dump():
    return HEADER + yaml.dump(build(), Dumper=_Dumper, sort_keys=False,
                              width=79)


if __name__ == '__main__':
    print(dump(), end='')
