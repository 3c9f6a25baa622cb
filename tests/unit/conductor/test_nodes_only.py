"""Clusters whose COE magnumlite does not install: health is Nova's word."""

import testtools

from magnumlite.api.schemas import cluster_template as schema
from magnumlite.conductor import clusters
from magnumlite.conductor import coe
from magnumlite.conductor.coe import nodes_only
from tests.unit.conductor.test_cluster_state import M0
from tests.unit.conductor.test_cluster_state import N0
from tests.unit.conductor.test_cluster_state import NO_HOST
from tests.unit.conductor.test_cluster_state import server


def node(name, server_id):
    return {'uuid': 'uuid-' + name, 'name': name, 'role': 'worker',
            'server_id': server_id, 'status': 'ACTIVE', 'addresses': [],
            'fault': None}


# (servers, expected health_status, expected health_status_reason) of a
# cluster whose nodes are M0 (server s1) and N0 (server s2).
HEALTH_TABLE = [
    ({'s1': server('ACTIVE'), 's2': server('ACTIVE')},
     'HEALTHY', {M0: 'ACTIVE', N0: 'ACTIVE'}),
    ({'s1': server('ACTIVE'), 's2': server('SHUTOFF')},
     'UNHEALTHY', {M0: 'ACTIVE', N0: 'SHUTOFF'}),
    ({'s1': server('ERROR', NO_HOST), 's2': server('ACTIVE')},
     'UNHEALTHY', {M0: NO_HOST, N0: 'ACTIVE'}),
    ({'s1': server('ACTIVE')},
     'UNHEALTHY', {M0: 'ACTIVE', N0: 'server s2 no longer exists in Nova'}),
]


class TestHealth(testtools.TestCase):

    def test_table(self):
        for servers, status, reason in HEALTH_TABLE:
            facts = clusters.node_facts([node(M0, 's1'), node(N0, 's2')],
                                        servers)
            self.assertEqual((status, reason),
                             nodes_only.health(None, None, facts, []),
                             servers)

    def test_no_nodes_is_not_healthy(self):
        self.assertEqual(('UNHEALTHY', {}),
                         nodes_only.health(None, None, [], []))


class TestWhichCOEsHaveACA(testtools.TestCase):

    def test_the_api_and_the_conductor_agree(self):
        # The API refuses certificates (and disabling TLS) by its own
        # list, which must be the COEs the conductor gives a CA.
        self.assertEqual(sorted(schema.TLS_REQUIRED), sorted(
            name for name in schema.COES if coe.for_coe(name).TLS))
