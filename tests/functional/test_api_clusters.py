"""The cluster API's casts, as a conductor receives them over RabbitMQ.

magnumlite-api runs as a process; in place of a conductor, this test
listens on the run's topic and records what arrives, so the API side of
the RPC contract (method names, arguments, version) is checked on the
real bus. What a conductor then does is tested with the conductor.
"""

import os
import queue
import sqlite3

from oslo_config import fixture as config_fixture
import oslo_messaging as messaging
from oslo_messaging import conffixture
import requests

from magnumlite.common import rpc
from magnumlite.conf import CONF
from tests.functional import test_api_conductor as services

CAST_TIMEOUT = 30


class RecordingConductor:
    """Conductor RPC endpoint that only records the casts it gets."""

    target = messaging.Target(version='1.1')

    def __init__(self):
        self.casts = queue.Queue()

    def _record(self, context, method, **kwargs):
        self.casts.put((method, context.project_id, kwargs))

    def cluster_create(self, context, cluster_uuid):
        self._record(context, 'cluster_create', cluster_uuid=cluster_uuid)

    def cluster_update(self, context, cluster_uuid, node_count,
                       nodes_to_remove=None):
        self._record(context, 'cluster_update', cluster_uuid=cluster_uuid,
                     node_count=node_count, nodes_to_remove=nodes_to_remove)

    def cluster_delete(self, context, cluster_uuid):
        self._record(context, 'cluster_delete', cluster_uuid=cluster_uuid)


class TestClusterCasts(services.ServicesTestCase):

    START_CONDUCTOR = False

    def setUp(self):
        super().setUp()
        conf = self.useFixture(config_fixture.Config(CONF))
        self.useFixture(conffixture.ConfFixture(CONF))
        conf.config(transport_url=services.TRANSPORT_URL)
        self.addCleanup(rpc.cleanup)
        self.recorder = RecordingConductor()
        server = rpc.get_server(
            messaging.Target(topic=self.topic, server=self.host),
            [self.recorder])
        server.start()
        self.addCleanup(server.wait)
        self.addCleanup(server.stop)
        self.headers = {'X-Project-Id': 'p1',
                        'OpenStack-API-Version': 'container-infra latest'}

    def _call(self, method, path, body=None):
        return requests.request(
            method, self.base_url + path, json=body, headers=self.headers,
            timeout=10)

    def _next_cast(self):
        try:
            return self.recorder.casts.get(timeout=CAST_TIMEOUT)
        except queue.Empty:
            raise AssertionError('no cast arrived in %ss' % CAST_TIMEOUT)

    def _set_status(self, uuid, status):
        # As a conductor would report it, straight into the API's database.
        path = os.path.join(self.tempdir, 'magnumlite.sqlite')
        with sqlite3.connect(path) as db:
            db.execute('UPDATE clusters SET status = ? WHERE uuid = ?',
                       (status, uuid))

    def test_create_resize_delete_reach_the_conductor(self):
        resp = self._call('POST', '/v1/clustertemplates', {
            'name': 't1', 'coe': 'kubernetes', 'image_id': 'busybox'})
        self.assertEqual(201, resp.status_code, resp.text)
        resp = self._call('POST', '/v1/clusters', {
            'name': 'c1', 'cluster_template_id': 't1', 'node_count': 2})
        self.assertEqual(202, resp.status_code, resp.text)
        uuid = resp.json()['uuid']

        self.assertEqual(('cluster_create', 'p1', {'cluster_uuid': uuid}),
                         self._next_cast())
        self.assertEqual('CREATE_IN_PROGRESS',
                         self._call('GET', '/v1/clusters/c1').json()['status'])
        resp = self._call('POST', '/v1/clusters/c1/actions/resize',
                          {'node_count': 3})
        self.assertEqual(409, resp.status_code, resp.text)

        self._set_status(uuid, 'CREATE_COMPLETE')
        resp = self._call('POST', '/v1/clusters/c1/actions/resize',
                          {'node_count': 1, 'nodes_to_remove': ['c1-node-1']})
        self.assertEqual(202, resp.status_code, resp.text)
        self.assertEqual(
            ('cluster_update', 'p1',
             {'cluster_uuid': uuid, 'node_count': 1,
              'nodes_to_remove': ['c1-node-1']}),
            self._next_cast())

        resp = self._call('DELETE', '/v1/clusters/c1')
        self.assertEqual(204, resp.status_code, resp.text)
        self.assertEqual(('cluster_delete', 'p1', {'cluster_uuid': uuid}),
                         self._next_cast())
        self.assertEqual('DELETE_IN_PROGRESS',
                         self._call('GET', '/v1/clusters/c1').json()['status'])

    def test_counts_beyond_the_limits_are_never_cast(self):
        resp = self._call('POST', '/v1/clustertemplates', {
            'name': 't1', 'coe': 'kubernetes', 'image_id': 'busybox'})
        self.assertEqual(201, resp.status_code, resp.text)
        for body in ({'node_count': 7735901969592780800},
                     {'node_count': 14016}, {'master_count': 110602}):
            resp = self._call('POST', '/v1/clusters',
                              dict(body, cluster_template_id='t1'))
            self.assertEqual(400, resp.status_code, resp.text)
        resp = self._call('POST', '/v1/clusters', {
            'name': 'c1', 'cluster_template_id': 't1'})
        self.assertEqual(202, resp.status_code, resp.text)

        # The first cast to arrive is the one create that was accepted.
        self.assertEqual(('cluster_create', 'p1',
                          {'cluster_uuid': resp.json()['uuid']}),
                         self._next_cast())
