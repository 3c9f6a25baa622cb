"""/v1/clusters: clusters of Nova servers.

The API records what is asked (the row, its status *_IN_PROGRESS and
when the operation began) and casts the work to a conductor, which
reports back through the row.

What differs between the collections that serve clusters (how each shows
a cluster, reads the request that creates one and answers it) is a View:
VIEW is that of /v1/clusters, and list_collection, show and create serve
any (handlers/legacy.py serves Magnum's old names through them).
"""

import functools

from oslo_utils import strutils
from oslo_utils import timeutils
from oslo_utils import uuidutils
import webob

from magnumlite.api import collection
from magnumlite.api import microversion
from magnumlite.api import patch
from magnumlite.api import project_scope
from magnumlite.api import references
from magnumlite.api import response
from magnumlite.api.schemas import cluster as schema
from magnumlite.api import validation
from magnumlite.common import exception
from magnumlite.conf import CONF
from magnumlite.db import api as db_api

FIELDS = (
    'uuid', 'name', 'project_id', 'user_id', 'cluster_template_id',
    'keypair', 'flavor_id', 'master_flavor_id', 'docker_volume_size',
    'labels', 'master_count', 'node_count', 'create_timeout',
    'discovery_url', 'status', 'status_reason', 'api_address',
    'coe_version', 'container_version', 'fixed_network', 'fixed_subnet',
    'floating_ip_enabled', 'master_lb_enabled', 'health_status',
    'health_status_reason', 'stack_id',
)
# What a list (not /detail) shows of each cluster, as Magnum's.
SUMMARY_FIELDS = (
    'uuid', 'name', 'cluster_template_id', 'keypair', 'docker_volume_size',
    'labels', 'node_count', 'status', 'master_flavor_id', 'flavor_id',
    'create_timeout', 'master_count', 'stack_id', 'health_status',
    'project_id', 'links',
)

# Attributes a cluster takes from its template unless the request sets
# them: cluster attribute -> template attribute.
_FROM_TEMPLATE = {
    'keypair': 'keypair_id',
    'docker_volume_size': 'docker_volume_size',
    'flavor_id': 'flavor_id',
    'master_flavor_id': 'master_flavor_id',
    'fixed_network': 'fixed_network',
    'fixed_subnet': 'fixed_subnet',
    'floating_ip_enabled': 'floating_ip_enabled',
    'master_lb_enabled': 'master_lb_enabled',
}


class Bodies:
    """How a view shows the clusters of one request, worked out once.

    A list makes a thousand bodies: each is the row's columns zipped with
    their names, then what is made of them (links, addresses, faults).
    Reading a named tuple's fields by name cost more than all the rest.

    A row holds the columns (names as in the Cluster model) in the order
    of `columns` and may hold more after them; a node, NODE_COLUMNS.
    """

    NODE_COLUMNS = ('role', 'name', 'addresses', 'fault')

    def __init__(self, req, view, detail=True):
        if detail:
            columns = FIELDS + ('created_at', 'updated_at')
        else:
            # links, which a list shows last, are not a column.
            columns = tuple(field for field in view.summary_fields
                            if field != 'links')
        self._cluster_id = view.shows_cluster_id(req)
        if self._cluster_id:
            columns = tuple(field for field in columns if field != 'stack_id')
        self.columns = columns
        self._names = tuple(view.names.get(column, column)
                            for column in columns)
        self._faults = view.names.get('faults', 'faults')
        self._timestamps = detail
        self._uuid = columns.index('uuid')
        self._labels = columns.index('labels') if detail else None
        self._req = req
        self._collection = view.collection

    def body(self, row, nodes=None, template=None):
        """The cluster of row, with its links into the view's collection.

        nodes (its cluster_nodes) add the addresses and faults; template
        adds how the labels differ from the template's, as a single
        cluster shows.
        """
        body = dict(zip(self._names, row))
        if self._timestamps:
            body['created_at'] = response.isotime(body['created_at'])
            body['updated_at'] = response.isotime(body['updated_at'])
        uuid = row[self._uuid]
        body['links'] = response.links(self._req, self._collection, uuid)
        if nodes is not None:
            masters, workers, faults = [], [], {}
            for role, name, addresses, fault, *_ in nodes:
                if role == 'master':
                    masters.extend(addresses)
                elif role == 'worker':
                    workers.extend(addresses)
                if fault:
                    faults[name] = fault
            body['master_addresses'] = masters
            body['node_addresses'] = workers
            body[self._faults] = faults
        if template is not None:
            body.update(_label_differences(row[self._labels],
                                           template.labels))
        if self._cluster_id:
            # Magnum 1.13 replaced stack_id by cluster_id, which its
            # drivers fill for every cluster they create: the id of the
            # cluster in its driver. A cluster here has no Heat stack; it
            # is its own uuid.
            body['cluster_id'] = uuid
        return body


