"""Swarm-mode clusters: every node runs a Docker engine; together a swarm.

Each node boots from a node image whose init starts an engine with TLS on
port 2376, from the server certificate this module puts in its user_data
(signed by the cluster's CA, naming the node's fixed and floating
addresses). Once every server is ACTIVE, the conductor drives the engines
over the Docker API with its own client certificate of the cluster's CA:

* the first master inits the swarm, advertising its fixed address; the
  other masters join as managers, the workers as workers;
* each swarm node carries the label role=master|worker;
* the cluster is COMPLETE when the swarm lists every node Ready, and its
  api_address is tcp://<first master's address>:2376, which is what
  `openstack coe cluster config` puts into DOCKER_HOST;
* a worker a resize removes is drained first, and its server deleted
  only once its tasks run elsewhere and the swarm has forgotten it.

Nodes are told apart in the swarm by the engine label
magnumlite.node=<node uuid>, which the node's init gives its engine, not
by host names (Nova rewrites those).
"""

import contextlib
import io
import os
import shlex
import tarfile
import tempfile

from oslo_log import log as logging
from requests import exceptions as requests_exc

from magnumlite.common import docker_engine
from magnumlite.conductor import certificates
from magnumlite.conductor.coe import base
from magnumlite.conductor import user_data as user_data_templates

LOG = logging.getLogger(__name__)

# Its engines' API is TLS, with certificates of the cluster's CA.
TLS = True
API_PORT = 2376
SWARM_PORT = 2377
ENGINE_LABEL_NODE = 'magnumlite.node'
ENGINE_LABEL_CLUSTER = 'magnumlite.cluster'
ROLE_LABEL = 'role'
# Seconds one Docker API call to a node may take. The sync pass works one
# cluster at a time, so a node that does not answer must not hold it long.
ENGINE_TIMEOUT = 10
# ... but for a swarm init or join, which wait for the swarm's raft to
# elect or replicate: on a busy host that alone took more than 10 s.
SWARM_TIMEOUT = 60
TEMPLATE = 'swarm-mode'


def api_address(address):
    return 'tcp://%s:%d' % (address, API_PORT)


# -- boot --------------------------------------------------------------------

def user_data(cluster, template, node, tls):
    """The node's boot script: its engine's TLS identity and settings.

    tls: (server KeyPair, CA PEM), or None for a cluster with TLS disabled
    (then the engine listens on its unix socket only). The label
    registry_mirror (an http URL) becomes the engine's registry mirror.
    """
    labels = cluster['labels'] or {}
    engine_labels = '%s=%s,%s=%s,magnumlite.role=%s' % (
        ENGINE_LABEL_NODE, node.uuid, ENGINE_LABEL_CLUSTER, cluster['uuid'],
        node.role)
    server, ca = tls or (None, None)
    mirror = ' '.join(str(labels.get('registry_mirror', '')).split())
    return user_data_templates.render(
        cluster, TEMPLATE, node.role, node.index, node.name,
        tls='1' if tls else '', ca_cert=(ca or '').strip(),
        server_cert=server.cert.strip() if server else '',
        server_key=server.key.strip() if server else '',
        registry_mirror=shlex.quote(mirror),
        node_labels=shlex.quote(engine_labels))


# -- talking to the engines --------------------------------------------------

class EngineError(Exception):
    """A node's engine could not be reached or refused a request."""

    def __init__(self, node, error):
        super().__init__('%s: %s' % (node.name, error))
        self.node = node


@contextlib.contextmanager
def engine(node, authorities):
    """A docker.DockerClient for the node's engine, over TLS.

    authorities: [(CA KeyPair, client KeyPair)] to try in turn (during a
    CA rotation a node may answer with a certificate of either CA).
    Raises EngineError naming the node when none gets an answer.
    """
    errors = []
    for ca, client in authorities:
        with tempfile.TemporaryDirectory() as secrets:
            tls = {}
            for option, pem in (('tls_cacert', ca.cert),
                                ('tls_cert', client.cert),
                                ('tls_key', client.key)):
                tls[option] = os.path.join(secrets, option + '.pem')
                fd = os.open(tls[option], os.O_WRONLY | os.O_CREAT, 0o600)
                with os.fdopen(fd, 'w') as f:
                    f.write(pem)
            try:
                client_ = docker_engine.connect(api_address(node.address),
                                                ENGINE_TIMEOUT, **tls)
            except docker_engine.DockerException as exc:
                errors.append(_brief(exc))
                continue
            try:
                yield client_
            except docker_engine.DockerException as exc:
                raise EngineError(node, _brief(exc))
            except requests_exc.RequestException as exc:
                # No answer in time, or the connection dropped mid-call.
                raise EngineError(node, _brief(exc))
            finally:
                client_.close()
            return
    raise EngineError(node, '; '.join(errors))


