"""What the benchmark scripts in tools/ share: a connection, a poll loop."""

import functools
import os
import sys
import time
import uuid

import openstack

# The benchmarks run from a checkout and share the tests' poll loop.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
from tests import waiting  # noqa: E402

# The all-in-one's state: its config, pid files and logs.
ALLINONE_HOME = os.environ.get('MAGNUMLITE_ALLINONE_HOME', os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    '.allinone'))
POLL = 0.2
# How long a benchmark waits for one bay or set of servers.
TIMEOUT = 600


def add_server_arguments(parser):
    """--image, --flavor, --zone, --network: what a benchmark boots with."""
    parser.add_argument('--image', default='busybox')
    parser.add_argument('--flavor', default='m1.tiny')
    parser.add_argument('--zone', default='fake')
    parser.add_argument('--network', default='private')


def connect():
    """A connection for the OS_* environment (`source .allinone/openrc`)."""
    return openstack.connect()


poll = functools.partial(waiting.wait_until, interval=POLL)


class Magnumlite:
    """The container-infra API over the connection's keystone session."""

    HEADERS = {'OpenStack-API-Version': 'container-infra 1.10'}

    def __init__(self, conn):
        self.session = conn.session
        self.endpoint = conn.endpoint_for('container-infra').rstrip('/')

    def _call(self, method, path, **kwargs):
        url = self.endpoint + ('' if self.endpoint.endswith('/v1')
                               else '/v1') + path
        return self.session.request(url, method, headers=self.HEADERS,
                                    raise_exc=False, **kwargs)

    def create_template(self, name, image, flavor, zone, **fields):
        resp = self._call('POST', '/clustertemplates', json=dict({
            'name': name, 'coe': 'kubernetes', 'image_id': image,
            'flavor_id': flavor, 'master_flavor_id': flavor,
            'external_network_id': 'public',
            'labels': {'availability_zone': zone}}, **fields))
        resp.raise_for_status()
        return resp.json()['uuid']

    def template(self, ident):
        resp = self._call('GET', '/clustertemplates/' + ident)
        resp.raise_for_status()
        return resp.json()

    def delete_template(self, uuid):
        self._call('DELETE', '/clustertemplates/' + uuid)

    def create_bay(self, name, template, workers):
        resp = self._call('POST', '/clusters', json={
            'name': name, 'cluster_template_id': template,
            'master_count': 1, 'node_count': workers, 'create_timeout': 10})
        resp.raise_for_status()
        return resp.json()['uuid']

    def bay(self, uuid):
        resp = self._call('GET', '/clusters/' + uuid)
        return resp.json() if resp.status_code == 200 else None

    def delete_bay(self, uuid):
        self._call('DELETE', '/clusters/' + uuid)
        poll(lambda: self.bay(uuid) is None, 'bay %s to go' % uuid,
             TIMEOUT)


def time_nova(conn, image, flavor, network, count, zone=None):
    """(seconds, servers in ERROR) of count servers booted at once.

    The baseline a bay is measured against: the same servers, each with a
    port on network, without magnumlite. They are deleted afterwards.
    """
    prefix = 'bench-nova-%s' % uuid.uuid4().hex[:6]
    start = time.monotonic()
    servers = [conn.compute.create_server(
        name='%s-%d' % (prefix, i), image_id=image.id, flavor_id=flavor.id,
        networks=[{'uuid': network.id}], availability_zone=zone)
        for i in range(count)]
    ids = {s.id for s in servers}

    def settled():
        mine = [s for s in conn.compute.servers(name='^%s-' % prefix)
                if s.id in ids]
        if all(s.status in ('ACTIVE', 'ERROR') for s in mine):
            return mine
        return None

    mine = poll(settled, 'the Nova servers', TIMEOUT)
    elapsed = time.monotonic() - start
    errors = sum(s.status == 'ERROR' for s in mine)
    for server in mine:
        conn.compute.delete_server(server)
    poll(lambda: not list(conn.compute.servers(name='^%s-' % prefix)),
         'the Nova servers to go', TIMEOUT)
    return elapsed, errors