def _label_differences(labels, template_labels):
    return {
        'labels_overridden': {
            key: value for key, value in labels.items()
            if key in template_labels and template_labels[key] != value},
        'labels_added': {key: value for key, value in labels.items()
                         if key not in template_labels},
        'labels_skipped': {key: value
                           for key, value in template_labels.items()
                           if key not in labels},
    }


class View:
    """How /v1/clusters shows clusters, reads a create and answers it.

    A View of another collection overrides what differs.
    """

    # Its name in paths, links and list bodies.
    collection = 'clusters'
    # Attributes it shows under another name: attribute -> name.
    names = {}
    # What a list (not /detail) shows of each cluster, in its order.
    summary_fields = SUMMARY_FIELDS

    def shows_cluster_id(self, req):
        """Whether its bodies have cluster_id in place of stack_id."""
        return microversion.at_least(req, '1.13')

    def body(self, req, row, nodes=None, template=None):
        """The cluster (a model) as the collection shows it (see Bodies)."""
        bodies = Bodies(req, self)
        return bodies.body([getattr(row, column) for column in bodies.columns],
                           nodes, template)

    def create_values(self, req):
        """The create request's body, validated, in the cluster's names."""
        return validation.validated_body(
            req, schema.CREATE_V1_10 if microversion.at_least(req, '1.10')
            else schema.CREATE)

    def created(self, req, row):
        """The answer to a create: accepted, with the new cluster's uuid."""
        return response.json_response({'uuid': row.uuid}, status=202)


VIEW = View()


def _get(req, action):
    """The cluster named in the path, if the request may see it."""
    context = req.context
    project_id = project_scope.project_id_filter(
        context, 'cluster:%s_all_projects' % action)
    return db_api.cluster_get(context, req.urlvars['cluster_ident'],
                              project_id=project_id)


def list_collection(req, view, detail):
    """The clusters the request may see, as view's collection lists them."""
    context = req.context
    action = 'detail' if detail else 'get_all'
    context.can('cluster:%s' % action)
    query = collection.filters(req, ('name', 'status'))
    filters = dict(query)
    project_id = project_scope.project_id_filter(
        context, 'cluster:%s_all_projects' % action)
    if project_id is not None:
        filters['project_id'] = project_id
    page = collection.paging(req)
    bodies = Bodies(req, view, detail)
    if detail:
        # The id last: the page's nodes are found by it.
        rows = db_api.cluster_list(context, filters,
                                   columns=bodies.columns + ('id',), **page)
        nodes = db_api.node_list_by_cluster(context, [r[-1] for r in rows],
                                            columns=Bodies.NODE_COLUMNS)
        items = [bodies.body(row, nodes[row[-1]]) for row in rows]
    else:
        rows = db_api.cluster_list(context, filters, columns=bodies.columns,
                                   **page)
        items = [bodies.body(row) for row in rows]
    path = view.collection + ('/detail' if detail else '')
    return response.json_response(collection.collection(
        req, view.collection, items, rows, page, path, query=query))


