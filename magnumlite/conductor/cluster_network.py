"""A cluster's Neutron resources: what should exist, and making it so.

As Magnum's templates lay a cluster out:

- no fixed_network (nor fixed_subnet): the cluster gets its own network and
  subnet (label fixed_network_cidr, the template's dns_nameserver) and a
  router from it to the template's external_network_id;
- fixed_network / fixed_subnet (a name or a uuid): the nodes go there;
- always, a security group for its nodes, opening what its COE needs
  (SECURITY_GROUP_RULES);
- one port per node, on that network, in that group; the node's server is
  booted on it;
- floating_ip_enabled and an external network: a floating IP per node port.

Everything is named after the cluster (ports after their node) and tagged
with the cluster's uuid, so every pass finds what exists by its tag, and
the delete removes everything tagged, whichever conductor made it. Neutron
takes no tags in a create request, so each resource is tagged right after
its create, which gives it a description naming the cluster: a conductor
that dies in between leaves a resource the next pass finds by that
description (and tags). Each step is idempotent.

Given a pool (concurrent.futures), the requests that do not wait on each
other are made at the same time: the network beside the security group,
the listing of the ports beside both, the group's rules beside the ports'
create, each tag beside what follows its resource's create. Each public
method returns once all of its requests are answered.

Every call goes through the cluster's trust (the project's own view).
"""

import collections
from concurrent import futures
import functools

from openstack import exceptions as sdk_exc
from oslo_log import log as logging

from magnumlite.common import exception

LOG = logging.getLogger(__name__)

TAG_PREFIX = 'magnumlite_cluster='
DESCRIPTION = 'magnumlite cluster %s'
# Magnum's default for the fixed_network_cidr label.
DEFAULT_CIDR = '10.0.0.0/24'

# Security group rules: (protocol, first port, last port, from); None ports
# mean all of them. From ANYWHERE (any IPv4 address) or from the GROUP
# itself (the cluster's other nodes).
ANYWHERE, GROUP = 'anywhere', 'group'
_ICMP = ('icmp', None, None, ANYWHERE)
_SSH = ('tcp', 22, 22, ANYWHERE)
_BETWEEN_NODES = (('tcp', None, None, GROUP), ('udp', None, None, GROUP))
# Docker's TLS API, and services published in host mode on any port
# (swarm's ports 2377/tcp, 7946/tcp+udp, 4789/udp are between nodes).
_PUBLISHED = (('tcp', 1024, 65535, ANYWHERE), ('udp', 1024, 65535, ANYWHERE))
_DOCKER_API = ('tcp', 2376, 2376, ANYWHERE)
_SWARM = (_ICMP, _SSH, _DOCKER_API) + _BETWEEN_NODES + _PUBLISHED
SECURITY_GROUP_RULES = {
    'swarm-mode': _SWARM,
    'swarm': _SWARM,
    # the API server and NodePort services; etcd, kubelet and the pod
    # network (flannel's vxlan) between nodes
    'kubernetes': (_ICMP, _SSH, ('tcp', 6443, 6443, ANYWHERE),
                   ('tcp', 30000, 32767, ANYWHERE)) + _BETWEEN_NODES,
    # the master's API (5050) and Marathon (8080)
    'mesos': (_ICMP, _SSH, ('tcp', 5050, 5050, ANYWHERE),
              ('tcp', 8080, 8080, ANYWHERE)) + _BETWEEN_NODES,
}
DEFAULT_RULES = (_ICMP, _SSH) + _BETWEEN_NODES

Plan = collections.namedtuple('Plan', 'own_network cidr dns_nameservers '
                              'external_network fixed_network fixed_subnet '
                              'floating_ips rules')
Wiring = collections.namedtuple('Wiring',
                                'network_id subnet_id security_group_id')
Wiring.__doc__ = """Where a cluster's node ports go (subnet_id None: any)."""