def _brief(exc):
    """The part of a Docker SDK error that says what went wrong."""
    text = str(exc)
    for marker in ('Caused by ', 'explanation='):
        if marker in text:
            text = text.split(marker, 1)[1]
    return text.strip()[:300]


# -- bootstrap and growth ----------------------------------------------------

def _swarm_nodes(manager):
    """{cluster node uuid: swarm Node} of the swarm's nodes that are ours."""
    nodes = {}
    for swarm_node in manager.nodes.list():
        labels = (swarm_node.attrs.get('Description', {}).get('Engine', {})
                  .get('Labels') or {})
        if ENGINE_LABEL_NODE in labels:
            nodes[labels[ENGINE_LABEL_NODE]] = swarm_node
    return nodes


@contextlib.contextmanager
def _patient(client):
    """Let client's calls take up to SWARM_TIMEOUT (an init, a join)."""
    saved, client.api.timeout = client.api.timeout, SWARM_TIMEOUT
    try:
        yield client
    finally:
        client.api.timeout = saved


def _ensure_swarm(manager, first):
    """Init the swarm on the first master unless it is in one already."""
    if manager.info()['Swarm']['LocalNodeState'] != 'active':
        LOG.info('Initialising the swarm on %s', first.name)
        with _patient(manager):
            manager.swarm.init(advertise_addr=first.fixed_address,
                               listen_addr='0.0.0.0:%d' % SWARM_PORT)
    manager.swarm.reload()
    return manager.swarm.attrs


def _join(node, authorities, swarm, first):
    """Have node's engine join the swarm (or find it joining already)."""
    token = swarm['JoinTokens']['Manager' if node.role == 'master'
                                else 'Worker']
    with engine(node, authorities) as client:
        state = client.info()['Swarm']
        if state['LocalNodeState'] == 'active':
            if state.get('Cluster', {}).get('ID') == swarm['ID']:
                return  # joined; the manager lists it shortly
            # In another swarm (a reused address, an earlier attempt):
            # only this cluster's swarm counts.
            client.swarm.leave(force=True)
        elif state['LocalNodeState'] == 'pending':
            return
        LOG.info('%s joins the swarm as a %s', node.name, node.role)
        with _patient(client):
            client.swarm.join(
                remote_addrs=['%s:%d' % (first.fixed_address, SWARM_PORT)],
                join_token=token, advertise_addr=node.fixed_address,
                listen_addr='0.0.0.0:%d' % SWARM_PORT)


def _label(swarm_node, role):
    spec = swarm_node.attrs['Spec']
    if (spec.get('Labels') or {}).get(ROLE_LABEL) == role:
        return
    spec['Labels'] = dict(spec.get('Labels') or {}, **{ROLE_LABEL: role})
    swarm_node.update(spec)


def _readiness(swarm_node):
    """'Ready', or the swarm's word for where the node stands."""
    if swarm_node is None:
        return 'not in the swarm'
    state = swarm_node.attrs['Status'].get('State', 'unknown')
    if state != 'ready':
        message = swarm_node.attrs['Status'].get('Message')
        return state + (' (%s)' % message if message else '')
    return 'Ready'


def converge(cluster, template, nodes, authorities):
    """Bring every node into the cluster's swarm; COMPLETE once all are Ready.

    A node whose engine does not answer (yet: engines start a few
    seconds after their server is ACTIVE) or refuses is named in the
    reason; the cluster's create timeout turns waiting into a failure.
    """
    first = nodes[0]
    try:
        with engine(first, authorities) as manager:
            swarm = _ensure_swarm(manager, first)
            version = manager.version().get('Version')
            unreachable = {}
            members = _swarm_nodes(manager)
            outside = [node for node in nodes if node.uuid not in members]
            for node in outside:
                try:
                    _join(node, authorities, swarm, first)
                except EngineError as exc:
                    unreachable[node.name] = str(exc).split(': ', 1)[1]
            for uuid, member in list(members.items()):
                if uuid not in {node.uuid for node in nodes} and (
                        _readiness(member) != 'Ready'):
                    # A node replaced while its server was dead: forget it.
                    member.remove(force=True)
            if outside:
                members = _swarm_nodes(manager)
            waiting = {}
            for node in nodes:
                readiness = _readiness(members.get(node.uuid))
                if readiness == 'Ready':
                    _label(members[node.uuid], _role(node))
                else:
                    waiting[node.name] = unreachable.get(node.name,
                                                         readiness)
    except EngineError as exc:
        return base.Outcome(base.IN_PROGRESS,
                            'waiting for the engine of %s' % exc, {})
    values = {'api_address': api_address(first.address),
              'coe_version': version, 'container_version': version}
    if waiting:
        return base.Outcome(
            base.IN_PROGRESS, 'waiting for swarm nodes: %s' % ', '.join(
                '%s: %s' % item for item in sorted(waiting.items())),
            values)
    return base.Outcome(base.COMPLETE, 'swarm of %d nodes, all Ready'
                        % len(nodes), values)