def show(req, view):
    """The cluster named in the path, as view shows a single cluster."""
    context = req.context
    row = _get(req, 'get_one')
    context.can('cluster:get', {'project_id': row.project_id})
    try:
        template = db_api.cluster_template_get(context,
                                               row.cluster_template_id)
    except exception.ClusterTemplateNotFound:
        template = None  # deleted behind the API's back: nothing to compare
    nodes = db_api.node_list_by_cluster(context, [row.id],
                                        columns=Bodies.NODE_COLUMNS)
    return response.json_response(view.body(req, row, nodes[row.id],
                                            template))


def _template_for(context, ident):
    """The template a new cluster is made from, as the request may see it."""
    visible_to = project_scope.project_id_filter(
        context, 'clustertemplate:get_one_all_projects')
    try:
        return db_api.cluster_template_get(context, ident,
                                           visible_to=visible_to)
    except exception.ClusterTemplateNotFound as exc:
        # As in Magnum: not the cluster's 404 but a bad request.
        exc.code = 400
        raise


def _check_size(masters, workers):
    """Refuse a cluster of more nodes than [quotas] max_nodes_per_cluster.

    Before anything is recorded or cast: nothing may be asked to allocate
    in proportion to a count that was not checked.
    """
    limit = CONF.quotas.max_nodes_per_cluster
    if masters + workers > limit:
        raise exception.InvalidParameterValue(
            err='A cluster may have at most %d nodes: master_count %d plus '
                'node_count %d is %d.' % (limit, masters, workers,
                                          masters + workers))


def _check_quota(context, new_clusters=0, new_nodes=0):
    """Refuse if the project has (with what is new) more than allowed.

    Clusters: the project's quota (or [quotas] max_clusters_per_project);
    nodes, the Nova servers its clusters' rows count: [quotas]
    max_nodes_per_project. A create is checked before its insert, and
    again after it with nothing new: two creates racing past the first
    check both see each other's row on the second, so a project never
    ends above its quota (Nova's quota recheck; at worst both are
    refused).
    """
    try:
        limit = db_api.quota_get(context, context.project_id,
                                 'Cluster').hard_limit
    except exception.QuotaNotFound:
        limit = CONF.quotas.max_clusters_per_project
    clusters, nodes = db_api.cluster_stats(context, context.project_id)
    if clusters + new_clusters > limit:
        raise exception.ResourceLimitExceeded(
            msg='You have reached the maximum clusters per project, %d. You '
                'may delete a cluster to make room for a new one.' % limit)
    node_limit = CONF.quotas.max_nodes_per_project
    if nodes + new_nodes > node_limit:
        raise exception.ResourceLimitExceeded(
            msg='You have reached the maximum nodes per project, %d: its '
                'clusters have %d nodes and the request adds %d.'
                % (node_limit, nodes, new_nodes))


def create(req, view):
    """Record the cluster view's create request asks for; cast its create."""
    context = req.context
    context.can('cluster:create')
    body = view.create_values(req)
    values = {key: value for key, value in body.items()
              if value is not None}
    values.setdefault('master_count', 1)
    values.setdefault('node_count', 1)
    _check_size(values['master_count'], values['node_count'])
    template = _template_for(context, values['cluster_template_id'])
    references.check(req, values, references.CLUSTER_FIELDS)
    new_nodes = values['master_count'] + values['node_count']
    _check_quota(context, new_clusters=1, new_nodes=new_nodes)

    for attribute, template_attribute in _FROM_TEMPLATE.items():
        values.setdefault(attribute, template[template_attribute])
    if values.pop('merge_labels', False):
        values['labels'] = dict(template.labels, **values.get('labels', {}))
    values.setdefault('labels', template.labels)
    uuid = uuidutils.generate_uuid()
    values.update(
        # Unnamed, as in Magnum, it gets a name (a uuid is as unique as
        # Magnum's random words).
        uuid=uuid, name=values.get('name') or 'cluster-%s' % uuid[:8],
        cluster_template_id=template.uuid,
        project_id=context.project_id, user_id=context.user_id,
        status='CREATE_IN_PROGRESS',
        operation_started_at=timeutils.utcnow())
    row = db_api.cluster_create(context, values)
    try:
        _check_quota(context)
    except exception.ResourceLimitExceeded:
        db_api.cluster_destroy(context, row.uuid)
        raise
    req.conductor.cluster_create(context, row.uuid)
    return view.created(req, row)


