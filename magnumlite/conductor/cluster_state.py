"""What a cluster's node rows and Nova's servers mean, and what to do next.

Pure functions on plain data, no I/O. A sync pass reads (the node rows,
the cluster's servers in Nova), asks ``plan`` what to change, applies it
(clusters.py), and asks ``derive`` where the cluster then stands. Every
case is a row of a table in the unit tests.

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
BUILD = 'BUILD'
ACTIVE = 'ACTIVE'
ERROR = 'ERROR'
DELETED = 'DELETED'
DELETING = 'DELETING'

# A node in one of these will never become ACTIVE by waiting.
_BROKEN = (ERROR, DELETED)

MASTER, WORKER = 'master', 'worker'
_NAME_PART = {MASTER: 'master', WORKER: 'node'}

NodeState = collections.namedtuple('NodeState', 'status addresses fault')
ClusterState = collections.namedtuple('ClusterState',
                                      'status reason nodes removed')
ClusterState.__doc__ = """\
status: e.g. CREATE_COMPLETE; reason: the status_reason, naming nodes;
nodes: {node name: NodeState} for nodes that stay; removed: names of
DELETING nodes whose server is gone (their rows can go).
"""


# Names and rows

def node_name(cluster_name, role, index):
    return '%s-%s-%d' % (cluster_name, _NAME_PART[role], index)


def node_index(name):
    """The <i> at the end of a node name."""
    return int(name.rsplit('-', 1)[1])


def new_node_names(cluster_name, role, existing_names, count):
    """count new names for role, numbered after every existing one.

    Numbers are never reused while a node that had them may still exist,
    so a new server is never confused with one being deleted.
    """
    prefix = node_name(cluster_name, role, 0)[:-1]
    taken = [node_index(name) for name in existing_names
             if name.startswith(prefix)]
    start = max(taken) + 1 if taken else 0
    return [node_name(cluster_name, role, i)
            for i in range(start, start + count)]


def select_nodes_to_remove(workers, count, requested=None):
    """The count worker rows a resize down removes.

    :param workers: the worker node rows, oldest first.
    :param requested: nodes_to_remove: node uuids, server ids or names;
        taken first, the newest other workers make up the rest.
    :raises ValueError: a requested node is not a worker of the cluster, or
        more are requested than the resize removes.
    """
    chosen = []
    for ref in requested or ():
        match = [w for w in workers
                 if ref in (w['uuid'], w['server_id'], w['name'])]
        if not match:
            raise ValueError('%s is not a worker node of this cluster' % ref)
        if match[0] not in chosen:
            chosen.append(match[0])
    if len(chosen) > count:
        raise ValueError('%d nodes to remove were named, but the new '
                         'node_count removes %d' % (len(chosen), count))
    newest_first = sorted(workers, key=lambda w: node_index(w['name']),
                          reverse=True)
    others = [w for w in newest_first if w not in chosen]
    chosen += others[:count - len(chosen)]
    return chosen


def rows_to_record(cluster_name, counts, nodes, nodes_to_remove=None):
    """What makes the node rows match the counts: (add, remove).

    :param counts: {MASTER: master_count, WORKER: node_count}.
    :param nodes: the node rows as dicts, oldest first.
    :returns: add: [(role, name)] of new PENDING rows; remove: the names
        of rows to mark DELETING (nodes_to_remove first, then the newest).
    """
    add, remove = [], []
    for role in (MASTER, WORKER):
        have = [n for n in nodes
                if n['role'] == role and n['status'] != DELETING]
        if len(have) > counts[role]:
            remove += [n['name'] for n in select_nodes_to_remove(
                have, len(have) - counts[role],
                nodes_to_remove if role == WORKER else None)]
            continue
        add += [(role, name) for name in new_node_names(
            cluster_name, role, [n['name'] for n in nodes],
            counts[role] - len(have))]
    return add, remove


# One sync pass

Plan = collections.namedtuple('Plan', 'retire add remove adopt boot delete')
Plan.__doc__ = """\
What one sync pass changes, applied in this order (rows before Nova, so a
conductor that dies half way leaves rows that say what is still to do):
retire: names of workers whose server broke (gone, or ERROR), marked
  DELETING so that new rows replace them (an update heals the cluster);
add: [(role, name)] new PENDING rows;
remove: names of rows to mark DELETING (a resize down);
adopt: {node name: server id} of servers a conductor created and died
  before recording;
boot: names of PENDING nodes (new ones included) whose servers to create;
delete: names of nodes whose servers to delete: all of them for a delete,
  else those marked DELETING (once their COE lets them go).
"""


def plan(action, cluster_name, counts, nodes, servers, started):
    """The Plan of one sync pass of a cluster in action_IN_PROGRESS.

    :param counts: {MASTER: master_count, WORKER: node_count}.
    :param nodes: the node rows as dicts (name, role, server_id, status,
        created_at), oldest first.
    :param servers: {server id: facts (name, status, task_state)} of the
        cluster's servers Nova lists now.
    :param started: when the operation began: an update retires only the
        workers older than it (one it added that breaks fails the update;
        a cloud with no room would otherwise get a new server every pass
        until the timeout).
    """
    retire = []
    if action == 'UPDATE':
        for node in nodes:
            server = servers.get(node['server_id'])
            if node['role'] == WORKER and node['server_id'] and (
                    node['status'] != DELETING) and (
                    node['created_at'] < started) and (
                    server is None or server['status'] == ERROR):
                retire.append(node['name'])
    nodes = [dict(n, status=DELETING) if n['name'] in retire else n
             for n in nodes]
    add, remove = [], []
    if action != 'DELETE':
        add, remove = rows_to_record(cluster_name, counts, nodes)
    nodes = [dict(n, status=DELETING) if n['name'] in remove else n
             for n in nodes] + [
        {'name': name, 'role': role, 'server_id': None, 'status': PENDING}
        for role, name in add]
    recorded = {n['server_id'] for n in nodes}
    unrecorded = {s['name']: sid for sid, s in servers.items()
                  if sid not in recorded}
    adopt, boot, delete = {}, [], []
    for node in nodes:
        server_id = node['server_id']
        if not server_id and node['status'] == PENDING and (
                node['name'] in unrecorded):
            server_id = adopt[node['name']] = unrecorded[node['name']]
        if action == 'DELETE' or node['status'] == DELETING:
            server = servers.get(server_id)
            if server and server['task_state'] != 'deleting':
                delete.append(node['name'])
        elif not server_id and node['status'] == PENDING:
            boot.append(node['name'])
    return Plan(retire, add, remove, adopt, boot, delete)


# Where the cluster stands

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
