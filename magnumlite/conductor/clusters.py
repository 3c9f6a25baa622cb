"""A cluster's nodes as Nova servers: created, synced, removed.

A cluster is master_count masters and node_count workers, each a Nova
server named "<cluster>-master-<i>" / "<cluster>-node-<i>" and recorded in
cluster_nodes before Nova is asked for it, so a conductor that dies half
way finds, on its next sync, which servers exist and which must still be
created.

The RPC handlers only record what is wanted (nodes to add, nodes to
remove); sync() does all the Nova work (placing the servers with
cluster_placement's server groups), and the Neutron work through
cluster_network (the cluster's network, router, security group, node ports
and floating IPs, found by tag), one cluster at a time. A pass reads the
rows and lists the servers once, asks cluster_state what to change (plan)
and where the cluster then stands (derive), and applies both.
"""

import collections
from concurrent import futures
import re

from novaclient import exceptions as nova_exc
from oslo_log import log as logging
from oslo_utils import timeutils

from magnumlite.common import clients
from magnumlite.common import context as ml_context
from magnumlite.common import exception
from magnumlite.common import keystone
from magnumlite.conductor import certificates
from magnumlite.conductor import cluster_network
from magnumlite.conductor import cluster_placement
from magnumlite.conductor import cluster_state
from magnumlite.conductor import coe
from magnumlite.conductor.coe import base as coe_base
from magnumlite.conf import CONF
from magnumlite.db import api as db_api

LOG = logging.getLogger(__name__)

MASTER, WORKER = cluster_state.MASTER, cluster_state.WORKER
METADATA_CLUSTER = 'magnumlite_cluster'
METADATA_ROLE = 'magnumlite_role'
# create_timeout 0 means "none" in Magnum; a cluster never waits forever here.
DEFAULT_TIMEOUT_MINUTES = 60


# Plain data of what Nova says

def server_facts(server):
    """What the cluster cares about of a novaclient Server, as plain data."""
    fixed, floating = [], []
    for network in (getattr(server, 'addresses', None) or {}).values():
        for address in network:
            kind = address.get('OS-EXT-IPS:type')
            (floating if kind == 'floating' else fixed).append(
                address['addr'])
    fault = getattr(server, 'fault', None) or {}
    return {'name': server.name, 'status': server.status,
            'addresses': fixed + floating,
            'fixed_addresses': fixed, 'floating_addresses': floating,
            'fault': fault.get('message'),
            'task_state': getattr(server, 'OS-EXT-STS:task_state', None)}


def accepted_server_facts(name):
    """server_facts of a server Nova has just accepted to create.

    What a GET of it would say (BUILD, scheduling, no address yet),
    without the GET: novaclient's create answers a Server that fetches
    itself the first time anything but its id is read.
    """
    return {'name': name, 'status': cluster_state.BUILD, 'addresses': [],
            'fixed_addresses': [], 'floating_addresses': [], 'fault': None,
            'task_state': 'scheduling'}


def node_facts(nodes, servers):
    """coe.base.NodeFacts of node rows (as dicts), given server facts."""
    facts = []
    for node in nodes:
        server = servers.get(node['server_id']) or {}
        state = cluster_state.node_state(node, servers.get(node['server_id']))
        fixed = (server.get('fixed_addresses') or [None])[0]
        floating = (server.get('floating_addresses') or [None])[0]
        facts.append(coe_base.NodeFacts(
            uuid=node['uuid'], name=node['name'], role=node['role'],
            index=cluster_state.node_index(node['name']),
            status=state.fault or state.status, fixed_address=fixed,
            address=floating or fixed))
    return facts


# RPC side: record what is wanted

def _admin():
    return ml_context.get_admin_context()


def fail(cluster_uuid, action, reason):
    LOG.warning('Cluster %s %s failed: %s', cluster_uuid, action, reason)
    db_api.cluster_update(_admin(), cluster_uuid, {
        'status': '%s_FAILED' % action, 'status_reason': reason})