def _cast_update(req, row, node_count, nodes_to_remove, rollback=False):
    """Mark the cluster UPDATE_IN_PROGRESS and have a conductor resize it.

    The new size is checked first, against the cluster's and the
    project's node limits (growing only: shrinking is always allowed).
    With rollback, a resize that fails goes back to the current size
    (ROLLBACK_IN_PROGRESS, then ROLLBACK_COMPLETE), as Magnum's Heat
    stacks did.
    """
    context = req.context
    _check_size(row.master_count, node_count)
    if node_count > row.node_count:
        _check_quota(context, new_nodes=node_count - row.node_count)
    db_api.cluster_update_unless_in_progress(context, row.uuid, {
        'status': 'UPDATE_IN_PROGRESS', 'status_reason': None,
        'operation_started_at': timeutils.utcnow(),
        'rollback_node_count': row.node_count if rollback else None,
        'rollback_reason': None})
    req.conductor.cluster_update(context, row.uuid, node_count,
                                 nodes_to_remove=nodes_to_remove)
    return response.json_response({'uuid': row.uuid}, status=202)


def _rollback_requested(req):
    """Magnum's ?rollback= on an update (1.3); ignored before, as there."""
    value = req.GET.get('rollback')
    if value is None or not microversion.at_least(req, '1.3'):
        return False
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise exception.InvalidParameterValue(
            err="Invalid input for query parameter rollback: '%s' is not "
                "a boolean." % value[:50])


def update_cluster(req):
    context = req.context
    rollback = _rollback_requested(req)
    operations = patch.operations(req)
    row = _get(req, 'update')
    context.can('cluster:update', {'project_id': row.project_id})
    changes = patch.apply(
        operations, {'node_count': row.node_count},
        schema.UPDATE_V1_10 if microversion.at_least(req, '1.10')
        else schema.UPDATE,
        schema.PATCHABLE,
        refusal='cannot change cluster property(ies) %s.')
    return _cast_update(req, row, changes['node_count'], None, rollback)


def resize_cluster(req):
    context = req.context
    body = validation.validated_body(
        req, schema.RESIZE_V1_10 if microversion.at_least(req, '1.10')
        else schema.RESIZE)
    row = _get(req, 'update')
    context.can('cluster:resize', {'project_id': row.project_id})
    nodegroup = body.get('nodegroup')
    # A cluster has one worker nodegroup, named as Magnum names it.
    if nodegroup == 'default-master':
        raise exception.InvalidParameterValue(
            err='Resizing a nodegroup with role master is not supported.')
    if nodegroup not in (None, 'default-worker'):
        raise exception.NodeGroupNotFound(nodegroup=nodegroup)
    return _cast_update(req, row, body['node_count'],
                        body.get('nodes_to_remove') or None)


def delete_cluster(req):
    context = req.context
    row = _get(req, 'delete')
    context.can('cluster:delete', {'project_id': row.project_id})
    # From any state: deleting is also how a stuck operation is abandoned.
    db_api.cluster_update(context, row.uuid, {
        'status': 'DELETE_IN_PROGRESS', 'status_reason': None,
        'operation_started_at': timeutils.utcnow()})
    req.conductor.cluster_delete(context, row.uuid)
    return webob.Response(status=204)


list_clusters = functools.partial(list_collection, view=VIEW, detail=False)
list_clusters_detail = functools.partial(list_collection, view=VIEW,
                                         detail=True)
show_cluster = functools.partial(show, view=VIEW)
create_cluster = functools.partial(create, view=VIEW)