def _role(node):
    return 'master' if node.role == 'master' else 'worker'


# -- shrinking ---------------------------------------------------------------

def may_delete(cluster, template, node, nodes, authorities):
    """Drain a removed worker; True once its server may be deleted.

    Drained (its tasks rescheduled on the other nodes), then removed
    from the swarm: a service keeps its replicas while the cluster shrinks.
    A node whose server is already gone or never joined goes at once.
    """
    with engine(nodes[0], authorities) as manager:
        swarm_node = _swarm_nodes(manager).get(node.uuid)
        if swarm_node is None:
            return True
        if node.status != 'ACTIVE':
            # A dead node has nothing to drain: its tasks already went.
            swarm_node.remove(force=True)
            return True
        spec = swarm_node.attrs['Spec']
        if spec.get('Availability') != 'drain':
            LOG.info('Draining %s', node.name)
            swarm_node.update(dict(spec, Availability='drain'))
            return False
        running = manager.api.tasks(filters={'node': swarm_node.id,
                                             'desired-state': 'running'})
        if running:
            return False
        swarm_node.remove(force=True)
        LOG.info('%s left the swarm', node.name)
        return True


# -- CA rotation -------------------------------------------------------------

# An image with nothing in it, imported into a node's engine: a container
# of it is never started, it only carries a bind mount of the node's TLS
# directory, through which the engine writes the new certificates.
_EMPTY_IMAGE = 'magnumlite/empty'
_TLS_DIR = '/etc/docker/tls'
_CARRIER_MOUNT = '/tls'


def _tar(files):
    """An in-memory tar of {name: text}, every file private (0600)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w') as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _read_tar(stream, name):
    with tarfile.open(fileobj=io.BytesIO(b''.join(stream))) as tar:
        return tar.extractfile(name).read().decode()


@contextlib.contextmanager
def _tls_dir(client):
    """A created (never started) container with the node's TLS directory."""
    try:
        client.images.get(_EMPTY_IMAGE)
    except docker_engine.NotFound:
        client.api.import_image_from_data(_tar({}), repository=_EMPTY_IMAGE)
    carrier = client.containers.create(
        _EMPTY_IMAGE, command=['/none'], network_disabled=True,
        volumes={_TLS_DIR: {'bind': _CARRIER_MOUNT, 'mode': 'rw'}},
        labels={'magnumlite.purpose': 'ca-rotation'})
    try:
        yield carrier
    finally:
        carrier.remove(force=True)


def rotate_ca(cluster, template, nodes, authorities):
    """Give every node a server certificate of the new CA.

    authorities: [current, new]. Through the current CA each node's TLS
    directory gets the new CA and its new certificate; the node's init
    sees them and restarts its engine, which from then on accepts only
    clients of the new CA. COMPLETE once every engine answers through the
    new CA alone. A node already holding the new files is left to
    restart, never written to again.
    """
    current, new = authorities[0], authorities[-1]
    waiting = {}
    for node in nodes:
        try:
            with engine(node, [new]):
                continue
        except EngineError:
            pass
        try:
            with engine(node, [current]) as client, _tls_dir(client) as tls:
                stream, _ = tls.get_archive(_CARRIER_MOUNT + '/ca.pem')
                if _read_tar(stream, 'ca.pem').strip() == new[0].cert.strip():
                    waiting[node.name] = 'restarting its engine'
                    continue
                server, ca = certificates.node_certificate(
                    cluster.uuid, node.name, node_names(node), pending=True)
                tls.put_archive(_CARRIER_MOUNT, _tar({
                    'ca.pem': ca, 'cert.pem': server.cert,
                    'key.pem': server.key}))
                LOG.info('%s has its certificate of the new CA', node.name)
                waiting[node.name] = 'given the new certificate'
        except EngineError as exc:
            waiting[node.name] = str(exc).split(': ', 1)[1]
    if waiting:
        return base.Outcome(
            base.IN_PROGRESS, 'rotating the CA: %s' % ', '.join(
                '%s: %s' % item for item in sorted(waiting.items())), {})
    return base.Outcome(base.COMPLETE, 'CA rotated on %d nodes'
                        % len(nodes), {})


def node_names(node):
    """What a node's server certificate names: its name, its addresses."""
    return [name for name in (node.name, node.fixed_address, node.address)
            if name]


# -- health ------------------------------------------------------------------

def health(cluster, template, nodes, authorities):
    """HEALTHY while the swarm lists every node Ready.

    The reason maps every node to its readiness in the swarm, as Magnum
    maps nodes to their Ready condition.
    """
    try:
        with engine(nodes[0], authorities) as manager:
            members = _swarm_nodes(manager)
    except EngineError as exc:
        return base.UNKNOWN, {'api': str(exc)}
    reason = {node.name: _readiness(members.get(node.uuid))
              for node in nodes}
    if all(state == 'Ready' for state in reason.values()):
        return base.HEALTHY, reason
    return base.UNHEALTHY, reason
