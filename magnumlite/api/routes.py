"""The API, declared once: ROUTES, every operation the service serves.

Each Route is a path (Routes syntax), an HTTP method, the handler that
serves it and what is said about it. The rest is derived from this table:

- the router (handler.py) connects the routes in this order and refuses
  a request below a route's ``since`` microversion (406, as Magnum) before
  its handler runs;
- the OpenAPI document (openapi.py) describes every route: summary,
  success response, request body (a schema of SCHEMAS), query parameters,
  path parameters (PATH_PARAMETERS, by the path's variables) and errors;
  401, 403, 406, 413 and 415 follow from the route's policy, since and
  body;
- the policy rules (magnumlite/common/policies) document as their
  operations the routes that check them.

A route's ``policy`` is every rule its handler checks, PUBLIC (no token:
the auth middleware lets every method of the path through) or ANY_TOKEN
(a token, no rule of its own). The rules' defaults (check strings,
descriptions, scope) stay in magnumlite/common/policies, which reads this
table when its list_rules() is called, not when it is imported: this
module imports the handlers, and they import the policies (through the
request context).

To add a resource: its handlers in handlers/<resource>.py and its routes
here. That is all, unless it takes request bodies (their schemas go in
schemas/<resource>.py, and in SCHEMAS the ones its routes name) or has
policy rules of its own (their defaults go in
magnumlite/common/policies/<resource>.py).
"""

import collections.abc
import dataclasses
import re

from magnumlite.api.handlers import certificate
from magnumlite.api.handlers import cluster
from magnumlite.api.handlers import cluster_template
from magnumlite.api.handlers import credential
from magnumlite.api.handlers import legacy
from magnumlite.api.handlers import mservice
from magnumlite.api.handlers import node
from magnumlite.api.handlers import nodegroup
from magnumlite.api.handlers import openapi
from magnumlite.api.handlers import quota
from magnumlite.api.handlers import root
from magnumlite.api.handlers import stats
from magnumlite.api.handlers import unsupported
from magnumlite.api import patch
from magnumlite.api.schemas import certificate as certificate_schema
from magnumlite.api.schemas import cluster as cluster_schema
from magnumlite.api.schemas import cluster_template as template_schema
from magnumlite.api.schemas import common
from magnumlite.api.schemas import quota as quota_schema

# A route's policy when it needs no token / a token and no rule.
PUBLIC = 'public'
ANY_TOKEN = 'any token'


@dataclasses.dataclass(frozen=True, eq=False)
class Route:
    """One operation: a path and method, its handler and its description."""

    path: str
    method: str
    handler: collections.abc.Callable
    _: dataclasses.KW_ONLY
    # The rules the handler checks (a tuple of names), PUBLIC or ANY_TOKEN.
    policy: tuple | str
    # "{since}" in it reads "(<since>)".
    summary: str
    status: int
    # The success response: its description and JSON schema.
    response: str
    schema: dict | None = None
    # The handler's own error statuses.
    errors: tuple = ()
    # The request body: the name of its schema in SCHEMAS.
    body: str | None = None
    # Its query parameters (OpenAPI parameter objects or references).
    query: collections.abc.Sequence = ()
    # The microversion that added the operation.
    since: str | None = None
    deprecated: bool = False

    @property
    def rules(self):
        """The policy rules the handler checks (none if PUBLIC/ANY_TOKEN)."""
        return () if self.policy in (PUBLIC, ANY_TOKEN) else self.policy

    @property
    def variables(self):
        """The path's variables, in order."""
        return re.findall(r'{(\w+)}', self.path)


def _ref(kind, name):
    return {'$ref': '#/components/%s/%s' % (kind, name)}


def _query(name, description, schema=None):
    return {'name': name, 'in': 'query', 'description': description,
            'schema': schema or {'type': 'string'}}


def _path(name, description, schema=None):
    return {'name': name, 'in': 'path', 'required': True,
            'description': description,
            'schema': schema or {'type': 'string'}}


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


