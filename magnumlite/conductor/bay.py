"""Provisioning a bay: its nodes as Nova servers, created, synced, removed.

A bay is master_count masters and node_count workers, each a Nova server
named "<bay>-master-<i>" / "<bay>-node-<i>" and recorded in cluster_nodes
before Nova is asked for it, so a conductor that dies half way finds, on
its next sync, which servers exist and which must still be created.

The RPC handlers only record what is wanted (nodes to add, nodes to
remove); sync() does all the Nova work, and the Neutron work through
bay_network (the bay's network, router, security group, node ports and
floating IPs, found by tag), and derives the status (bay_state), one bay
at a time.
"""

import re

from novaclient import exceptions as nova_exc
from oslo_log import log as logging
from oslo_utils import timeutils

from magnumlite.common import clients
from magnumlite.common import context as ml_context
from magnumlite.common import exception
from magnumlite.common import keystone
from magnumlite.conductor import bay_network
from magnumlite.conductor import bay_state
from magnumlite.conductor import user_data
from magnumlite.db import api as db_api

LOG = logging.getLogger(__name__)

MASTER, WORKER = 'master', 'worker'
_NAME_PART = {MASTER: 'master', WORKER: 'node'}
METADATA_CLUSTER = 'magnumlite_cluster'
METADATA_ROLE = 'magnumlite_role'
# create_timeout 0 means "none" in Magnum; a bay never waits forever here.
DEFAULT_TIMEOUT_MINUTES = 60
# Where clients reach the COE on the first master.
_API_ADDRESS = {'kubernetes': 'https://%s:6443', 'swarm': 'tcp://%s:2376',
                'swarm-mode': 'tcp://%s:2376'}


# Names and choices (pure)

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
    :raises ValueError: a requested node is not a worker of the bay, or
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


def server_facts(server):
    """What the bay cares about of a novaclient Server, as plain data."""
    addresses = [address['addr']
                 for network in (getattr(server, 'addresses', None) or {})
                 .values() for address in network]
    fault = getattr(server, 'fault', None) or {}
    return {'status': server.status, 'addresses': addresses,
            'fault': fault.get('message'),
            'task_state': getattr(server, 'OS-EXT-STS:task_state', None)}


# RPC side: record what is wanted

def _admin():
    return ml_context.get_admin_context()


def fail(cluster_uuid, action, reason):
    LOG.warning('Cluster %s %s failed: %s', cluster_uuid, action, reason)
    db_api.cluster_update(_admin(), cluster_uuid, {
        'status': '%s_FAILED' % action, 'status_reason': reason})


def record_nodes(cluster, nodes, nodes_to_remove=None):
    """Make the node rows match the bay's counts; True if any changed.

    Missing nodes get PENDING rows; extra workers are marked DELETING
    (nodes_to_remove first, then the newest). Idempotent, so the sync pass
    runs it too: a conductor that died half way through recording a
    create or a resize leaves nothing half done.
    """
    admin = _admin()
    changed = False
    for role, count in ((MASTER, cluster.master_count),
                        (WORKER, cluster.node_count)):
        have = [n for n in nodes
                if n.role == role and n.status != bay_state.DELETING]
        if len(have) > count:
            for node in select_nodes_to_remove(
                    have, len(have) - count,
                    nodes_to_remove if role == WORKER else None):
                db_api.node_update(admin, node.uuid,
                                   {'status': bay_state.DELETING})
                changed = True
            continue
        for name in new_node_names(cluster.name, role,
                                   [n.name for n in nodes],
                                   count - len(have)):
            db_api.node_create(admin, cluster.uuid, {
                'role': role, 'name': name, 'status': bay_state.PENDING})
            changed = True
    return changed


def start_create(context, cluster_uuid):
    """Make the bay's trust from the user's token and record its nodes."""
    admin = _admin()
    cluster = db_api.cluster_get(admin, cluster_uuid)
    try:
        trust_id, trustee_user_id = keystone.create_trust(
            context, cluster.project_id)
    except Exception as exc:
        fail(cluster_uuid, 'CREATE',
             'could not create a keystone trust for the cluster: %s' % exc)
        return
    cluster = db_api.cluster_update(admin, cluster_uuid, {
        'trust_id': trust_id, 'trustee_user_id': trustee_user_id})
    record_nodes(cluster, db_api.node_list(admin, cluster_uuid))


