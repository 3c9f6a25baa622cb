"""/v1/clustertemplates: what clusters are made from.

What differs between the collections that serve templates (their name,
the attributes each shows and the request that creates one) is a View:
VIEW is that of /v1/clustertemplates, and list_collection, show, create
and update serve any (handlers/legacy.py serves Magnum's old names
through them).
"""

import functools

from oslo_utils import uuidutils
import webob

from magnumlite.api import collection
from magnumlite.api import patch
from magnumlite.api import project_scope
from magnumlite.api import references
from magnumlite.api import response
from magnumlite.api.schemas import cluster_template as schema
from magnumlite.api import validation
from magnumlite.common import exception
from magnumlite.db import api as db_api

FIELDS = (
    'uuid', 'name', 'project_id', 'user_id', 'coe', 'image_id', 'flavor_id',
    'master_flavor_id', 'keypair_id', 'external_network_id',
    'fixed_network', 'fixed_subnet', 'network_driver', 'volume_driver',
    'dns_nameserver', 'apiserver_port', 'docker_volume_size',
    'docker_storage_driver', 'cluster_distro', 'http_proxy', 'https_proxy',
    'no_proxy', 'registry_enabled', 'insecure_registry', 'labels',
    'tls_disabled', 'public', 'hidden', 'server_type', 'master_lb_enabled',
    'floating_ip_enabled', 'tags', 'driver',
)


class View:
    """How /v1/clustertemplates shows templates and reads a create.

    A View of another collection overrides what differs.
    """

    # Its name in paths, links and list bodies.
    collection = 'clustertemplates'
    # The attributes it shows.
    fields = FIELDS
    # The schema of its create request's body.
    create_schema = schema.CREATE

    def body(self, req, row):
        """The template as the collection shows it."""
        body = {field: row[field] for field in self.fields}
        body['created_at'] = response.isotime(row.created_at)
        body['updated_at'] = response.isotime(row.updated_at)
        body['links'] = response.links(req, self.collection, row.uuid)
        return body


VIEW = View()


def _get(req, action):
    """The template named in the path, if the request may see it."""
    context = req.context
    visible_to = project_scope.project_id_filter(
        context, 'clustertemplate:%s_all_projects' % action)
    return db_api.cluster_template_get(
        context, req.urlvars['cluster_template_ident'],
        visible_to=visible_to)


def _check_publish(context):
    """Only those allowed may make a template public or hidden."""
    try:
        context.can('clustertemplate:publish')
    except exception.PolicyNotAuthorized:
        raise exception.ClusterTemplatePublishDenied()


def _with_coe_drivers(values):
    """values with the COE's default network driver, checked as Magnum does.

    A template that names no network driver gets its COE's default, which
    Magnum stores (the dashboard shows it); one the COE does not support is
    refused, and so is a volume driver it does not support. A swarm
    template must keep TLS: its engines' API is root on every node, and
    without TLS anyone who reaches it would have it.
    """
    if values['coe'] in schema.TLS_REQUIRED and values.get('tls_disabled'):
        raise exception.InvalidParameterValue(
            err='A %s cluster template cannot disable TLS: its Docker API '
                'on every node is reached over TLS only.' % values['coe'])
    supported = schema.COE_DRIVERS[values['coe']]
    if values.get('network_driver') is None:
        values['network_driver'] = supported['network_driver'][0]
    for field, kind in (('network_driver', 'Network'),
                        ('volume_driver', 'Volume')):
        driver = values.get(field)
        if driver is not None and driver not in supported[field]:
            raise exception.InvalidParameterValue(
                err='%s driver type %s is not supported, expecting a %s %s.'
                    % (kind, driver,
                       '/'.join(supported[field] + ('unspecified',)),
                       field.replace('_', ' ')))
    return values


def list_collection(req, view, detail):
    """The templates the request may see, as view's collection lists them."""
    context = req.context
    action = 'detail' if detail else 'get_all'
    context.can('clustertemplate:%s' % action)
    visible_to = project_scope.project_id_filter(
        context, 'clustertemplate:%s_all_projects' % action)
    query = collection.filters(req, ('name',))
    filters = dict(query)
    if not context.is_admin:
        filters['hidden'] = False  # hidden from everyone but admins
    page = collection.paging(req)
    rows = db_api.cluster_template_list(
        context, filters, visible_to=visible_to, **page)
    path = view.collection + ('/detail' if detail else '')
    return response.json_response(collection.collection(
        req, view.collection, [view.body(req, row) for row in rows], rows,
        page, path, query=query))


def show(req, view):
    """The template named in the path, as view shows it."""
    row = _get(req, 'get_one')
    if not row.public:
        req.context.can('clustertemplate:get',
                        {'project_id': row.project_id})
    return response.json_response(view.body(req, row))


def create(req, view):
    """Record the template view's create request asks for; answer it."""
    context = req.context
    context.can('clustertemplate:create')
    body = validation.validated_body(req, view.create_schema)
    values = dict(schema.DEFAULTS)
    values.update((k, v) for k, v in body.items() if v is not None)
    _with_coe_drivers(values)
    if values['public'] or values['hidden']:
        _check_publish(context)
    references.check(req, values, references.TEMPLATE_FIELDS)
    values.update(
        uuid=uuidutils.generate_uuid(),
        project_id=context.project_id, user_id=context.user_id,
        name=values.get('name') or _generated_name())
    row = db_api.cluster_template_create(context, values)
    resp = response.json_response(view.body(req, row), status=201)
    resp.location = '%s/v1/%s/%s' % (req.application_url, view.collection,
                                     row.uuid)
    return resp


def _generated_name():
    # Magnum names an unnamed template with random words; a uuid is as
    # unique.
    return 'template-%s' % uuidutils.generate_uuid()[:8]


def update(req, view):
    """Apply the request's JSON-Patch to the template; view shows it."""
    context = req.context
    operations = patch.operations(req)
    row = _get(req, 'update')
    context.can('clustertemplate:update', {'project_id': row.project_id})
    current = {field: row[field] for field in schema.PATCHABLE}
    changes = _with_coe_drivers(patch.apply(
        operations, current, schema.CREATE, schema.PATCHABLE,
        defaults=schema.DEFAULTS))
    if (changes['public'], changes['hidden']) != (row.public, row.hidden):
        _check_publish(context)
    # What the patch changed; what it left was checked when it was set.
    references.check(req, changes, [
        field for field in references.TEMPLATE_FIELDS
        if changes[field] != current[field]])
    row = db_api.cluster_template_update(context, row.uuid, changes)
    return response.json_response(view.body(req, row))


def delete_cluster_template(req):
    context = req.context
    row = _get(req, 'delete')
    context.can('clustertemplate:delete', {'project_id': row.project_id})
    db_api.cluster_template_destroy(context, row.uuid)
    return webob.Response(status=204)


list_cluster_templates = functools.partial(
    list_collection, view=VIEW, detail=False)
list_cluster_templates_detail = functools.partial(
    list_collection, view=VIEW, detail=True)
show_cluster_template = functools.partial(show, view=VIEW)
create_cluster_template = functools.partial(create, view=VIEW)
update_cluster_template = functools.partial(update, view=VIEW)