def _counts(cluster):
    return {MASTER: cluster.master_count, WORKER: cluster.node_count}


def record_nodes(cluster, nodes, nodes_to_remove=None):
    """Make the node rows match the cluster's counts.

    Missing nodes get PENDING rows; extra workers are marked DELETING
    (nodes_to_remove first, then the newest). The sync pass does the same
    (cluster_state.plan): a conductor that died half way through recording
    a create or a resize leaves nothing half done.
    """
    nodes = [dict(n) for n in nodes]
    add, remove = cluster_state.rows_to_record(
        cluster.name, _counts(cluster), nodes, nodes_to_remove)
    _record_rows(_admin(), cluster, nodes,
                 cluster_state.Plan([], add, remove, {}, [], []))


def _record_rows(admin, cluster, nodes, plan):
    """The plan's row changes, in the database and in nodes (dicts)."""
    by_name = {node['name']: node for node in nodes}
    for name in plan.retire:
        LOG.info('%s: server %s is gone or ERROR; replacing it', name,
                 by_name[name]['server_id'])
    for name in plan.retire + plan.remove:
        db_api.node_update(admin, by_name[name]['uuid'],
                           {'status': cluster_state.DELETING})
        by_name[name]['status'] = cluster_state.DELETING
    for role, name in plan.add:
        nodes.append(dict(db_api.node_create(admin, cluster.uuid, {
            'role': role, 'name': name, 'status': cluster_state.PENDING})))
    for name, server_id in plan.adopt.items():
        # Created by a conductor that died before recording it.
        db_api.node_update(admin, by_name[name]['uuid'],
                           {'server_id': server_id})
        by_name[name]['server_id'] = server_id


def start_create(context, cluster_uuid):
    """Make the cluster's trust from the user's token and record its nodes."""
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
    if not _ensure_certificates(cluster):
        return
    record_nodes(cluster, db_api.node_list(admin, cluster_uuid))


def _ensure_certificates(cluster):
    """Give a TLS cluster its CA; False (the create failed) if it cannot."""
    try:
        template = db_api.cluster_template_get(
            _admin(), cluster.cluster_template_id)
        if coe.uses_tls(template):
            certificates.ensure(cluster)
    except Exception as exc:
        fail(cluster.uuid, 'CREATE',
             'could not create the cluster\'s CA: %s' % exc)
        return False
    return True


def start_ca_rotation(cluster_uuid):
    """Record a new CA as pending; the sync pass hands it to the nodes."""
    cluster = db_api.cluster_get(_admin(), cluster_uuid)
    try:
        certificates.start_rotation(cluster)
    except Exception as exc:
        fail(cluster_uuid, 'UPDATE', 'could not rotate the CA: %s' % exc)


