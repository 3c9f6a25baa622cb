"""/v1/clusters/{cluster_ident}/nodes: a cluster's Nova servers.

magnumlite's own resource, not Magnum's: Magnum shows a cluster's
addresses, this shows each node behind them, its role, its Nova server,
the state the conductor last saw it in and the fault Nova reported. It
is served at every microversion and read under the cluster's policy.
"""

from magnumlite.api import project_scope
from magnumlite.api import response
from magnumlite.common import exception
from magnumlite.db import api as db_api

FIELDS = ('uuid', 'name', 'role', 'status', 'server_id', 'addresses',
          'fault')


def _nodes(req):
    """The cluster named in the path and its nodes, if it may be seen."""
    cluster = project_scope.visible_cluster(req)
    req.context.can('cluster:get', {'project_id': cluster.project_id})
    return cluster, db_api.node_list(req.context, cluster.uuid)


def _body(node, cluster):
    return dict({field: node[field] for field in FIELDS},
                cluster_uuid=cluster.uuid)


def list_nodes(req):
    cluster, nodes = _nodes(req)
    return response.json_response(
        {'nodes': [_body(node, cluster) for node in nodes]})


def show_node(req):
    """A node by its uuid, its name or its Nova server's id."""
    cluster, nodes = _nodes(req)
    ident = req.urlvars['node_ident']
    for node in nodes:
        if ident in (node.uuid, node.name, node.server_id):
            return response.json_response(_body(node, cluster))
    raise exception.ClusterNodeNotFound(node=ident)
