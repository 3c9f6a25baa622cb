"""The tables of cluster_state: what a sync pass does and what it means."""

import datetime

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


def worker(name, uuid='u', server_id=None):
    return {'name': name, 'uuid': uuid, 'server_id': server_id}


class TestNames(testtools.TestCase):

    def test_new_names_follow_existing_ones(self):
        self.assertEqual(['b-node-0', 'b-node-1'],
                         cluster_state.new_node_names('b', 'worker', [], 2))
        self.assertEqual(
            ['b-node-3'],
            cluster_state.new_node_names(
                'b', 'worker', ['b-master-0', 'b-node-0', 'b-node-2'], 1))
        self.assertEqual(
            ['b-master-0'],
            cluster_state.new_node_names('b', 'master', ['b-node-4'], 1))

    def test_resize_down_removes_newest_workers(self):
        workers = [worker('b-node-0'), worker('b-node-1'),
                   worker('b-node-2')]
        self.assertEqual(['b-node-2', 'b-node-1'],
                         [w['name'] for w in
                          cluster_state.select_nodes_to_remove(workers, 2)])

    def test_resize_down_takes_named_nodes_first(self):
        workers = [worker('b-node-0', 'uuid-0', 'srv-0'),
                   worker('b-node-1', 'uuid-1', 'srv-1'),
                   worker('b-node-2', 'uuid-2', 'srv-2')]
        for ref in ('uuid-0', 'srv-0', 'b-node-0'):
            self.assertEqual(
                ['b-node-0', 'b-node-2'],
                [w['name'] for w in
                 cluster_state.select_nodes_to_remove(workers, 2, [ref])])

    def test_resize_down_refuses_unknown_or_too_many_nodes(self):
        workers = [worker('b-node-0'), worker('b-node-1')]
        self.assertRaises(ValueError, cluster_state.select_nodes_to_remove,
                          workers, 1, ['b-master-0'])
        self.assertRaises(ValueError, cluster_state.select_nodes_to_remove,
                          workers, 1, ['b-node-0', 'b-node-1'])

    def test_rows_to_record(self):
        rows = [dict(node(M0, 's1'), role='master', uuid='u0'),
                dict(node(N0, 's2'), role='worker', uuid='u1'),
                dict(node(N1, 's3', 'DELETING'), role='worker', uuid='u2')]
        counts = {'master': 1, 'worker': 3}
        self.assertEqual(([('worker', 'b-node-2'), ('worker', 'b-node-3')],
                          []),
                         cluster_state.rows_to_record('b', counts, rows))
        self.assertEqual(([], ['b-node-0']), cluster_state.rows_to_record(
            'b', {'master': 1, 'worker': 0}, rows))


BEFORE = datetime.datetime(2026, 1, 1, 11, 0)
STARTED = datetime.datetime(2026, 1, 1, 12, 0)
AFTER = datetime.datetime(2026, 1, 1, 12, 5)


def row(name, server_id=None, status='PENDING', created_at=BEFORE):
    role = 'master' if '-master-' in name else 'worker'
    return dict(node(name, server_id, status), role=role,
                created_at=created_at)


def listed(name, status='ACTIVE', task_state=None):
    return dict(server(status), name=name, task_state=task_state)


N2, N3 = 'b-node-2', 'b-node-3'
# (action, (masters, workers), rows, servers, expected Plan fields)
PLANS = [
    # A new cluster: every row PENDING, nothing in Nova: boot them all.
    ('CREATE', (1, 2), [row(M0), row(N0), row(N1)], {},
     dict(boot=[M0, N0, N1])),
    # A conductor died after recording only the master: the rest first.
    ('CREATE', (1, 2), [row(M0)], {},
     dict(add=[('worker', N0), ('worker', N1)], boot=[M0, N0, N1])),
    # ... or after Nova created b-node-0 but before its id was recorded.
    ('CREATE', (1, 1), [row(M0, 's1', 'BUILD'), row(N0)],
     {'s1': listed(M0), 's9': listed(N0, 'BUILD')},
     dict(adopt={N0: 's9'})),
    # Nothing to do while Nova builds.
    ('CREATE', (1, 1), [row(M0, 's1', 'BUILD'), row(N0, 's2', 'BUILD')],
     {'s1': listed(M0, 'BUILD'), 's2': listed(N0, 'BUILD')}, {}),
    # A delete deletes every server once, adopting one never recorded.
    ('DELETE', (1, 2), [row(M0, 's1'), row(N0, 's2'), row(N1)],
     {'s1': listed(M0), 's2': listed(N0, task_state='deleting'),
      's3': listed(N1)},
     dict(adopt={N1: 's3'}, delete=[M0, N1])),
    # A delete records nothing, even below the counts.
    ('DELETE', (1, 2), [row(M0, 's1')], {}, {}),
    # Resize down: the newest worker is marked and its server deleted.
    ('UPDATE', (1, 1), [row(M0, 's1'), row(N0, 's2'), row(N1, 's3')],
     {'s1': listed(M0), 's2': listed(N0), 's3': listed(N1)},
     dict(remove=[N1], delete=[N1])),
    # Resize up.
    ('UPDATE', (1, 3), [row(M0, 's1'), row(N0, 's2')],
     {'s1': listed(M0), 's2': listed(N0)},
     dict(add=[('worker', N1), ('worker', N2)], boot=[N1, N2])),
    # An update replaces a worker that broke before it (gone or ERROR),
    # with numbers after every existing one, and deletes the broken one.
    ('UPDATE', (1, 2), [row(M0, 's1'), row(N0, 's2'), row(N1, 's3')],
     {'s1': listed(M0), 's3': listed(N1, 'ERROR')},
     dict(retire=[N0, N1], add=[('worker', N2), ('worker', N3)],
          boot=[N2, N3], delete=[N1])),
    # ... but not one the update added itself (that fails the update),
    # and never a master.
    ('UPDATE', (1, 1), [row(M0, 's1'), row(N0, 's2', created_at=AFTER)],
     {'s1': listed(M0, 'ERROR'), 's2': listed(N0, 'ERROR')}, {}),
    # A create retires nothing: a broken server fails it.
    ('CREATE', (1, 1), [row(M0, 's1'), row(N0, 's2')],
     {'s1': listed(M0), 's2': listed(N0, 'ERROR')}, {}),
    # A removed node whose delete Nova is doing is not deleted again.
    ('UPDATE', (1, 0), [row(M0, 's1'), row(N0, 's2', 'DELETING')],
     {'s1': listed(M0), 's2': listed(N0, task_state='deleting')}, {}),
    # A node Nova refused is not booted again (derive fails the cluster).
    ('CREATE', (1, 1), [row(M0, 's1'), row(N0, status='ERROR')],
     {'s1': listed(M0)}, {}),
]


class TestPlan(testtools.TestCase):

    def test_table(self):
        empty = dict(retire=[], add=[], remove=[], adopt={}, boot=[],
                     delete=[])
        for action, (masters, workers), rows, servers, changes in PLANS:
            plan = cluster_state.plan(
                action, 'b', {'master': masters, 'worker': workers}, rows,
                servers, STARTED)
            self.assertEqual(dict(empty, **changes), plan._asdict(),
                             (action, masters, workers, rows, servers))

    def test_the_rows_given_are_not_changed(self):
        rows = [row(M0, 's1'), row(N0, 's2'), row(N1, 's3')]
        copy = [dict(r) for r in rows]
        cluster_state.plan('UPDATE', 'b', {'master': 1, 'worker': 0}, rows,
                           {'s1': listed(M0)}, STARTED)
        self.assertEqual(copy, rows)