def rotate_trust(context, cluster_uuid):
    """Replace the cluster's trust by a new one from the requesting user.

    Magnum's credential rotation (API 1.12): the old trust is deleted once
    the cluster uses the new one, so whoever held the old trust id can no
    longer act for the cluster. Returns None, or why it could not be done.
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
               if n.role == WORKER and n.status != cluster_state.DELETING]
    if node_count < len(workers):
        try:
            # Refuse a wrong nodes_to_remove before changing anything.
            cluster_state.select_nodes_to_remove(
                [dict(w) for w in workers], len(workers) - node_count,
                nodes_to_remove)
        except ValueError as exc:
            fail(cluster_uuid, 'UPDATE', str(exc))
            return
    cluster = db_api.cluster_update(admin, cluster_uuid,
                                    {'node_count': node_count})
    record_nodes(cluster, nodes, nodes_to_remove)


# Sync side: make Nova match, then say where the cluster stands

def _list_servers(nova, cluster):
    """The cluster's servers, in one call: by name prefix, then our metadata.

    The metadata check keeps out another cluster of the same name.
    """
    servers = nova.servers.list(
        search_opts={'name': '^%s-' % re.escape(cluster.name)})
    return {s.id: s for s in servers
            if (s.metadata or {}).get(METADATA_CLUSTER) == cluster.uuid}


class _Resolver:
    """Image and flavor ids from names, looked up once per sync pass.

    Each lookup runs on pool from when it is first asked for, so the
    lookups go on while Neutron makes the ports; a lookup's answer (or
    its error) is its future's. Images are looked up in Glance through
    images (openstacksdk's image proxy), not novaclient's glance manager:
    that one points the client it shares with the pass's other Nova
    requests at Glance for the length of its call, and a Nova request
    made meanwhile in another thread went to Glance.
    """

    def __init__(self, nova, images, pool):
        self.nova = nova
        self.images = images
        self._pool = pool
        self._lookups = {}

    def _lookup(self, kind, find, ref):
        if (kind, ref) not in self._lookups:
            self._lookups[kind, ref] = self._pool.submit(find, ref)
        return self._lookups[kind, ref]

    def image(self, ref):
        """A future of the image's id."""
        return self._lookup('image', self._find_image, ref)

    def flavor(self, ref):
        """A future of the flavor's id."""
        return self._lookup('flavor', self._find_flavor, ref)

    def _find_image(self, ref):
        return self.images.find_image(ref, ignore_missing=False).id

    def _find_flavor(self, ref):
        try:
            flavor = self.nova.flavors.get(ref)
        except nova_exc.NotFound:
            flavor = self.nova.flavors.find(name=ref)
        return flavor.id


def _flavor(cluster, template, role):
    """The flavor (a name or an id) of a node of role."""
    flavor = cluster.flavor_id or template.flavor_id
    if role == MASTER:
        master_flavor = cluster.master_flavor_id or template.master_flavor_id
        flavor = master_flavor or flavor
    return flavor


def _server_request(cluster, template, node, image_id, flavor_id, port_id,
                    names, group_id):
    """The arguments of novaclient's servers.create for node's server."""
    return dict(
        name=node['name'], image=image_id, flavor=flavor_id,
        key_name=cluster.keypair or template.keypair_id or None,
        nics=[{'port-id': port_id}],
        meta={METADATA_CLUSTER: cluster.uuid, METADATA_ROLE: node['role']},
        scheduler_hints={'group': group_id},
        # Magnum's label for it, so existing templates keep working.
        availability_zone=(cluster.labels or {}).get('availability_zone'),
        userdata=_user_data(cluster, template, node, names))


def _refusal(exc):
    """A node's row values when its server could not be asked for."""
    # Quota, flavor or image not found...: Nova's words, on the node.
    return {'status': cluster_state.ERROR,
            'fault': 'Nova refused to create the server: %s' % exc}


def _user_data(cluster, template, node, names):
    """The node's boot script, with its engine's certificate if TLS.

    names: the node's name and the addresses it is reached at, which
    the certificate names.
    """
    [facts] = node_facts([node], {})
    tls = None
    if coe.uses_tls(template):
        tls = certificates.node_certificate(cluster.uuid, node['name'],
                                            names)
    return coe.for_coe(template.coe).user_data(cluster, template, facts,
                                               tls)


def _converge(nova, network, resolve, pool, template, cluster, nodes,
              servers, plan):
    """Ask Nova for what the plan says; nodes and servers follow.

    A removed node's server goes once its COE lets it go. A new server
    boots on its node's port (cluster_network), made first; its id is
    recorded as soon as Nova answers. pool: where the requests that do
    not wait on each other run at the same time; resolve: a _Resolver.
    """
    by_name = {node['name']: node for node in nodes}
    deleting = cluster.status.startswith('DELETE')
    for name in plan.delete:
        node = by_name[name]
        if not deleting and not _may_delete(network, cluster, template,
                                            node, nodes, servers):
            continue
        try:
            nova.servers.delete(node['server_id'])
        except nova_exc.NotFound:
            pass
        servers[node['server_id']]['task_state'] = 'deleting'
    if plan.boot:
        _boot(nova, network, resolve, pool, template, cluster,
              [by_name[name] for name in plan.boot], servers)


def _boot(nova, network, resolve, pool, template, cluster, to_boot,
          servers):
    """Create the servers of to_boot (PENDING node rows, as dicts).

    The image and flavor lookups and the server groups go on while
    Neutron makes every new node's port and floating IP; then the servers
    are asked for, the groups at once (at most pool's size at a time) and
    a group's members in turn (cluster_placement.create_in_turn). Each
    node's row gets its server id, or Nova's refusal, as soon as its own
    create answers: one refusal does not stop the others.
    """
    admin = _admin()
    image = resolve.image(template.image_id)
    flavors = {node['name']: resolve.flavor(
        _flavor(cluster, template, node['role'])) for node in to_boot}
    groups = pool.submit(cluster_placement.ensure, nova, cluster,
                         {node['role'] for node in to_boot})
    names_to_boot = [node['name'] for node in to_boot]
    ports = network.ports(template, names_to_boot)
    floating = network.floating_ips(template, names_to_boot)
    groups = groups.result()
    requests = []  # (its place in its group, node, request, group)
    members = collections.Counter()
    for node in to_boot:
        port = ports[node['name']]
        # Its addresses before it boots: its engine's certificate names
        # them.
        names = [node['name']] + [ip['ip_address'] for ip in port.fixed_ips]
        if node['name'] in floating:
            names.append(floating[node['name']])
        group = groups[node['role']]
        try:
            request = _server_request(
                cluster, template, node, image.result(),
                flavors[node['name']].result(), port.id, names, group)
        except Exception as exc:
            _record_boot(admin, node, _refusal(exc))
            continue
        requests.append((members[group], node, request, group))
        members[group] += 1
    creates = {}
    last_create = {}  # server group id -> the create of its last member
    # Each group's first member first: a member waiting for the one
    # before holds a thread of pool, and must not keep another group's
    # first member from starting.
    for _, node, request, group in sorted(requests, key=lambda r: r[0]):
        create = pool.submit(cluster_placement.create_in_turn, nova,
                             request, last_create.get(group))
        creates[create] = node
        last_create[group] = create
    for create in futures.as_completed(creates):
        node = creates[create]
        try:
            server_id = create.result().id
        except Exception as exc:
            _record_boot(admin, node, _refusal(exc))
            continue
        servers[server_id] = accepted_server_facts(node['name'])
        _record_boot(admin, node, {'server_id': server_id,
                                   'status': cluster_state.BUILD})


def _record_boot(admin, node, values):
    """What became of node's create, in its row and in node (a dict)."""
    db_api.node_update(admin, node['uuid'], values)
    node.update(values)


def _may_delete(network, cluster, template, node, nodes, servers):
    """Whether the COE is done with a node a resize removes (drained).

    A COE that cannot be asked keeps the server: the resize waits, and
    its timeout says why.
    """
    facts = _facts(servers, nodes, network.floating_ips(
        template, {n['name'] for n in nodes}))
    staying = node_facts(_staying(nodes), facts)
    # As its server is now (its row says DELETING).
    [leaving] = node_facts([dict(node, status=None)], facts)
    try:
        return coe.for_coe(template.coe).may_delete(
            cluster, template, leaving, staying, _authorities(template,
                                                              cluster))
    except Exception as exc:
        LOG.warning('Cluster %s: %s cannot leave its COE yet: %s',
                    cluster.uuid, node['name'], exc)
        return False


def _staying(nodes):
    """The nodes (dicts) a resize does not remove."""
    return [n for n in nodes if n['status'] != cluster_state.DELETING]


def _authorities(template, cluster):
    if not coe.uses_tls(template):
        return []
    return certificates.authorities(cluster.uuid)


def _coe_step(cluster, template, nodes, servers):
    """coe.base.Outcome of the cluster's COE once every server is ACTIVE.

    A CA rotation under way is finished first: the COE is driven with
    the CA the cluster ends up with.
    """
    module = coe.for_coe(template.coe)
    facts = node_facts(_staying(nodes), servers)
    if coe.uses_tls(template) and certificates.rotation_pending(
            cluster.uuid):
        outcome = module.rotate_ca(cluster, template, facts,
                                   _authorities(template, cluster))
        if outcome.status != coe_base.COMPLETE:
            return outcome
        certificates.finish_rotation(cluster.uuid)
    return module.converge(cluster, template, facts,
                           _authorities(template, cluster))


def _finish_delete(cluster):
    admin = _admin()
    if cluster.trust_id:
        keystone.delete_trust(cluster.trust_id)
    db_api.cluster_destroy(admin, cluster.uuid)
    LOG.info('Cluster %s deleted', cluster.uuid)


def _started(cluster):
    """When the cluster's current operation began."""
    return cluster.operation_started_at or cluster.created_at


def _elapsed(cluster):
    return timeutils.delta_seconds(_started(cluster), timeutils.utcnow())


def _timeout_minutes(cluster):
    return cluster.create_timeout or DEFAULT_TIMEOUT_MINUTES


def awaiting_create_request(cluster, grace):
    """True while a new cluster's create request may still be on its way.

    The API marks the cluster CREATE_IN_PROGRESS before it casts the
    request, so a sync pass can see the cluster before any conductor has
    made its trust; only after grace seconds is the request taken as lost.
    """
    if cluster.status != 'CREATE_IN_PROGRESS' or cluster.trust_id:
        return False
    return _elapsed(cluster) < grace


def sync(cluster, claimant):
    """One pass over a cluster in progress that claimant holds a claim on.

    Returns True if the cluster waits for something no Nova notification
    announces (its COE coming up on servers that are all there), so the
    next pass should come soon; False if it waits for Nova, or is done.
    """
    action = cluster.status.split('_', 1)[0]
    if not cluster.trust_id:
        # No trust, so no server was ever created for this cluster.
        if action == 'DELETE':
            _finish_delete(cluster)
        else:
            fail(cluster.uuid, action, 'the cluster has no keystone trust: '
                 'its create request was lost, or the conductor stopped '
                 'before creating the trust')
        return False
    try:
        derived, nodes, servers, template = _sync_with_nova(cluster,
                                                            action)
    except exception.Refused as exc:
        # A network that does not exist, an external network no router
        # can reach, a quota...: waiting would not help.
        fail(cluster.uuid, action, str(exc))
        db_api.cluster_release(_admin(), cluster.uuid, claimant)
        return False
    except Exception as exc:
        # Nova or keystone unreachable, the trust gone...: the cluster says
        # so while it waits, and fails when its time is up.
        if _elapsed(cluster) > _timeout_minutes(cluster) * 60:
            fail(cluster.uuid, action, 'timed out after %d minutes; last '
                 'error: %s' % (_timeout_minutes(cluster), exc))
            db_api.cluster_release(_admin(), cluster.uuid, claimant)
        else:
            db_api.cluster_update(_admin(), cluster.uuid, {
                'status_reason': 'retrying after error: %s' % exc})
        raise
    admin = _admin()
    for node in nodes:
        if node['name'] in derived.removed:
            db_api.node_destroy(admin, node['uuid'])
        elif node['name'] in derived.nodes:
            state = derived.nodes[node['name']]._asdict()
            if any(node[key] != value for key, value in state.items()):
                db_api.node_update(admin, node['uuid'], state)
    if derived.status == 'DELETE_COMPLETE':
        _finish_delete(cluster)
        return False
    # The API may have started another operation (a delete) since this
    # pass read the cluster; that one wins and the next pass works it.
    if db_api.cluster_get(admin, cluster.uuid).status != cluster.status:
        return True
    values = {'status': derived.status, 'status_reason': derived.reason}
    if derived.status.endswith(cluster_state.COMPLETE):
        # Every server ACTIVE: now the COE on them.
        values.update(_coe_values(cluster, template, action, nodes,
                                  servers))
    rollback_asked = cluster.rollback_node_count is not None
    if action == 'ROLLBACK':
        values['status_reason'] = _rollback_reason(cluster, values)
    elif values['status'] == 'UPDATE_FAILED' and rollback_asked:
        values = _start_rollback(cluster, values['status_reason'])
    db_api.cluster_update(admin, cluster.uuid, values)
    if not values['status'].endswith(cluster_state.IN_PROGRESS):
        db_api.cluster_release(admin, cluster.uuid, claimant)
        return False
    return derived.status.endswith(cluster_state.COMPLETE)


def _start_rollback(cluster, reason):
    """A failed resize asked with ?rollback=True goes back to its old size.

    The next passes work it as any resize (record_nodes adds or marks the
    workers, the COE drains and removes them) under ROLLBACK_IN_PROGRESS,
    with its own timeout; the resize's failure stays in the reason.
    """
    LOG.warning('Cluster %s: resize failed (%s); rolling back to %d '
                'workers', cluster.uuid, reason, cluster.rollback_node_count)
    values = {'status': 'ROLLBACK_IN_PROGRESS',
              'node_count': cluster.rollback_node_count,
              'rollback_node_count': None, 'rollback_reason': reason,
              'operation_started_at': timeutils.utcnow()}
    values['status_reason'] = _rollback_reason(
        cluster, dict(values, status_reason='starting'))
    return values


def _rollback_reason(cluster, values):
    """Why the resize failed, then where its rollback stands."""
    cause = values.get('rollback_reason', cluster.rollback_reason)
    count = values.get('node_count', cluster.node_count)
    status = values['status']
    if status.endswith(cluster_state.COMPLETE):
        now = 'rolled back to %d workers' % count
    elif status.endswith(cluster_state.FAILED):
        now = 'the rollback to %d workers failed: %s' % (
            count, values['status_reason'])
    else:
        now = 'rolling back to %d workers: %s' % (
            count, values['status_reason'])
    return 'the resize failed (%s); %s' % (cause, now)


def _coe_values(cluster, template, action, nodes, servers):
    """The cluster's status (and what the COE records) after its COE step.

    COMPLETE also sets the health: healthy from the start, not after a
    check. A COE still waiting when the operation's time is up fails it.
    """
    try:
        outcome = _coe_step(cluster, template, nodes, servers)
    except Exception as exc:
        LOG.exception('Cluster %s: COE step failed', cluster.uuid)
        outcome = coe_base.Outcome(coe_base.IN_PROGRESS,
                                   'retrying after error: %s' % exc, {})
    values = dict(outcome.values, status_reason=outcome.reason,
                  status='%s_%s' % (action, outcome.status))
    if outcome.status == coe_base.IN_PROGRESS and (
            _elapsed(cluster) > _timeout_minutes(cluster) * 60):
        values.update(status='%s_FAILED' % action,
                      status_reason='timed out after %d minutes; %s' % (
                          _timeout_minutes(cluster), outcome.reason))
    if outcome.status == coe_base.COMPLETE:
        module = coe.for_coe(template.coe)
        values['health_status'], values['health_status_reason'] = (
            module.health(cluster, template,
                          node_facts(_staying(nodes), servers),
                          _authorities(template, cluster)))
    return values


def _sync_with_nova(cluster, action):
    """Read, plan, apply: make Nova and Neutron match the rows.

    One read of the node rows and one list of the cluster's servers;
    cluster_state.plan says what to change; the rows are written before
    Nova is asked (so a conductor that dies half way leaves rows that say
    what is still to do), and the rows and servers read are kept current
    as it goes, not read again. Returns (ClusterState, the node rows as
    dicts, the facts of the servers, the template: None for a delete).
    """
    admin = _admin()
    template = (None if action == 'DELETE' else db_api.cluster_template_get(
        admin, cluster.cluster_template_id))
    if action == 'CREATE' and coe.uses_tls(template):
        # A conductor that died between the trust and the CA left none.
        certificates.ensure(cluster)
    session = clients.trust_session(cluster.trust_id)
    nova = clients.nova(session)
    nodes = [dict(n) for n in db_api.node_list(admin, cluster.uuid)]
    servers = {sid: server_facts(s)
               for sid, s in _list_servers(nova, cluster).items()}
    plan = cluster_state.plan(action, cluster.name, _counts(cluster), nodes,
                              servers, _started(cluster))
    _record_rows(admin, cluster, nodes, plan)
    # Threads start with the first request given to the pool: a pass with
    # nothing to create makes none.
    with futures.ThreadPoolExecutor(
            CONF.conductor.cluster_request_threads,
            thread_name_prefix='cluster-request') as pool:
        sdk = clients.openstack_sdk(session)
        network = cluster_network.ClusterNetwork(sdk.network, cluster, pool)
        _converge(nova, network, _Resolver(nova, sdk.image, pool), pool,
                  template, cluster, nodes, servers, plan)
        facts = _facts(servers, nodes,
                       _converge_network(network, template, nodes, servers))
    if action == 'DELETE' and not servers:
        cluster_placement.delete(nova, cluster)
    derived = cluster_state.derive(action, nodes, facts, _elapsed(cluster),
                                   _timeout_minutes(cluster))
    return derived, nodes, facts, template


def _facts(servers, nodes, floating):
    """{server id: server_facts} with the nodes' floating IPs (Neutron's).

    A node's addresses are its floating IP once it has one.
    """
    facts = {sid: dict(server) for sid, server in servers.items()}
    for node in nodes:
        if node['name'] in floating and node['server_id'] in facts:
            facts[node['server_id']].update(
                addresses=[floating[node['name']]],
                floating_addresses=[floating[node['name']]])
    return facts


def _converge_network(network, template, nodes, servers):
    """Neutron's part once Nova was asked: {node name: floating IP}.

    A delete (template None) removes the cluster's resources once its
    servers are gone; otherwise nodes whose server is gone for good release
    their port and floating IP, and the others get a floating IP.
    """
    if template is None:
        if not servers:
            network.delete()
        return {}
    for node in nodes:
        gone = node['server_id'] not in servers
        if node['status'] == cluster_state.DELETING and gone:
            network.release(node['name'])
    return network.floating_ips(template,
                                {node['name'] for node in _staying(nodes)})


# Health: where a cluster at rest stands, checked now and then

# Magnum checks the health of clusters in these statuses.
AT_REST = ('CREATE_COMPLETE', 'UPDATE_COMPLETE', 'ROLLBACK_COMPLETE')


def check_health(cluster):
    """Set the cluster's health from its COE (or Nova, for nodes only) now.

    Nova unreachable or the trust gone: UNKNOWN, with the error as the
    reason. Only a change is written.
    """
    admin = _admin()
    nodes = [dict(n) for n in db_api.node_list(admin, cluster.uuid)
             if n.status != cluster_state.DELETING]
    try:
        template = db_api.cluster_template_get(admin,
                                               cluster.cluster_template_id)
        nova = clients.nova(clients.trust_session(cluster.trust_id))
        servers = {sid: server_facts(s)
                   for sid, s in _list_servers(nova, cluster).items()}
        status, reason = coe.for_coe(template.coe).health(
            cluster, template, node_facts(nodes, servers),
            _authorities(template, cluster))
    except Exception as exc:
        status, reason = coe_base.UNKNOWN, {'nova': str(exc)}
    if (status, reason) == (cluster.health_status,
                            cluster.health_status_reason):
        return
    LOG.info('Cluster %s is %s: %s', cluster.uuid, status, reason)
    try:
        db_api.cluster_update_unless_in_progress(admin, cluster.uuid, {
            'health_status': status, 'health_status_reason': reason})
    except (exception.ClusterOperationInProgress,
            exception.ClusterNotFound):
        # An operation began (or the cluster went) since this check read
        # it: that one says where the cluster stands.
        pass
