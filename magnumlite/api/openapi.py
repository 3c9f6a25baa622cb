"""The OpenAPI 3.1 description of the API, built from the code.

Request bodies are the JSON schemas the handlers validate with, and the
response attributes are the handlers' field lists, so the document cannot
say something the service does not do. It is shipped as openapi.yaml
(served at GET /v1/openapi.yaml); after changing the API, regenerate it:

    python -m magnumlite.api.openapi > magnumlite/api/openapi.yaml

tests/unit/api/test_openapi.py fails while the file is out of date.
"""

import yaml

from magnumlite.api.handlers import cluster as cluster_handlers
from magnumlite.api.handlers import cluster_template as template_handlers
from magnumlite.api.handlers import node as node_handlers
from magnumlite.api.handlers import nodegroup as nodegroup_handlers
from magnumlite.api import microversion
from magnumlite.api import patch
from magnumlite.api.schemas import certificate
from magnumlite.api.schemas import cluster
from magnumlite.api.schemas import cluster_template
from magnumlite.api.schemas import common
from magnumlite.api.schemas import quota

HEADER = """\
# The OpenAPI 3.1 description of the magnumlite API, served at
# GET /v1/openapi.yaml. Generated: python -m magnumlite.api.openapi
"""

_PAGING = ['limit', 'marker', 'sort_key', 'sort_dir']

# Response attribute types, where not a nullable string.
_LINKS = {'type': 'array', 'items': {
    'type': 'object',
    'properties': {'href': {'type': 'string'}, 'rel': {'type': 'string'}}}}
_TYPES = dict(
    {name: {'type': 'boolean'} for name in (
        'registry_enabled', 'tls_disabled', 'public', 'hidden',
        'master_lb_enabled', 'floating_ip_enabled', 'is_default')},
    **{name: {'type': ['integer', 'null']} for name in (
        'apiserver_port', 'docker_volume_size', 'node_count',
        'master_count', 'create_timeout', 'id', 'hard_limit',
        'min_node_count', 'max_node_count')},
    **{name: {'type': 'array', 'items': {'type': 'string'}}
       for name in ('node_addresses', 'master_addresses', 'addresses')},
    **{name: {'type': 'object'} for name in (
        'labels', 'faults', 'health_status_reason', 'labels_overridden',
        'labels_added', 'labels_skipped')},
    links=_LINKS,
    stack_id={'type': ['string', 'null'],
              'description': 'Before 1.13 (clusters); bays: always.'},
    cluster_id={'type': ['string', 'null'],
                'description': "From 1.13, in place of stack_id."})


def _ref(kind, name):
    return {'$ref': '#/components/%s/%s' % (kind, name)}


def _object(fields):
    return {'type': 'object', 'properties': {
        name: _TYPES.get(name, {'type': ['string', 'null']})
        for name in fields}}


def _collection(key, item):
    return {'type': 'object', 'properties': {
        key: {'type': 'array', 'items': item},
        'next': {'type': 'string',
                 'description': 'The next page; only when this one is '
                                'full.'}}}


def _query(name, description, schema=None):
    return {'name': name, 'in': 'query', 'description': description,
            'schema': schema or {'type': 'string'}}


def _path(name, description, schema=None):
    return {'name': name, 'in': 'path', 'required': True,
            'description': description,
            'schema': schema or {'type': 'string'}}


def _operation(summary, status, description, schema=None, errors=(),
               body=None, parameters=None, deprecated=False):
    ok = {'description': description}
    if schema is not None:
        ok['content'] = {'application/json': {'schema': schema}}
    if body is not None:
        # Bodies larger than [oslo_middleware] max_request_body_size, and
        # bodies that are not JSON.
        errors = tuple(errors) + (413, 415)
    operation = {'summary': summary, 'responses': dict(
        {str(status): ok},
        **{str(code): _ref('responses', 'Error')
           for code in (401,) + tuple(errors)})}
    if body is not None:
        operation['requestBody'] = {'required': True, 'content': {
            'application/json': {'schema': _ref('schemas', body)}}}
    if parameters:
        operation['parameters'] = parameters
    if deprecated:
        operation['deprecated'] = True
    return operation