# The components the routes refer to.
PARAMETERS = {
    'limit': _query('limit', 'Page size, at most [api] max_limit',
                    common.integer(1)),
    'marker': _query('marker', 'uuid of the last item of the previous '
                     'page'),
    'sort_key': _query('sort_key', 'Attribute to sort by (default id)'),
    'sort_dir': _query('sort_dir', 'Sort direction',
                       {'enum': ['asc', 'desc']}),
}
SCHEMAS = {
    'ClusterTemplateCreate': template_schema.CREATE,
    'BaymodelCreate': legacy.BAYMODEL_CREATE,
    'ClusterCreate': cluster_schema.CREATE_V1_10,
    'ClusterResize': cluster_schema.RESIZE_V1_10,
    'BayCreate': legacy.BAY_CREATE,
    'CertificateCreate': certificate_schema.CREATE,
    'Certificate': _object(('cluster_uuid', 'pem', 'csr', 'ca_cert_type',
                            'links')),
    'QuotaCreate': quota_schema.CREATE,
    'QuotaUpdate': quota_schema.UPDATE,
    'JSONPatch': patch.SCHEMA,
    'ClusterTemplate': _object(cluster_template.FIELDS + (
        'created_at', 'updated_at', 'links')),
    'ClusterTemplateCollection': _collection(
        'clustertemplates', _ref('schemas', 'ClusterTemplate')),
    'Cluster': _object(cluster.FIELDS + (
        'cluster_id', 'created_at', 'updated_at', 'links',
        'node_addresses', 'master_addresses', 'faults',
        'labels_overridden', 'labels_added', 'labels_skipped')),
    'Node': _object(node.FIELDS + ('cluster_uuid',)),
    'NodeGroup': _object(nodegroup.FIELDS),
    'Quota': _object(('id', 'project_id', 'resource', 'hard_limit',
                      'created_at', 'updated_at')),
}

# Every path variable of ROUTES, as the document describes it.
PATH_PARAMETERS = {
    'cluster_template_ident': _path(
        'cluster_template_ident', 'UUID or name of the cluster template'),
    'cluster_ident': _path('cluster_ident', 'UUID or name of the cluster'),
    'node_ident': _path('node_ident',
                        "The node's uuid or name, or its server's id"),
    'nodegroup_ident': _path('nodegroup_ident', 'UUID or name'),
    'project_id': _path('project_id', 'The project',
                        quota_schema.PATH['properties']['project_id']),
    'resource': _path('resource', 'The resource',
                      quota_schema.PATH['properties']['resource']),
}


def _paging(*filters):
    return [_ref('parameters', name)
            for name in ('limit', 'marker', 'sort_key', 'sort_dir')
            ] + list(filters)


_UUID = {'type': 'object', 'properties': {'uuid': {'type': 'string'}}}
_NAME = _query('name', 'Only those of this name (repeatable)')
_STATUS = _query('status', 'Only clusters in this status (repeatable)')
_ROLLBACK = _query(
    'rollback', '1.3: if the resize fails, go back to the current size '
    '(ROLLBACK_IN_PROGRESS, then ROLLBACK_COMPLETE or ROLLBACK_FAILED)',
    {'type': 'boolean', 'default': False})
_ROLE = _query('role', 'Only node groups of this role (repeatable)')

_TEMPLATE = _ref('schemas', 'ClusterTemplate')
_TEMPLATES = _ref('schemas', 'ClusterTemplateCollection')
_CLUSTER = _ref('schemas', 'Cluster')
_QUOTA = _ref('schemas', 'Quota')

# The rules of each kind of access, as the handlers check them: a project
# works in its own project, an admin whom the *_all_projects rule allows
# in every project (see project_scope.py).
_TEMPLATE_LIST = ('clustertemplate:get_all',
                  'clustertemplate:get_all_all_projects')
_TEMPLATE_CREATE = ('clustertemplate:create', 'clustertemplate:publish')
_TEMPLATE_DETAIL = ('clustertemplate:detail',
                    'clustertemplate:detail_all_projects')
_TEMPLATE_GET = ('clustertemplate:get',
                 'clustertemplate:get_one_all_projects')
_TEMPLATE_UPDATE = ('clustertemplate:update',
                    'clustertemplate:update_all_projects',
                    'clustertemplate:publish')
_TEMPLATE_DELETE = ('clustertemplate:delete',
                    'clustertemplate:delete_all_projects')
