"""A cluster's status and health, from its node rows and what Nova says.

Pure functions, no I/O: the sync pass gathers the facts, this module says
what they mean, and every case is one row of a table in the unit tests.

Node statuses stored in cluster_nodes:
  PENDING   recorded, Nova not asked yet (or the conductor died before it)
  BUILD, ACTIVE, ERROR, ...   the server's Nova status, as last seen
  ERROR     also: Nova refused to create the server (the fault says why)
  DELETED   its server disappeared from Nova while the cluster needed it
  DELETING  being removed (resize down); the row goes once the server does
"""

import collections

# ROLLBACK: a failed resize asked with ?rollback=True, going back.
ACTIONS = ('CREATE', 'UPDATE', 'DELETE', 'ROLLBACK')
IN_PROGRESS, COMPLETE, FAILED = 'IN_PROGRESS', 'COMPLETE', 'FAILED'

PENDING = 'PENDING'
ACTIVE = 'ACTIVE'
ERROR = 'ERROR'
DELETED = 'DELETED'
DELETING = 'DELETING'

# A node in one of these will never become ACTIVE by waiting.
_BROKEN = (ERROR, DELETED)

NodeState = collections.namedtuple('NodeState', 'status addresses fault')
ClusterState = collections.namedtuple('ClusterState',
                                      'status reason nodes removed')
ClusterState.__doc__ = """\
status: e.g. CREATE_COMPLETE; reason: the status_reason, naming nodes;
nodes: {node name: NodeState} for nodes that stay; removed: names of
DELETING nodes whose server is gone (their rows can go).
"""


def node_state(node, server):
    """The NodeState of node (a row as a dict) given its server or None."""
    if node['status'] == DELETING:
        addresses = server['addresses'] if server else node['addresses']
        return NodeState(DELETING, addresses, node['fault'])
    if not node['server_id']:
        # Not created (yet), or Nova refused: the row says which.
        return NodeState(node['status'], node['addresses'] or [],
                         node['fault'])
    if server is None:
        return NodeState(DELETED, node['addresses'] or [],
                         'server %s no longer exists in Nova'
                         % node['server_id'])
    fault = server['fault'] if server['status'] == ERROR else None
    return NodeState(server['status'], server['addresses'], fault)


def _describe(name, state):
    return '%s: %s' % (name, state.fault or state.status)


def derive(action, nodes, servers, elapsed, timeout_minutes):
    """The ClusterState of a cluster in action_IN_PROGRESS.

    :param action: CREATE, UPDATE, DELETE or ROLLBACK.
    :param nodes: the cluster's node rows as dicts (name, server_id, status,
        addresses, fault), masters first.
    :param servers: {server id: {'status', 'addresses', 'fault'}} of the
        cluster's servers that Nova lists now.
    :param elapsed: seconds since the operation started.
    :param timeout_minutes: the cluster's create_timeout.
    """
    states, removed = {}, []
    for node in nodes:
        server = servers.get(node['server_id'])
        if node['status'] == DELETING and server is None:
            removed.append(node['name'])
            continue
        states[node['name']] = node_state(node, server)
    timed_out = elapsed > timeout_minutes * 60

    def cluster(outcome, reason):
        return ClusterState('%s_%s' % (action, outcome), reason, states,
                            removed)

    if action == 'DELETE':
        # Done once Nova lists none of the cluster's servers, whatever
        # state the cluster was in when the delete began.
        left = [_describe(node['name'], states[node['name']])
                for node in nodes
                if node['name'] in states and node['server_id'] in servers]
        if not left:
            return cluster(COMPLETE, 'all servers deleted')
        if timed_out:
            return cluster(FAILED, 'timed out after %d minutes waiting for '
                           'Nova to delete %s'
                           % (timeout_minutes, ', '.join(left)))
        return cluster(IN_PROGRESS, 'waiting for Nova to delete %s'
                       % ', '.join(left))

    broken = [_describe(name, state) for name, state in states.items()
              if state.status in _BROKEN]
    if broken:
        return cluster(FAILED, '; '.join(broken))
    # Nodes being removed count as waiting: the resize is done when they
    # are gone.
    waiting = ['%s: %s' % (name, state.status)
               for name, state in states.items() if state.status != ACTIVE]
    if not waiting:
        return cluster(COMPLETE, '%d servers ACTIVE' % len(states))
    if timed_out:
        return cluster(FAILED, 'timed out after %d minutes waiting for %s'
                       % (timeout_minutes, ', '.join(waiting)))
    return cluster(IN_PROGRESS, 'waiting for %s' % ', '.join(waiting))