def _refusals(method):
    """Neutron's 4xx answers to method's requests raise Refused."""
    @functools.wraps(method)
    def refusing(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except sdk_exc.HttpException as exc:
            # find_* raise NotFound with no status code
            not_found = isinstance(exc, sdk_exc.NotFoundException)
            if not_found or 400 <= (exc.status_code or 500) < 500:
                raise exception.Refused(
                    'Neutron refused the cluster\'s network: %s'
                    % (exc.details or exc)) from exc
            raise
    return refusing


# What should exist (pure)

def tag(cluster_uuid):
    return TAG_PREFIX + cluster_uuid


def plan(cluster, template):
    """The Plan of a cluster (its row and its template's row)."""
    labels = cluster['labels'] or {}
    fixed_network = cluster['fixed_network']
    fixed_subnet = cluster['fixed_subnet']
    external = template['external_network_id'] or None
    return Plan(
        own_network=not (fixed_network or fixed_subnet),
        cidr=labels.get('fixed_network_cidr', DEFAULT_CIDR),
        dns_nameservers=([template['dns_nameserver']]
                         if template['dns_nameserver'] else []),
        external_network=external,
        fixed_network=fixed_network,
        fixed_subnet=fixed_subnet,
        floating_ips=bool(cluster['floating_ip_enabled'] and external),
        rules=SECURITY_GROUP_RULES.get(template['coe'], DEFAULT_RULES))


def rule_body(rule, group_id):
    """The Neutron security group rule for one of our rule tuples."""
    protocol, first, last, source = rule
    body = {'security_group_id': group_id, 'direction': 'ingress',
            'ethertype': 'IPv4', 'protocol': protocol,
            'port_range_min': first, 'port_range_max': last}
    if source == GROUP:
        body['remote_group_id'] = group_id
    else:
        body['remote_ip_prefix'] = '0.0.0.0/0'
    return body


def missing_rules(rules, existing, group_id):
    """Bodies of the rules not in existing (a group's rules, as dicts)."""
    def key(rule):
        return tuple(rule.get(field) for field in (
            'direction', 'ethertype', 'protocol', 'port_range_min',
            'port_range_max', 'remote_group_id', 'remote_ip_prefix'))
    have = {key(r) for r in existing}
    return [body for body in (rule_body(r, group_id) for r in rules)
            if key(body) not in have]


# Making it so

def _now(call, *args):
    """A future of call(*args), called now in this thread."""
    future = futures.Future()
    try:
        future.set_result(call(*args))
    except Exception as exc:
        future.set_exception(exc)
    return future


class ClusterNetwork:
    """A cluster's Neutron resources, through an openstacksdk network proxy.

    pool: where requests that do not wait on each other run at the same
    time (None: one after the other). Only leaves run there: nothing on
    the pool waits for something else on it, so a pool of one thread
    cannot deadlock.
    """

    def __init__(self, neutron, cluster, pool=None):
        self.neutron = neutron
        self.cluster = cluster
        self.tag = tag(cluster['uuid'])
        self.description = DESCRIPTION % cluster['uuid']
        self._submit = pool.submit if pool else _now
        # Requests under way that the public method making them waits for
        # before it returns (_settle).
        self._pending = []

    def _tagged(self, listing, **query):
        """The cluster's resources listing finds, each tagged.

        Found by the description each is created with, not by the tag: a
        conductor that died between a create and its tag left a resource
        that only the description names (a floating IP missed that way
        was created twice, and Neutron refused the second).
        """
        found = list(listing(description=self.description, **query))
        for resource in found:
            if self.tag not in (resource.tags or []):
                self.neutron.set_tags(resource, [self.tag])
        return found

    def _first(self, listing, **query):
        found = self._tagged(listing, **query)
        return found[0] if found else None

    def _create(self, create, **attrs):
        """create(**attrs) with the cluster's description, then its tag.

        The tag is set while the caller goes on: until it is, the
        description finds the resource (_tagged).
        """
        resource = create(description=self.description, **attrs)
        self._in_background(self.neutron.set_tags, resource, [self.tag])
        return resource

    def _in_background(self, call, *args):
        """call(*args) on the pool; _settle waits for it."""
        self._pending.append(self._submit(call, *args))

    def _settle(self):
        """Wait for the requests made in the background; errors raise."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()

    def _wiring(self, wanted):
        """Make what the nodes' ports need and is missing; its Wiring.

        The security group's rules may still be on their way (_settle).
        """
        network = self._submit(self._ensure_network, wanted)
        group_id = self._ensure_security_group(wanted)
        network_id, subnet_id = network.result()
        return Wiring(network_id, subnet_id, group_id)

    def _ensure_network(self, wanted):
        """(network id, subnet id or None) of the nodes' ports."""
        name = self.cluster['name']
        if wanted.own_network:
            network = self._first(self.neutron.networks) or self._create(
                self.neutron.create_network, name=name)
            subnet = self._first(self.neutron.subnets) or self._create(
                self.neutron.create_subnet, network_id=network.id,
                name=name, ip_version=4, cidr=wanted.cidr,
                dns_nameservers=wanted.dns_nameservers)
            network_id, subnet_id = network.id, subnet.id
            if wanted.external_network:
                self._ensure_router(name, wanted.external_network, subnet)
        elif wanted.fixed_subnet:
            subnet = self.neutron.find_subnet(wanted.fixed_subnet,
                                              ignore_missing=False)
            network_id, subnet_id = subnet.network_id, subnet.id
        else:
            network_id = self.neutron.find_network(
                wanted.fixed_network, ignore_missing=False).id
            subnet_id = None
        return network_id, subnet_id

    def _ensure_security_group(self, wanted):
        """The id of the cluster's security group, with its rules."""
        group = self._first(self.neutron.security_groups) or self._create(
            self.neutron.create_security_group, name=self.cluster['name'])
        # A new group's rules are in its create's answer: no read.
        rules = list(missing_rules(wanted.rules,
                                   group.security_group_rules or [],
                                   group.id))
        if rules:
            # One bulk request, not one per rule; the ports need only the
            # group, and no server boots on them before it is answered.
            self._in_background(self._create_rules, rules)
        return group.id

    def _create_rules(self, rules):
        list(self.neutron.create_security_group_rules(rules))

    def _ensure_router(self, name, external_network, subnet):
        router = self._first(self.neutron.routers)
        if router is None:
            external = self.neutron.find_network(external_network,
                                                 ignore_missing=False)
            router = self._create(
                self.neutron.create_router, name=name,
                external_gateway_info={'network_id': external.id})
        attached = [port for port in self.neutron.ports(device_id=router.id)
                    if any(ip['subnet_id'] == subnet.id
                           for ip in port.fixed_ips)]
        if not attached:
            self.neutron.add_interface_to_router(router, subnet_id=subnet.id)

    @_refusals
    def ports(self, template, node_names):
        """{node name: its port} for node_names, the missing ones created.

        What the ports need (network, security group and its rules) is
        made too, while the ports there are are listed. One listing and one
        bulk create however many nodes there are: a port a node at a time
        made a 10-node cluster's boots wait on twenty Neutron round trips
        before the last server was asked for.
        """
        listing = self._submit(self._tagged, self.neutron.ports)
        wiring = self._wiring(plan(self.cluster, template))
        ports = {port.name: port for port in listing.result()
                 if port.name in node_names}
        missing = [name for name in node_names if name not in ports]
        if missing:
            common = {'network_id': wiring.network_id,
                      'security_group_ids': [wiring.security_group_id],
                      'description': self.description,
                      # Tagged as it is made (Neutron's
                      # tag-ports-during-bulk-creation): tagged later, while
                      # Nova bound it, a port once never told Nova it was
                      # plugged (the boot timed out on network-vif-plugged).
                      'tags': [self.tag]}
            if wiring.subnet_id:
                common['fixed_ips'] = [{'subnet_id': wiring.subnet_id}]
            for port in self.neutron.create_ports(
                    [dict(common, name=name) for name in missing]):
                ports[port.name] = port
        self._settle()
        return ports

    @_refusals
    def floating_ips(self, template, node_names):
        """{node name: floating IP address} for node_names with a port.

        With floating IPs planned, one is created (from the external
        network) for every such port that has none.
        """
        wanted = plan(self.cluster, template)
        if not wanted.floating_ips:
            return {}
        by_port = {ip.port_id: ip.floating_ip_address
                   for ip in self._tagged(self.neutron.ips)}
        ports = {port.name: port.id
                 for port in self._tagged(self.neutron.ports)
                 if port.name in node_names}
        external_id = None
        for name, port_id in ports.items():
            if port_id in by_port:
                continue
            if external_id is None:
                external_id = self.neutron.find_network(
                    wanted.external_network, ignore_missing=False).id
            ip = self._create(self.neutron.create_ip,
                              floating_network_id=external_id,
                              port_id=port_id)
            by_port[port_id] = ip.floating_ip_address
        self._settle()
        return {name: by_port[port_id] for name, port_id in ports.items()}

    def release(self, node_name):
        """Delete node_name's floating IPs and port (its server is gone)."""
        for port in self._tagged(self.neutron.ports, name=node_name):
            for ip in self._tagged(self.neutron.ips, port_id=port.id):
                self.neutron.delete_ip(ip, ignore_missing=True)
            self.neutron.delete_port(port, ignore_missing=True)

    def delete(self):
        """Delete everything tagged with the cluster (its servers are gone).

        In dependency order; an error (e.g. a port Nova has not released
        yet) propagates, and the next pass starts over.
        """
        for ip in self._tagged(self.neutron.ips):
            self.neutron.delete_ip(ip, ignore_missing=True)
        for port in self._tagged(self.neutron.ports):
            self.neutron.delete_port(port, ignore_missing=True)
        for router in self._tagged(self.neutron.routers):
            for port in self.neutron.ports(
                    device_id=router.id,
                    device_owner='network:router_interface'):
                self.neutron.remove_interface_from_router(router,
                                                          port_id=port.id)
            self.neutron.delete_router(router, ignore_missing=True)
        for network in self._tagged(self.neutron.networks):
            self.neutron.delete_network(network, ignore_missing=True)
        for group in self._tagged(self.neutron.security_groups):
            self.neutron.delete_security_group(group, ignore_missing=True)
        LOG.info('Cluster %s: its Neutron resources are deleted',
                 self.cluster['uuid'])
