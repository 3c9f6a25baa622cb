"""The status table: what a cluster's node rows and Nova's servers mean."""

import testtools

from magnumlite.conductor import cluster_state


def node(name, server_id=None, status='PENDING', fault=None):
    return {'name': name, 'server_id': server_id, 'status': status,
            'addresses': [], 'fault': fault}


def server(status, fault=None, addresses=()):
    return {'status': status, 'fault': fault, 'addresses': list(addresses),
            'task_state': None}


M0, N0, N1 = 'b-master-0', 'b-node-0', 'b-node-1'
NO_HOST = 'No valid host was found. There are not enough hosts available.'
QUOTA = ('Nova refused to create the server: Quota exceeded for ram: '
         'Requested 512, but already used 0 of 0 ram (HTTP 403)')

# (action, nodes, servers, elapsed seconds, expected status, expected reason)
TABLE = [
    ('CREATE', [node(M0), node(N0)], {}, 0,
     'CREATE_IN_PROGRESS', 'waiting for b-master-0: PENDING, '
     'b-node-0: PENDING'),
    ('CREATE', [node(M0, 's1', 'BUILD'), node(N0, 's2', 'BUILD')],
     {'s1': server('ACTIVE'), 's2': server('BUILD')}, 30,
     'CREATE_IN_PROGRESS', 'waiting for b-node-0: BUILD'),
    ('CREATE', [node(M0, 's1'), node(N0, 's2')],
     {'s1': server('ACTIVE'), 's2': server('ACTIVE')}, 30,
     'CREATE_COMPLETE', '2 servers ACTIVE'),
    ('CREATE', [node(M0, 's1'), node(N0, 's2')],
     {'s1': server('ACTIVE'), 's2': server('ERROR', NO_HOST)}, 30,
     'CREATE_FAILED', 'b-node-0: ' + NO_HOST),
    ('CREATE', [node(M0, 's1'), node(N0, status='ERROR', fault=QUOTA)],
     {'s1': server('BUILD')}, 30,
     'CREATE_FAILED', 'b-node-0: ' + QUOTA),
    ('CREATE', [node(M0, 's1'), node(N0, 's2')],
     {'s1': server('ACTIVE'), 's2': server('BUILD')}, 10 * 60 + 1,
     'CREATE_FAILED', 'timed out after 10 minutes waiting for '
     'b-node-0: BUILD'),
    ('CREATE', [node(M0, 's1'), node(N0, 's2')], {'s1': server('ACTIVE')},
     30, 'CREATE_FAILED', 'b-node-0: server s2 no longer exists in Nova'),
    # Resize down: the removed node counts until its server is gone.
    ('UPDATE', [node(M0, 's1'), node(N0, 's2'),
                node(N1, 's3', 'DELETING')],
     {'s1': server('ACTIVE'), 's2': server('ACTIVE'),
      's3': server('ACTIVE')}, 5,
     'UPDATE_IN_PROGRESS', 'waiting for b-node-1: DELETING'),
    ('UPDATE', [node(M0, 's1'), node(N0, 's2'),
                node(N1, 's3', 'DELETING')],
     {'s1': server('ACTIVE'), 's2': server('ACTIVE')}, 5,
     'UPDATE_COMPLETE', '2 servers ACTIVE'),
    ('UPDATE', [node(M0, 's1'), node(N0, 's2'), node(N1)],
     {'s1': server('ACTIVE'), 's2': server('ACTIVE')}, 5,
     'UPDATE_IN_PROGRESS', 'waiting for b-node-1: PENDING'),
    ('UPDATE', [node(M0, 's1'), node(N0, 's2', 'BUILD')],
     {'s1': server('ACTIVE'), 's2': server('ERROR', NO_HOST)}, 5,
     'UPDATE_FAILED', 'b-node-0: ' + NO_HOST),
    ('DELETE', [node(M0, 's1'), node(N0, 's2')],
     {'s1': server('ACTIVE')}, 5,
     'DELETE_IN_PROGRESS', 'waiting for Nova to delete b-master-0: ACTIVE'),
    # Servers already gone, never created, or refused: nothing to wait for.
    ('DELETE', [node(M0, 's1'), node(N0),
                node(N1, status='ERROR', fault=QUOTA)], {}, 5,
     'DELETE_COMPLETE', 'all servers deleted'),
    ('DELETE', [node(M0, 's1')], {'s1': server('ACTIVE')}, 10 * 60 + 1,
     'DELETE_FAILED', 'timed out after 10 minutes waiting for Nova to '
     'delete b-master-0: ACTIVE'),
]


class TestDerive(testtools.TestCase):

    def test_table(self):
        for action, nodes, servers, elapsed, status, reason in TABLE:
            derived = cluster_state.derive(action, nodes, servers, elapsed, 10)
            self.assertEqual((status, reason),
                             (derived.status, derived.reason),
                             (action, nodes, servers, elapsed))

    def test_node_states_carry_addresses_and_fault(self):
        derived = cluster_state.derive(
            'CREATE', [node(M0, 's1'), node(N0, 's2')],
            {'s1': server('ACTIVE', addresses=['10.0.0.5']),
             's2': server('ERROR', NO_HOST)}, 0, 10)
        self.assertEqual(
            {M0: cluster_state.NodeState('ACTIVE', ['10.0.0.5'], None),
             N0: cluster_state.NodeState('ERROR', [], NO_HOST)},
            derived.nodes)

    def test_removed_nodes_are_those_deleting_without_server(self):
        derived = cluster_state.derive(
            'UPDATE', [node(M0, 's1'), node(N0, 's2', 'DELETING'),
                       node(N1, 's3', 'DELETING')],
            {'s1': server('ACTIVE'), 's3': server('ACTIVE')}, 0, 10)
        self.assertEqual([N0], derived.removed)
        self.assertEqual({M0, N1}, set(derived.nodes))