def rotate_trust(context, cluster_uuid):
    """Replace the bay's trust by a new one from the requesting user.

    Magnum's credential rotation (API 1.12): the old trust is deleted once
    the bay uses the new one, so whoever held the old trust id can no
    longer act for the bay. Returns None, or why it could not be done.
    """
    admin = _admin()
    cluster = db_api.cluster_get(admin, cluster_uuid)
    old_trust_id = cluster.trust_id
    if not old_trust_id:
        return 'the cluster has no credential yet'
    try:
        trust_id, trustee_user_id = keystone.create_trust(
            context, cluster.project_id)
    except Exception as exc:
        return 'could not create a keystone trust: %s' % exc
    db_api.cluster_update(admin, cluster_uuid, {
        'trust_id': trust_id, 'trustee_user_id': trustee_user_id})
    keystone.delete_trust(old_trust_id)
    LOG.info('Cluster %s now uses trust %s', cluster_uuid, trust_id)
    return None


def start_update(cluster_uuid, node_count, nodes_to_remove=None):
    """Record the resize: new worker rows, or workers marked DELETING."""
    admin = _admin()
    nodes = db_api.node_list(admin, cluster_uuid)
    workers = [n for n in nodes
               if n.role == WORKER and n.status != bay_state.DELETING]
    if node_count < len(workers):
        try:
            # Refuse a wrong nodes_to_remove before changing anything.
            select_nodes_to_remove(workers, len(workers) - node_count,
                                   nodes_to_remove)
        except ValueError as exc:
            fail(cluster_uuid, 'UPDATE', str(exc))
            return
    cluster = db_api.cluster_update(admin, cluster_uuid,
                                    {'node_count': node_count})
    record_nodes(cluster, nodes, nodes_to_remove)


# Sync side: make Nova match, then say where the bay stands

def _list_servers(nova, cluster):
    """The bay's servers, in one call: by name prefix, then our metadata.

    The metadata check keeps out another bay of the same name.
    """
    servers = nova.servers.list(
        search_opts={'name': '^%s-' % re.escape(cluster.name)})
    return {s.id: s for s in servers
            if (s.metadata or {}).get(METADATA_CLUSTER) == cluster.uuid}


class _Resolver:
    """Image and flavor ids from names, looked up once per sync pass."""

    def __init__(self, nova):
        self.nova = nova
        self._images, self._flavors = {}, {}

    def image(self, ref):
        if ref not in self._images:
            self._images[ref] = self.nova.glance.find_image(ref).id
        return self._images[ref]

    def flavor(self, ref):
        if ref not in self._flavors:
            try:
                flavor = self.nova.flavors.get(ref)
            except nova_exc.NotFound:
                flavor = self.nova.flavors.find(name=ref)
            self._flavors[ref] = flavor.id
        return self._flavors[ref]


def _create_server(nova, resolve, cluster, template, node, port_id):
    role = node.role
    flavor = cluster.flavor_id or template.flavor_id
    if role == MASTER:
        master_flavor = cluster.master_flavor_id or template.master_flavor_id
        flavor = master_flavor or flavor
    return nova.servers.create(
        name=node.name,
        image=resolve.image(template.image_id),
        flavor=resolve.flavor(flavor),
        key_name=cluster.keypair or template.keypair_id or None,
        nics=[{'port-id': port_id}],
        meta={METADATA_CLUSTER: cluster.uuid, METADATA_ROLE: role},
        # Magnum's label for it, so existing templates keep working.
        availability_zone=(cluster.labels or {}).get('availability_zone'),
        userdata=user_data.render(cluster, template.coe, role,
                                  node_index(node.name), node.name))


