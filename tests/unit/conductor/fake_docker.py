"""Fake Docker engines of a cluster's nodes: the Docker API boundary.

Only what coe/swarm_mode.py calls. Each engine is reached at its node's
address and, like a real one with --tlsverify, answers only a client
whose CA is the one its TLS directory holds. Engines join one swarm
object; a joined node is Ready at once unless a test says otherwise.
"""

import io
import itertools
import tarfile
import types

from docker import errors as docker_errors
from requests import exceptions as requests_exc


class Swarm:

    def __init__(self, manager):
        self.id = 'swarm-%s' % manager.address
        self.members = {}  # node id -> Engine
        self.tasks = {}  # node id -> number of running tasks


class Engine:

    _ids = ('node-%d' % i for i in itertools.count())

    def __init__(self, address, node_uuid, ca_cert, version='20.10.24'):
        self.address = address
        self.labels = {'magnumlite.node': node_uuid}
        self.tls_files = {'ca.pem': ca_cert}
        # The CA the running engine verifies clients with: what its TLS
        # directory held when it (re)started.
        self.active_ca = ca_cert
        self.version = version
        self.swarm = None
        self.node_id = next(self._ids)
        self.spec = {'Labels': {}, 'Availability': 'active',
                     'Role': 'worker'}
        self.state = 'ready'
        self.up = True
        self.joins = []
        self.containers = []
        # Seconds a swarm init takes here; a client that waits less gets a
        # read timeout, while the engine carries on and completes it.
        self.init_takes = 0

    def restart(self):
        """What the node's init does when its TLS files change."""
        self.active_ca = self.tls_files['ca.pem']


class World:
    """The engines by address; what a DockerClient for one gets."""

    def __init__(self):
        self.engines = {}

    def add(self, address, node_uuid, ca_cert):
        self.engines[address] = Engine(address, node_uuid, ca_cert)
        return self.engines[address]

    def connect(self, url, timeout, tls_cacert=None, tls_cert=None,
                tls_key=None):
        """docker_engine.connect to tcp://address:port, as a fake."""
        address = url.split('://', 1)[1].rsplit(':', 1)[0]
        engine = self.engines.get(address)
        if engine is None or not engine.up:
            raise docker_errors.DockerException(
                'Error while fetching server API version: Connection '
                'refused')
        with open(tls_cacert) as f:
            if f.read().strip() != engine.active_ca.strip():
                raise docker_errors.DockerException(
                    'Error while fetching server API version: '
                    'certificate verify failed')
        return Client(self, engine)


def _tar(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w') as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


class SwarmNode:

    def __init__(self, engine):
        self.engine = engine
        self.id = engine.node_id
        self.attrs = {
            'ID': engine.node_id, 'Spec': dict(engine.spec),
            'Description': {'Hostname': engine.address,
                            'Engine': {'Labels': dict(engine.labels)}},
            'Status': {'State': engine.state}}

    def update(self, spec):
        self.engine.spec = dict(spec)

    def remove(self, force=False):
        self.engine.swarm.members.pop(self.id)


class Client:

    def __init__(self, world, engine):
        self.world = world
        self.engine = engine
        self.swarm = types.SimpleNamespace(
            init=self._init, join=self._join, leave=self._leave,
            reload=lambda: None, attrs=None)
        self.nodes = types.SimpleNamespace(list=self._nodes)
        self.api = types.SimpleNamespace(
            tasks=self._tasks, import_image_from_data=self._import,
            timeout=10)
        self.images = types.SimpleNamespace(get=self._image)
        self.containers = types.SimpleNamespace(create=self._create)
        self._refresh()

    def _refresh(self):
        swarm = self.engine.swarm
        if swarm is not None:
            self.swarm.attrs = {'ID': swarm.id, 'JoinTokens': {
                'Worker': 'worker-token-%s' % swarm.id,
                'Manager': 'manager-token-%s' % swarm.id}}

    def info(self):
        swarm = self.engine.swarm
        return {'Swarm': {
            'LocalNodeState': 'active' if swarm else 'inactive',
            'Cluster': {'ID': swarm.id} if swarm else {}}}

    def version(self):
        return {'Version': self.engine.version}

    def close(self):
        pass

    def _init(self, advertise_addr, listen_addr):
        self.engine.swarm = Swarm(self.engine)
        self.engine.swarm.members[self.engine.node_id] = self.engine
        self.engine.spec['Role'] = 'manager'
        self.engine.advertised = advertise_addr
        self._refresh()
        if self.engine.init_takes > self.api.timeout:
            raise requests_exc.ReadTimeout(
                "HTTPSConnectionPool(host='%s', port=2376): Read timed out. "
                "(read timeout=%s)" % (self.engine.address, self.api.timeout))

    def _join(self, remote_addrs, join_token, advertise_addr, listen_addr):
        self.engine.joins.append((remote_addrs, join_token, advertise_addr))
        for other in self.world.engines.values():
            swarm = other.swarm
            if swarm and join_token.endswith(swarm.id):
                self.engine.swarm = swarm
                swarm.members[self.engine.node_id] = self.engine
                return
        raise docker_errors.APIError('invalid join token')

    def _leave(self, force=False):
        self.engine.swarm.members.pop(self.engine.node_id, None)
        self.engine.swarm = None

    def _nodes(self):
        return [SwarmNode(e) for e in self.engine.swarm.members.values()]

    def _tasks(self, filters):
        return [{}] * self.engine.swarm.tasks.get(filters['node'], 0)

    def _image(self, name):
        if name not in getattr(self.engine, 'images', ()):
            raise docker_errors.ImageNotFound(name)

    def _import(self, data, repository):
        self.engine.images = {repository}

    def _create(self, image, command, network_disabled, volumes, labels):
        engine = self.engine

        def get_archive(path):
            name = path.rsplit('/', 1)[1]
            return [_tar({name: engine.tls_files[name]})], {}

        def put_archive(path, data):
            with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                for member in tar.getmembers():
                    engine.tls_files[member.name] = (
                        tar.extractfile(member).read().decode())

        container = types.SimpleNamespace(
            get_archive=get_archive, put_archive=put_archive,
            remove=lambda force: engine.containers.remove(container),
            volumes=volumes)
        engine.containers.append(container)
        return container