_CLUSTER_LIST = ('cluster:get_all', 'cluster:get_all_all_projects')
# A cluster is made from a template the project may see.
_CLUSTER_CREATE = ('cluster:create', 'clustertemplate:get_one_all_projects')
_CLUSTER_DETAIL = ('cluster:detail', 'cluster:detail_all_projects')
_CLUSTER_GET = ('cluster:get', 'cluster:get_one_all_projects')
_CLUSTER_UPDATE = ('cluster:update', 'cluster:update_all_projects')
_CLUSTER_DELETE = ('cluster:delete', 'cluster:delete_all_projects')


def _unsupported(path, method, handler, what, since):
    return Route(path, method, handler, policy=ANY_TOKEN,
                 summary=what + ' {since}: not offered by magnumlite; 400 '
                 'NotSupported.', status=400, response='Not supported',
                 since=since)


# NOTE: no regular expressions in path variables: a value that does not
# match would give a bare 404 instead of the resource's own "not found".
ROUTES = [
    Route('/', 'GET', root.list_versions, policy=PUBLIC,
          summary='The API versions (no token needed).', status=200,
          response='Versions'),
    Route('/v1', 'GET', root.show_v1, policy=PUBLIC,
          summary='The v1 document and its collections (no token needed).',
          status=200, response='The v1 API'),
    Route('/v1/openapi.yaml', 'GET', openapi.show_openapi, policy=ANY_TOKEN,
          summary='This document.', status=200,
          response='OpenAPI 3.1, YAML'),
    Route('/v1/mservices', 'GET', mservice.list_mservices,
          policy=('magnum-service:get_all',),
          summary='The magnumlite services and whether they are up '
          '(admin).', status=200, response='Services'),

    Route('/v1/clustertemplates', 'GET',
          cluster_template.list_cluster_templates, policy=_TEMPLATE_LIST,
          summary="The templates the project may see: its own and public "
          "ones, not hidden ones (admins: all).", status=200,
          response='Templates', schema=_TEMPLATES, errors=(400,),
          query=_paging(_NAME)),
    Route('/v1/clustertemplates', 'POST',
          cluster_template.create_cluster_template, policy=_TEMPLATE_CREATE,
          summary='Create a cluster template; public or hidden: admins '
          'only.', status=201, response='The template', schema=_TEMPLATE,
          errors=(400,), body='ClusterTemplateCreate'),
    # Before the one below, which would take "detail" for a template.
    Route('/v1/clustertemplates/detail', 'GET',
          cluster_template.list_cluster_templates_detail,
          policy=_TEMPLATE_DETAIL,
          summary='The same list (templates have no summary).', status=200,
          response='Templates', schema=_TEMPLATES, errors=(400,),
          query=_paging(_NAME)),
    Route('/v1/clustertemplates/{cluster_template_ident}', 'GET',
          cluster_template.show_cluster_template, policy=_TEMPLATE_GET,
          summary='Show a cluster template.', status=200,
          response='The template', schema=_TEMPLATE, errors=(404, 409)),
    Route('/v1/clustertemplates/{cluster_template_ident}', 'PATCH',
          cluster_template.update_cluster_template, policy=_TEMPLATE_UPDATE,
          summary='Update a cluster template with a JSON-Patch; the result '
          'must match ClusterTemplateCreate.', status=200,
          response='The template', schema=_TEMPLATE, errors=(400, 404),
          body='JSONPatch'),
    Route('/v1/clustertemplates/{cluster_template_ident}', 'DELETE',
          cluster_template.delete_cluster_template, policy=_TEMPLATE_DELETE,
          summary='Delete a cluster template; 400 while clusters use it.',
          status=204, response='Deleted', errors=(400, 404)),

    Route('/v1/clusters', 'GET', cluster.list_clusters, policy=_CLUSTER_LIST,
          summary="The project's clusters (admins: every project's), "
          "summarised.", status=200, response='Clusters',
          schema=_collection('clusters', _object(
              cluster.SUMMARY_FIELDS + ('cluster_id',))),
          errors=(400,), query=_paging(_NAME, _STATUS)),
    Route('/v1/clusters', 'POST', cluster.create_cluster,
          policy=_CLUSTER_CREATE,
          summary='Create a cluster: CREATE_IN_PROGRESS, then a conductor '
          'provisions it. 403 beyond the quota.', status=202,
          response='Accepted', schema=_UUID, errors=(400,),
          body='ClusterCreate'),
    Route('/v1/clusters/detail', 'GET', cluster.list_clusters_detail,
          policy=_CLUSTER_DETAIL,
          summary='The clusters with every attribute, addresses and faults.',
          status=200, response='Clusters',
          schema=_collection('clusters', _CLUSTER), errors=(400,),
          query=_paging(_NAME, _STATUS)),
    Route('/v1/clusters/{cluster_ident}', 'GET', cluster.show_cluster,
          policy=_CLUSTER_GET,
          summary="Show a cluster, with how its labels differ from its "
          "template's.", status=200, response='The cluster',
          schema=_CLUSTER, errors=(404, 409)),
    Route('/v1/clusters/{cluster_ident}', 'PATCH', cluster.update_cluster,
          policy=_CLUSTER_UPDATE,
          summary='Change node_count (JSON-Patch): UPDATE_IN_PROGRESS; 409 '
          'while an operation is under way.', status=202,
          response='Accepted', schema=_UUID, errors=(400, 404, 409),
          body='JSONPatch', query=[_ROLLBACK]),
    Route('/v1/clusters/{cluster_ident}', 'DELETE', cluster.delete_cluster,
          policy=_CLUSTER_DELETE,
          summary='Delete a cluster, from any state: DELETE_IN_PROGRESS.',
          status=204, response='Accepted', errors=(404,)),
    Route('/v1/clusters/{cluster_ident}/actions/resize', 'POST',
          cluster.resize_cluster,
          policy=('cluster:resize', 'cluster:update_all_projects'),
          summary='Resize the workers {since}: UPDATE_IN_PROGRESS; 409 '
          'while an operation is under way.', status=202,
          response='Accepted', schema=_UUID, errors=(400, 404, 409),
          body='ClusterResize', since='1.7'),
    # magnumlite's own: the cluster's Nova servers.
    Route('/v1/clusters/{cluster_ident}/nodes', 'GET', node.list_nodes,
          policy=_CLUSTER_GET,
          summary="magnumlite's own: the cluster's nodes (Nova servers), "
          'with role, state and fault; any microversion.', status=200,
          response='Nodes',
          schema={'type': 'object', 'properties': {'nodes': {
              'type': 'array', 'items': _ref('schemas', 'Node')}}},
          errors=(404,)),
    Route('/v1/clusters/{cluster_ident}/nodes/{node_ident}', 'GET',
          node.show_node, policy=_CLUSTER_GET,
          summary="magnumlite's own: one node of the cluster.", status=200,
          response='The node', schema=_ref('schemas', 'Node'),
          errors=(404,)),
    _unsupported('/v1/clusters/{cluster_ident}/actions/upgrade', 'POST',
                 unsupported.upgrade_cluster, 'Cluster upgrade', '1.8'),
    Route('/v1/clusters/{cluster_ident}/nodegroups', 'GET',
          nodegroup.list_nodegroups, policy=_CLUSTER_GET,
          summary="The cluster's node groups {since}: Magnum's "
          'default-master and default-worker, summarised.', status=200,
          response='Node groups',
          schema=_collection('nodegroups', _object(
              nodegroup.SUMMARY_FIELDS)),
          errors=(404,), query=[_ROLE], since='1.9'),
    _unsupported('/v1/clusters/{cluster_ident}/nodegroups', 'POST',
                 unsupported.nodegroup_changes, 'Creating nodegroups', '1.9'),
    # Before the one below, which would take "detail" for a node group.
    Route('/v1/clusters/{cluster_ident}/nodegroups/detail', 'GET',
          nodegroup.list_nodegroups_detail, policy=_CLUSTER_GET,
          summary='The node groups with every attribute {since}.',
          status=200, response='Node groups',
          schema=_collection('nodegroups', _ref('schemas', 'NodeGroup')),
          errors=(404,), query=[_ROLE], since='1.9'),
    Route('/v1/clusters/{cluster_ident}/nodegroups/{nodegroup_ident}', 'GET',
          nodegroup.show_nodegroup, policy=_CLUSTER_GET,
          summary='Show a node group {since}.', status=200,
          response='The node group', schema=_ref('schemas', 'NodeGroup'),
          errors=(404,), since='1.9'),
    _unsupported('/v1/clusters/{cluster_ident}/nodegroups/{nodegroup_ident}',
                 'PATCH', unsupported.nodegroup_changes,
                 'Updating nodegroups', '1.9'),
    _unsupported('/v1/clusters/{cluster_ident}/nodegroups/{nodegroup_ident}',
                 'DELETE', unsupported.nodegroup_changes,
                 'Deleting nodegroups', '1.9'),

    Route('/v1/credentials/{cluster_ident}', 'PATCH',
          credential.rotate_credential, policy=('credential:rotate',),
          summary="Rotate the cluster's credential {since}: a new keystone "
          'trust from the requesting user, who must be of the '
          "cluster's project; the old trust is deleted. 503 when no "
          'conductor (of this release) answers.', status=202,
          response='Rotated', schema=_UUID, errors=(400, 404, 503),
          since='1.12'),

    Route('/v1/certificates', 'POST', certificate.create_certificate,
          policy=('certificate:create', 'cluster:get_one_all_projects'),
          summary="Sign a CSR with the cluster's CA: a client certificate "
          "(clientAuth only, whatever the CSR asks for). 400 for a "
          "cluster with TLS disabled; 503 when no conductor answers.",
          status=201, response='The signed certificate',
          schema=_ref('schemas', 'Certificate'), errors=(400, 503),
          body='CertificateCreate'),
    Route('/v1/certificates/{cluster_ident}', 'GET',
          certificate.show_certificate,
          policy=('certificate:get', 'cluster:get_one_all_projects'),
          summary="The cluster's CA certificate (never a private key).",
          status=200, response='The CA certificate',
          schema=_ref('schemas', 'Certificate'), errors=(400, 404),
          query=[_query('ca_cert_type', 'Only kubernetes (or none): a '
                        'cluster has one CA')]),
    Route('/v1/certificates/{cluster_ident}', 'PATCH', certificate.rotate_ca,
          policy=('certificate:rotate_ca', 'cluster:get_one_all_projects'),
          summary="Rotate the cluster's CA {since}: the cluster is "
          'UPDATE_IN_PROGRESS until its nodes use certificates of the '
          'new CA; then certificates of the old one are refused.',
          status=202, response='Rotation started', schema=_UUID,
          errors=(400, 404, 409), since='1.5'),

    # Magnum's old names for the same rows (handlers/legacy.py). Magnum
    # dropped them in 1.11; they are served at every version, since clients
    # that still use them ask for "latest".
    Route('/v1/baymodels', 'GET', legacy.list_baymodels,
          policy=_TEMPLATE_LIST,
          summary='Cluster templates, under their old name.', status=200,
          response='Baymodels', errors=(400,), query=_paging(_NAME),
          deprecated=True),
    Route('/v1/baymodels', 'POST', legacy.create_baymodel,
          policy=_TEMPLATE_CREATE, summary='Create a baymodel.', status=201,
          response='The baymodel', errors=(400,), body='BaymodelCreate',
          deprecated=True),
    Route('/v1/baymodels/detail', 'GET',
          legacy.list_baymodels_detail, policy=_TEMPLATE_DETAIL,
          summary='Baymodels.', status=200, response='Baymodels',
          errors=(400,), query=_paging(_NAME), deprecated=True),
    Route('/v1/baymodels/{cluster_template_ident}', 'GET',
          legacy.show_baymodel, policy=_TEMPLATE_GET,
          summary='Show a baymodel.', status=200, response='The baymodel',
          errors=(404,), deprecated=True),
    Route('/v1/baymodels/{cluster_template_ident}', 'PATCH',
          legacy.update_baymodel, policy=_TEMPLATE_UPDATE,
          summary='Update a baymodel (JSON-Patch).', status=200,
          response='The baymodel', errors=(400, 404), body='JSONPatch',
          deprecated=True),
    Route('/v1/baymodels/{cluster_template_ident}', 'DELETE',
          legacy.delete_baymodel, policy=_TEMPLATE_DELETE,
          summary='Delete a baymodel.', status=204, response='Deleted',
          errors=(400, 404), deprecated=True),
    Route('/v1/bays', 'GET', legacy.list_bays, policy=_CLUSTER_LIST,
          summary='Clusters, under their old name and attribute names '
          '(baymodel_id, bay_create_timeout, bay_faults).', status=200,
          response='Bays', errors=(400,), query=_paging(_NAME, _STATUS),
          deprecated=True),
    Route('/v1/bays', 'POST', legacy.create_bay, policy=_CLUSTER_CREATE,
          summary='Create a bay: 202 and its uuid (before 1.2: 201 and the '
          'bay).', status=202, response='Accepted', schema=_UUID,
          errors=(400,), body='BayCreate', deprecated=True),
    Route('/v1/bays/detail', 'GET', legacy.list_bays_detail,
          policy=_CLUSTER_DETAIL, summary='Bays with detail.', status=200,
          response='Bays', errors=(400,), query=_paging(_NAME, _STATUS),
          deprecated=True),
    Route('/v1/bays/{cluster_ident}', 'GET', legacy.show_bay,
          policy=_CLUSTER_GET, summary='Show a bay.', status=200,
          response='The bay', errors=(404,), deprecated=True),
    Route('/v1/bays/{cluster_ident}', 'PATCH', legacy.update_bay,
          policy=_CLUSTER_UPDATE,
          summary='Change node_count of a bay (JSON-Patch).', status=202,
          response='Accepted', schema=_UUID, errors=(400, 404, 409),
          body='JSONPatch', query=[_ROLLBACK], deprecated=True),
    Route('/v1/bays/{cluster_ident}', 'DELETE', legacy.delete_bay,
          policy=_CLUSTER_DELETE, summary='Delete a bay.', status=204,
          response='Accepted', errors=(404,), deprecated=True),

    Route('/v1/quotas', 'GET', quota.list_quotas, policy=('quota:get_all',),
          summary="Quotas (admin): the project's own; with all_tenants=True, "
          "every project's.", status=200, response='Quotas',
          schema=_collection('quotas', _QUOTA), errors=(400,), query=[
              _ref('parameters', 'limit'),
              _query('marker', 'id of the last quota of the previous page',
                     common.integer(1)),
              _ref('parameters', 'sort_key'),
              _ref('parameters', 'sort_dir'),
              _query('all_tenants', 'Every project (admins)',
                     {'type': 'boolean'})]),
    Route('/v1/quotas', 'POST', quota.create_quota, policy=('quota:create',),
          summary='Set a quota (admin); 404 for a project keystone does not '
          'know.', status=201, response='The quota', schema=_QUOTA,
          errors=(400, 404, 409), body='QuotaCreate'),
    Route('/v1/quotas/{project_id}/{resource}', 'GET', quota.show_quota,
          policy=('quota:get',),
          summary="Show a project's quota; without one of its own, the "
          "default it is held to (no id); 404 for a project keystone does "
          "not know.", status=200, response='The quota', schema=_QUOTA,
          errors=(400, 404)),
    Route('/v1/quotas/{project_id}/{resource}', 'PATCH', quota.update_quota,
          policy=('quota:update',),
          summary='Change a quota (admin); the body is a quota, not a '
          'JSON-Patch.', status=202, response='The quota', schema=_QUOTA,
          errors=(400, 404), body='QuotaUpdate'),
    Route('/v1/quotas/{project_id}/{resource}', 'DELETE',
          quota.delete_quota, policy=('quota:delete',),
          summary='Delete a quota (admin).', status=204, response='Deleted',
          errors=(400, 404)),

    Route('/v1/stats', 'GET', stats.show_stats, policy=('stats:get_all',),
          summary="Count a project's clusters and nodes {since}; admins "
          "without project_id: every project.", status=200,
          response='Stats',
          schema={'type': 'object', 'properties': {
              'clusters': {'type': 'integer'},
              'nodes': {'type': 'integer'}}},
          errors=(400,), query=[
              _query('project_id', "The project (default: the token's)"),
              _query('type', 'What to count', {'enum': ['cluster']})],
          since='1.4'),
]


def paths(table=None):
    """{path: [its routes]} of table (ROUTES), paths in their first order."""
    by_path = {}
    for route in ROUTES if table is None else table:
        by_path.setdefault(route.path, []).append(route)
    return by_path


def public_paths():
    """The paths served without a token."""
    return tuple(path for path, routes in paths().items()
                 if all(route.policy == PUBLIC for route in routes))


def policy_operations():
    """{rule name: the operations ([{'path':, 'method':}]) that check it}."""
    operations = {}
    for route in ROUTES:
        for rule in route.rules:
            operations.setdefault(rule, []).append(
                {'path': route.path, 'method': route.method})
    return operations