def _converge(nova, network, template, cluster, nodes, servers):
    """Ask Nova for what the rows want; True if anything was asked.

    A new server boots on its node's port (bay_network), made first.
    """
    admin = _admin()
    acted = False
    by_name = {s.name: s for s in servers.values()}
    deleting = cluster.status.startswith('DELETE')
    wiring = None
    resolve = _Resolver(nova)
    for node in nodes:
        server = servers.get(node.server_id)
        if deleting or node.status == bay_state.DELETING:
            if server and server_facts(server)['task_state'] != 'deleting':
                try:
                    nova.servers.delete(node.server_id)
                except nova_exc.NotFound:
                    pass
                acted = True
            continue
        if node.server_id or node.status != bay_state.PENDING:
            continue
        if node.name in by_name:
            # Created by a conductor that died before recording it.
            db_api.node_update(admin, node.uuid,
                               {'server_id': by_name[node.name].id})
            acted = True
            continue
        if wiring is None:
            wiring = network.ensure(template)
        port_id = network.port(wiring, node.name)
        try:
            server = _create_server(nova, resolve, cluster, template, node,
                                    port_id)
        except Exception as exc:
            # Quota, flavor or image not found...: Nova's words, on the node.
            db_api.node_update(admin, node.uuid, {
                'status': bay_state.ERROR,
                'fault': 'Nova refused to create the server: %s' % exc})
        else:
            db_api.node_update(admin, node.uuid, {'server_id': server.id,
                                                  'status': server.status})
        acted = True
    return acted


def _api_address(coe, nodes, states):
    for node in nodes:
        state = states.get(node.name)
        if node.role == MASTER and state and state.addresses:
            return _API_ADDRESS.get(coe, '%s') % state.addresses[0]
    return None


def _finish_delete(cluster):
    admin = _admin()
    if cluster.trust_id:
        keystone.delete_trust(cluster.trust_id)
    db_api.cluster_destroy(admin, cluster.uuid)
    LOG.info('Cluster %s deleted', cluster.uuid)


def _elapsed(cluster):
    started = cluster.operation_started_at or cluster.created_at
    return timeutils.delta_seconds(started, timeutils.utcnow())


def _timeout_minutes(cluster):
    return cluster.create_timeout or DEFAULT_TIMEOUT_MINUTES


def awaiting_create_request(cluster, grace):
    """True while a new bay's create request may still be on its way.

    The API marks the bay CREATE_IN_PROGRESS before it casts the request,
    so a sync pass can see the bay before any conductor has made its
    trust; only after grace seconds is the request taken as lost.
    """
    if cluster.status != 'CREATE_IN_PROGRESS' or cluster.trust_id:
        return False
    return _elapsed(cluster) < grace


def sync(cluster, host):
    """One pass over a bay in progress that host holds a claim on."""
    action = cluster.status.split('_', 1)[0]
    if not cluster.trust_id:
        # No trust, so no server was ever created for this bay.
        if action == 'DELETE':
            _finish_delete(cluster)
        else:
            fail(cluster.uuid, action, 'the cluster has no keystone trust: '
                 'its create request was lost, or the conductor stopped '
                 'before creating the trust')
        return
    try:
        derived, nodes, servers = _sync_with_nova(cluster, action)
    except bay_network.Refused as exc:
        # A network that does not exist, an external network no router
        # can reach, a quota...: waiting would not help.
        fail(cluster.uuid, action, str(exc))
        db_api.cluster_release(_admin(), cluster.uuid, host)
        return
    except Exception as exc:
        # Nova or keystone unreachable, the trust gone...: the bay says
        # so while it waits, and fails when its time is up.
        if _elapsed(cluster) > _timeout_minutes(cluster) * 60:
            fail(cluster.uuid, action, 'timed out after %d minutes; last '
                 'error: %s' % (_timeout_minutes(cluster), exc))
            db_api.cluster_release(_admin(), cluster.uuid, host)
        else:
            db_api.cluster_update(_admin(), cluster.uuid, {
                'status_reason': 'retrying after error: %s' % exc})
        raise
    admin = _admin()
    for node in nodes:
        if node.name in derived.removed:
            db_api.node_destroy(admin, node.uuid)
        elif node.name in derived.nodes:
            db_api.node_update(admin, node.uuid,
                               dict(derived.nodes[node.name]._asdict()))
    if derived.status == 'DELETE_COMPLETE':
        _finish_delete(cluster)
        return
    # The API may have started another operation (a delete) since this
    # pass read the bay; that one wins and the next pass works it.
    if db_api.cluster_get(admin, cluster.uuid).status != cluster.status:
        return
    values = {'status': derived.status, 'status_reason': derived.reason,
              'api_address': _api_address(_coe(cluster), nodes,
                                          derived.nodes)}
    if derived.status.endswith(bay_state.COMPLETE):
        # Every node ACTIVE: healthy from the start, not after a check.
        values['health_status'], values['health_status_reason'] = (
            bay_state.health([dict(n) for n in nodes], servers))
    db_api.cluster_update(admin, cluster.uuid, values)
    if not derived.status.endswith(bay_state.IN_PROGRESS):
        db_api.cluster_release(admin, cluster.uuid, host)


