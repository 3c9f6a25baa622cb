"""/v1/clusters/{cluster_ident}/nodegroups (1.9): a cluster's node groups.

A magnumlite cluster has Magnum's two default node groups and no others:
default-master (its masters) and default-worker (its workers, which
resize addresses by that name). They are listed and shown as Magnum shows
them, from the cluster and its template; making, changing or deleting
node groups is not offered (see handlers/unsupported.py), the cluster's
own update and resize change the workers.
"""

import uuid

from magnumlite.api import collection
from magnumlite.api import project_scope
from magnumlite.api import response
from magnumlite.common import exception
from magnumlite.db import api as db_api

MASTER, WORKER = 'default-master', 'default-worker'
FIELDS = (
    'uuid', 'name', 'cluster_id', 'project_id', 'docker_volume_size',
    'labels', 'flavor_id', 'image_id', 'node_addresses', 'node_count',
    'role', 'min_node_count', 'max_node_count', 'is_default', 'stack_id',
    'status', 'status_reason', 'version', 'links')
# What a list shows of each, as Magnum's.
SUMMARY_FIELDS = ('uuid', 'name', 'flavor_id', 'image_id', 'node_count',
                  'role', 'is_default', 'status', 'stack_id')


def _cluster(req):
    cluster = project_scope.visible_cluster(req)
    req.context.can('cluster:get', {'project_id': cluster.project_id})
    return cluster


def _nodegroups(req, cluster):
    """The cluster's two node groups, master first, as Magnum's bodies."""
    context = req.context
    try:
        image_id = db_api.cluster_template_get(
            context, cluster.cluster_template_id).image_id
    except exception.ClusterTemplateNotFound:
        image_id = None
    nodes = db_api.node_list(context, cluster.uuid)
    groups = []
    for name, role, count, flavor_id in (
            (MASTER, 'master', cluster.master_count,
             cluster.master_flavor_id),
            (WORKER, 'worker', cluster.node_count, cluster.flavor_id)):
        # A stable id for a group that has no row of its own.
        group_uuid = str(uuid.uuid5(uuid.UUID(cluster.uuid), name))
        groups.append({
            'uuid': group_uuid, 'name': name, 'cluster_id': cluster.uuid,
            'project_id': cluster.project_id,
            'docker_volume_size': cluster.docker_volume_size,
            'labels': cluster.labels, 'flavor_id': flavor_id,
            'image_id': image_id,
            'node_addresses': [address for node in nodes
                               if node.role == role
                               for address in node.addresses],
            'node_count': count, 'role': role,
            'min_node_count': 1 if role == 'master' else 0,
            'max_node_count': None, 'is_default': True,
            'stack_id': cluster.stack_id, 'status': cluster.status,
            'status_reason': cluster.status_reason, 'version': None,
            'links': response.links(
                req, 'clusters/%s/nodegroups' % cluster.uuid, group_uuid),
        })
    return groups


def _list(req, detail):
    cluster = _cluster(req)
    roles = collection.filters(req, ('role',)).get('role')
    groups = [group for group in _nodegroups(req, cluster)
              if not roles or group['role'] in roles]
    if not detail:
        groups = [{field: group[field] for field in SUMMARY_FIELDS}
                  for group in groups]
    return response.json_response({'nodegroups': groups})


def list_nodegroups(req):
    return _list(req, detail=False)


def list_nodegroups_detail(req):
    return _list(req, detail=True)


def show_nodegroup(req):
    cluster = _cluster(req)
    ident = req.urlvars['nodegroup_ident']
    for group in _nodegroups(req, cluster):
        if ident in (group['uuid'], group['name']):
            return response.json_response(group)
    raise exception.NodeGroupNotFound(nodegroup=ident)