def _UNSUPPORTED(what):
    return _operation(what + ': not offered by magnumlite; 400 '
                      'NotSupported.', 400, 'Not supported',
                      errors=(406,))


def _paging(*filters):
    return [_ref('parameters', name) for name in _PAGING] + list(filters)


_UUID = {'type': 'object', 'properties': {'uuid': {'type': 'string'}}}
_TEMPLATE_IDENT = _path('cluster_template_ident',
                        'UUID or name of the cluster template')
_CLUSTER_IDENT = _path('cluster_ident', 'UUID or name of the cluster')
_NAME = _query('name', 'Only those of this name (repeatable)')
_STATUS = _query('status', 'Only clusters in this status (repeatable)')
_ROLLBACK = _query(
    'rollback', '1.3: if the resize fails, go back to the current size '
    '(ROLLBACK_IN_PROGRESS, then ROLLBACK_COMPLETE or ROLLBACK_FAILED)',
    {'type': 'boolean', 'default': False})
_ROLE = _query('role', 'Only node groups of this role (repeatable)')


def _paths():
    template = _ref('schemas', 'ClusterTemplate')
    a_cluster = _ref('schemas', 'Cluster')
    a_quota = _ref('schemas', 'Quota')
    templates = _ref('schemas', 'ClusterTemplateCollection')
    return {
        '/': {'get': dict(_operation(
            'The API versions (no token needed).', 200, 'Versions'),
            security=[])},
        '/v1': {'get': dict(_operation(
            'The v1 document and its collections (no token needed).', 200,
            'The v1 API'), security=[])},
        '/v1/openapi.yaml': {'get': _operation(
            'This document.', 200, 'OpenAPI 3.1, YAML')},
        '/v1/mservices': {'get': _operation(
            'The magnumlite services and whether they are up (admin).',
            200, 'Services', errors=(403,))},
        '/v1/clustertemplates': {
            'get': _operation(
                "The templates the project may see: its own and public "
                "ones, not hidden ones (admins: all).", 200, 'Templates',
                templates, (400, 403), parameters=_paging(_NAME)),
            'post': _operation(
                'Create a cluster template; public or hidden: admins only.',
                201, 'The template', template, (400, 403),
                body='ClusterTemplateCreate')},
        '/v1/clustertemplates/detail': {'get': _operation(
            'The same list (templates have no summary).', 200, 'Templates',
            templates, (400, 403), parameters=_paging(_NAME))},
        '/v1/clustertemplates/{cluster_template_ident}': {
            'parameters': [_TEMPLATE_IDENT],
            'get': _operation('Show a cluster template.', 200,
                              'The template', template, (403, 404, 409)),
            'patch': _operation(
                'Update a cluster template with a JSON-Patch; the result '
                'must match ClusterTemplateCreate.', 200, 'The template',
                template, (400, 403, 404), body='JSONPatch'),
            'delete': _operation(
                'Delete a cluster template; 400 while clusters use it.',
                204, 'Deleted', errors=(400, 403, 404))},
        '/v1/clusters': {
            'get': _operation(
                "The project's clusters (admins: every project's), "
                "summarised.", 200, 'Clusters',
                _collection('clusters', _object(
                    cluster_handlers.SUMMARY_FIELDS + ('cluster_id',))),
                (400, 403), parameters=_paging(_NAME, _STATUS)),
            'post': _operation(
                'Create a cluster: CREATE_IN_PROGRESS, then a conductor '
                'provisions it. 403 beyond the quota.', 202, 'Accepted',
                _UUID, (400, 403), body='ClusterCreate')},
        '/v1/clusters/detail': {'get': _operation(
            'The clusters with every attribute, addresses and faults.', 200,
            'Clusters', _collection('clusters', a_cluster), (400, 403),
            parameters=_paging(_NAME, _STATUS))},
        '/v1/clusters/{cluster_ident}': {
            'parameters': [_CLUSTER_IDENT],
            'get': _operation(
                'Show a cluster, with how its labels differ from its '
                "template's.", 200, 'The cluster', a_cluster,
                (403, 404, 409)),
            'patch': _operation(
                'Change node_count (JSON-Patch): UPDATE_IN_PROGRESS; 409 '
                'while an operation is under way.', 202, 'Accepted', _UUID,
                (400, 403, 404, 409), body='JSONPatch',
                parameters=[_ROLLBACK]),
            'delete': _operation(
                'Delete a cluster, from any state: DELETE_IN_PROGRESS.',
                204, 'Accepted', errors=(403, 404))},
        '/v1/clusters/{cluster_ident}/actions/resize': {
            'parameters': [_CLUSTER_IDENT],
            'post': _operation(
                'Resize the workers (1.7): UPDATE_IN_PROGRESS; 409 while an '
                'operation is under way.', 202, 'Accepted', _UUID,
                (400, 403, 404, 406, 409), body='ClusterResize')},
        '/v1/clusters/{cluster_ident}/nodes': {
            'parameters': [_CLUSTER_IDENT],
            'get': _operation(
                "magnumlite's own: the cluster's nodes (Nova servers), with "
                'role, state and fault; any microversion.', 200, 'Nodes',
                {'type': 'object', 'properties': {'nodes': {
                    'type': 'array', 'items': _ref('schemas', 'Node')}}},
                (403, 404))},
        '/v1/clusters/{cluster_ident}/nodes/{node_ident}': {
            'parameters': [_CLUSTER_IDENT, _path(
                'node_ident', "The node's uuid or name, or its server's id")],
            'get': _operation("magnumlite's own: one node of the cluster.",
                              200, 'The node', _ref('schemas', 'Node'),
                              (403, 404))},
        '/v1/clusters/{cluster_ident}/actions/upgrade': {
            'parameters': [_CLUSTER_IDENT],
            'post': _UNSUPPORTED('Cluster upgrade (1.8)')},
        '/v1/clusters/{cluster_ident}/nodegroups': {
            'parameters': [_CLUSTER_IDENT],
            'get': _operation(
                "The cluster's node groups (1.9): Magnum's default-master "
                'and default-worker, summarised.', 200, 'Node groups',
                _collection('nodegroups', _object(
                    nodegroup_handlers.SUMMARY_FIELDS)), (403, 404, 406),
                parameters=[_ROLE]),
            'post': _UNSUPPORTED('Creating nodegroups')},
        '/v1/clusters/{cluster_ident}/nodegroups/detail': {
            'parameters': [_CLUSTER_IDENT],
            'get': _operation(
                'The node groups with every attribute (1.9).', 200,
                'Node groups', _collection('nodegroups', _ref(
                    'schemas', 'NodeGroup')), (403, 404, 406),
                parameters=[_ROLE])},
        '/v1/clusters/{cluster_ident}/nodegroups/{nodegroup_ident}': {
            'parameters': [_CLUSTER_IDENT,
                           _path('nodegroup_ident', 'UUID or name')],
            'get': _operation('Show a node group (1.9).', 200,
                              'The node group', _ref('schemas', 'NodeGroup'),
                              (403, 404, 406)),
            'patch': _UNSUPPORTED('Updating nodegroups'),
            'delete': _UNSUPPORTED('Deleting nodegroups')},
        '/v1/credentials/{cluster_ident}': {
            'parameters': [_CLUSTER_IDENT],
            'patch': _operation(
                "Rotate the cluster's credential (1.12): a new keystone "
                'trust from the requesting user, who must be of the '
                "cluster's project; the old trust is deleted. 503 when no "
                'conductor (of this release) answers.', 202,
                'Rotated', _UUID, (400, 403, 404, 406, 503))},
        '/v1/certificates': {
            'post': _operation(
                "Sign a CSR with the cluster's CA: a client certificate "
                "(clientAuth only, whatever the CSR asks for). 400 for a "
                "cluster with TLS disabled; 503 when no conductor answers.",
                201, 'The signed certificate', _ref('schemas',
                                                    'Certificate'),
                (400, 403, 503), body='CertificateCreate')},
        '/v1/certificates/{cluster_ident}': {
            'parameters': [_CLUSTER_IDENT],
            'get': _operation(
                "The cluster's CA certificate (never a private key).",
                200, 'The CA certificate', _ref('schemas', 'Certificate'),
                (400, 403, 404), parameters=[_query(
                    'ca_cert_type', 'Only kubernetes (or none): a cluster '
                    'has one CA')]),
            'patch': _operation(
                "Rotate the cluster's CA (1.5): the cluster is "
                'UPDATE_IN_PROGRESS until its nodes use certificates of the '
                'new CA; then certificates of the old one are refused.',
                202, 'Rotation started', _UUID, (400, 403, 404, 406, 409))},
        '/v1/baymodels': {
            'get': _operation('Cluster templates, under their old name.',
                              200, 'Baymodels', errors=(400, 403),
                              parameters=_paging(_NAME), deprecated=True),
            'post': _operation('Create a baymodel.', 201, 'The baymodel',
                               errors=(400, 403), body='BaymodelCreate',
                               deprecated=True)},
        '/v1/baymodels/detail': {'get': _operation(
            'Baymodels.', 200, 'Baymodels', errors=(400, 403),
            parameters=_paging(_NAME), deprecated=True)},
        '/v1/baymodels/{cluster_template_ident}': {
            'parameters': [_TEMPLATE_IDENT],
            'get': _operation('Show a baymodel.', 200, 'The baymodel',
                              errors=(403, 404), deprecated=True),
            'patch': _operation('Update a baymodel (JSON-Patch).', 200,
                                'The baymodel', errors=(400, 403, 404),
                                body='JSONPatch', deprecated=True),
            'delete': _operation('Delete a baymodel.', 204, 'Deleted',
                                 errors=(400, 403, 404), deprecated=True)},
        '/v1/bays': {
            'get': _operation(
                'Clusters, under their old name and attribute names '
                '(baymodel_id, bay_create_timeout, bay_faults).', 200,
                'Bays', errors=(400, 403), parameters=_paging(_NAME, _STATUS),
                deprecated=True),
            'post': _operation(
                'Create a bay: 202 and its uuid (before 1.2: 201 and the '
                'bay).', 202, 'Accepted', _UUID, (400, 403),
                body='BayCreate', deprecated=True)},
        '/v1/bays/detail': {'get': _operation(
            'Bays with detail.', 200, 'Bays', errors=(400, 403),
            parameters=_paging(_NAME, _STATUS), deprecated=True)},
        '/v1/bays/{cluster_ident}': {
            'parameters': [_CLUSTER_IDENT],
            'get': _operation('Show a bay.', 200, 'The bay',
                              errors=(403, 404), deprecated=True),
            'patch': _operation('Change node_count of a bay (JSON-Patch).',
                                202, 'Accepted', _UUID, (400, 403, 404, 409),
                                body='JSONPatch', parameters=[_ROLLBACK],
                                deprecated=True),
            'delete': _operation('Delete a bay.', 204, 'Accepted',
                                 errors=(403, 404), deprecated=True)},
        '/v1/quotas': {
            'get': _operation(
                "Quotas (admin): the project's own; with all_tenants=True, "
                "every project's.", 200, 'Quotas',
                _collection('quotas', a_quota), (400, 403), parameters=[
                    _ref('parameters', 'limit'),
                    _query('marker', 'id of the last quota of the previous '
                           'page', common.integer(1)),
                    _ref('parameters', 'sort_key'),
                    _ref('parameters', 'sort_dir'),
                    _query('all_tenants', 'Every project (admins)',
                           {'type': 'boolean'})]),
            'post': _operation('Set a quota (admin); 404 for a project '
                               'keystone does not know.', 201, 'The quota',
                               a_quota, (400, 403, 404, 409),
                               body='QuotaCreate')},
        '/v1/quotas/{project_id}/{resource}': {
            'parameters': [
                _path('project_id', 'The project',
                      quota.PATH['properties']['project_id']),
                _path('resource', 'The resource',
                      quota.PATH['properties']['resource'])],
            'get': _operation("Show a project's quota; without one of its "
                              "own, the default it is held to (no id); 404 "
                              "for a project keystone does not know.",
                              200, 'The quota', a_quota, (400, 403, 404)),
            'patch': _operation(
                'Change a quota (admin); the body is a quota, not a '
                'JSON-Patch.', 202, 'The quota', a_quota, (400, 403, 404),
                body='QuotaUpdate'),
            'delete': _operation('Delete a quota (admin).', 204, 'Deleted',
                                 errors=(400, 403, 404))},
        '/v1/stats': {'get': _operation(
            "Count a project's clusters and nodes (1.4); admins without "
            "project_id: every project.", 200, 'Stats',
            {'type': 'object', 'properties': {
                'clusters': {'type': 'integer'},
                'nodes': {'type': 'integer'}}},
            (400, 403, 406), parameters=[
                _query('project_id', 'The project (default: the token\'s)'),
                _query('type', 'What to count', {'enum': ['cluster']})])},
    }


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
            'parameters': {
                'limit': _query('limit', 'Page size, at most [api] '
                                'max_limit', common.integer(1)),
                'marker': _query('marker', 'uuid of the last item of the '
                                 'previous page'),
                'sort_key': _query('sort_key', 'Attribute to sort by '
                                   '(default id)'),
                'sort_dir': _query('sort_dir', 'Sort direction',
                                   {'enum': ['asc', 'desc']}),
            },
            'responses': {'Error': {
                'description': "Magnum's error document",
                'content': {'application/json': {
                    'schema': _ref('schemas', 'Errors')}}}},
            'schemas': {
                'ClusterTemplateCreate': cluster_template.CREATE,
                'BaymodelCreate': cluster_template.BAYMODEL_CREATE,
                'ClusterCreate': cluster.CREATE_V1_10,
                'ClusterResize': cluster.RESIZE_V1_10,
                'BayCreate': cluster.BAY_CREATE,
                'CertificateCreate': certificate.CREATE,
                'Certificate': _object(('cluster_uuid', 'pem', 'csr',
                                        'ca_cert_type', 'links')),
                'QuotaCreate': quota.CREATE,
                'QuotaUpdate': quota.UPDATE,
                'JSONPatch': patch.SCHEMA,
                'ClusterTemplate': _object(template_handlers.FIELDS + (
                    'created_at', 'updated_at', 'links')),
                'ClusterTemplateCollection': _collection(
                    'clustertemplates', _ref('schemas', 'ClusterTemplate')),
                'Cluster': _object(cluster_handlers.FIELDS + (
                    'cluster_id', 'created_at', 'updated_at', 'links',
                    'node_addresses', 'master_addresses', 'faults',
                    'labels_overridden', 'labels_added', 'labels_skipped')),
                'Node': _object(node_handlers.FIELDS + ('cluster_uuid',)),
                'NodeGroup': _object(nodegroup_handlers.FIELDS),
                'Quota': _object(('id', 'project_id', 'resource',
                                  'hard_limit', 'created_at',
                                  'updated_at')),
                'Errors': {'type': 'object', 'properties': {'errors': {
                    'type': 'array', 'items': {
                        'type': 'object', 'properties': {
                            'request_id': {'type': 'string'},
                            'code': {'type': 'string'},
                            'status': {'type': 'integer'},
                            'title': {'type': 'string'},
                            'detail': {'type': 'string'},
                            'links': {'type': 'array'}}}}}},
            },
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