def _sync_with_nova(cluster, action):
    """Make Nova and Neutron match the rows.

    (BayState, the node rows it is about, the facts of the servers).
    A node's addresses are its floating IP once it has one.
    """
    admin = _admin()
    nodes = db_api.node_list(admin, cluster.uuid)
    if action != 'DELETE' and record_nodes(cluster, nodes):
        nodes = db_api.node_list(admin, cluster.uuid)
    session = clients.trust_session(cluster.trust_id)
    nova = clients.nova(session)
    network = bay_network.BayNetwork(
        clients.openstack_sdk(session).network, cluster)
    template = (None if action == 'DELETE' else db_api.cluster_template_get(
        admin, cluster.cluster_template_id))
    servers = _list_servers(nova, cluster)
    if _converge(nova, network, template, cluster, nodes, servers):
        nodes = db_api.node_list(admin, cluster.uuid)
        servers = _list_servers(nova, cluster)
    floating = _converge_network(network, template, nodes, servers)
    facts = {sid: server_facts(s) for sid, s in servers.items()}
    for node in nodes:
        if node.name in floating and node.server_id in facts:
            facts[node.server_id]['addresses'] = [floating[node.name]]
    derived = bay_state.derive(action, [dict(n) for n in nodes], facts,
                               _elapsed(cluster), _timeout_minutes(cluster))
    return derived, nodes, facts


def _converge_network(network, template, nodes, servers):
    """Neutron's part once Nova was asked: {node name: floating IP}.

    A delete (template None) removes the bay's resources once its servers
    are gone; otherwise nodes whose server is gone for good release their
    port and floating IP, and the others get a floating IP.
    """
    if template is None:
        if not servers:
            network.delete()
        return {}
    for node in nodes:
        gone = node.server_id not in servers
        if node.status == bay_state.DELETING and gone:
            network.release(node.name)
    return network.floating_ips(template, {
        node.name for node in nodes if node.status != bay_state.DELETING})


# Health: where a bay at rest stands, checked now and then

# Magnum checks the health of clusters in these statuses.
AT_REST = ('CREATE_COMPLETE', 'UPDATE_COMPLETE')


def check_health(cluster):
    """Set the bay's health_status from what Nova says of its servers now.

    Nova unreachable or the trust gone: UNKNOWN, with the error as the
    reason. Only a change is written.
    """
    admin = _admin()
    nodes = [dict(n) for n in db_api.node_list(admin, cluster.uuid)]
    try:
        nova = clients.nova(clients.trust_session(cluster.trust_id))
        servers = {sid: server_facts(s)
                   for sid, s in _list_servers(nova, cluster).items()}
    except Exception as exc:
        status, reason = bay_state.UNKNOWN, {'nova': str(exc)}
    else:
        status, reason = bay_state.health(nodes, servers)
    if (status, reason) == (cluster.health_status,
                            cluster.health_status_reason):
        return
    LOG.info('Cluster %s is %s: %s', cluster.uuid, status, reason)
    try:
        db_api.cluster_update_unless_in_progress(admin, cluster.uuid, {
            'health_status': status, 'health_status_reason': reason})
    except (exception.ClusterOperationInProgress,
            exception.ClusterNotFound):
        # An operation began (or the bay went) since this check read it:
        # that one says where the bay stands.
        pass


def _coe(cluster):
    try:
        return db_api.cluster_template_get(
            _admin(), cluster.cluster_template_id).coe
    except exception.ClusterTemplateNotFound:
        return None
