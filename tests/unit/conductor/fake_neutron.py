"""A fake openstacksdk network proxy: the Neutron boundary of the conductor.

Only what cluster_network calls, with Neutron's filters (tags, description,
name, device_id, port_id...) and its refusals that matter: a port cannot
go while a server uses it, a security group while a port is in it, a
network while it has ports. Tags in a create are ignored, as in Neutron.
Safe to call from several threads, as the conductor does.
"""

import itertools
import types

from openstack import exceptions as sdk_exc

from tests.unit import base

# What exists before any cluster: the external network and a shared network.
PUBLIC = {'id': 'public-id', 'name': 'public', 'router:external': True}
PRIVATE = {'id': 'private-id', 'name': 'private'}
PRIVATE_SUBNET = {'id': 'private-subnet-id', 'name': 'private-subnet',
                  'network_id': 'private-id', 'cidr': '10.11.0.0/24'}


class Resource(types.SimpleNamespace):

    def matches(self, query):
        return all(
            value in (getattr(self, 'tags', None) or [])
            if key == 'tags' else getattr(self, key, None) == value
            for key, value in query.items())


class FakeNeutron:

    KINDS = ('networks', 'subnets', 'routers', 'security_groups', 'ports',
             'ips', 'security_group_rules')

    def __init__(self):
        self.resources = {kind: {} for kind in self.KINDS}
        self._ids = itertools.count()
        # counts, not generators over them: next() of a generator another
        # thread is in raises ValueError.
        self._addresses = itertools.count(10)
        self.calls = []
        self.retagged = []  # ids of resources tagged after their creation
        self.fail_on = {}  # method name -> exception it raises
        # method name -> the one whose call it waits for (base.wait_until)
        self.waits_for = {}
        self._add('networks', **PUBLIC)
        self._add('networks', **PRIVATE)
        self._add('subnets', **PRIVATE_SUBNET)

    def _add(self, kind, **attrs):
        attrs.setdefault('id', '%s-%d' % (kind, next(self._ids)))
        attrs['tags'] = []
        resource = Resource(**attrs)
        self.resources[kind][resource.id] = resource
        return resource

    def _call(self, name):
        if name in self.waits_for:
            base.wait_until(lambda: self.waits_for[name] in self.calls,
                            '%s before %s' % (self.waits_for[name], name))
        self.calls.append(name)
        if name in self.fail_on:
            raise self.fail_on[name]

    def _list(self, kind, query):
        self._call(kind)
        return [r for r in list(self.resources[kind].values())
                if r.matches(query)]

    def _find(self, kind, ref):
        for resource in self.resources[kind].values():
            if ref in (resource.id, resource.name):
                return resource
        raise sdk_exc.ResourceNotFound('No %s found for %s' % (kind, ref))

    def _delete(self, kind, resource, in_use=False):
        self._call('delete_' + kind)
        if in_use:
            raise sdk_exc.ConflictException('%s %s is in use'
                                            % (kind, resource.id))
        self.resources[kind].pop(resource.id, None)

    def of(self, kind, **query):
        """The resources of kind matching query (for assertions)."""
        return [r for r in self.resources[kind].values() if r.matches(query)]

    def counts(self):
        return {kind: len(items) for kind, items in self.resources.items()}

    # Listing

    def networks(self, **query):
        return self._list('networks', query)

    def subnets(self, **query):
        return self._list('subnets', query)

    def routers(self, **query):
        return self._list('routers', query)

    def security_groups(self, **query):
        return self._list('security_groups', query)

    def ports(self, **query):
        return self._list('ports', query)

    def ips(self, **query):
        return self._list('ips', query)

    def find_network(self, ref, ignore_missing=True):
        return self._find('networks', ref)

    def find_subnet(self, ref, ignore_missing=True):
        return self._find('subnets', ref)

    def set_tags(self, resource, tags):
        self._call('set_tags')
        self.retagged.append(resource.id)
        resource.tags = list(tags)

    # Creating

    def create_network(self, **attrs):
        self._call('create_network')
        return self._add('networks', **attrs)

    def create_subnet(self, **attrs):
        self._call('create_subnet')
        return self._add('subnets', **attrs)

    def create_router(self, **attrs):
        self._call('create_router')
        return self._add('routers', **attrs)

    def create_security_group(self, **attrs):
        self._call('create_security_group')
        group = self._add('security_groups', security_group_rules=[],
                          **attrs)
        return group

    def create_security_group_rules(self, data):
        self._call('create_security_group_rules')
        return iter([self._create_rule(dict(attrs)) for attrs in data])

    def create_security_group_rule(self, **attrs):
        self._call('create_security_group_rule')
        return self._create_rule(attrs)

    def _create_rule(self, attrs):
        group = self.resources['security_groups'][attrs['security_group_id']]
        group.security_group_rules.append(attrs)
        return self._add('security_group_rules', **attrs)

    def create_ports(self, data):
        """Bulk create; each port keeps the tags it was created with."""
        self._call('create_ports')
        ports = []
        for attrs in data:
            attrs = dict(attrs)
            tags = attrs.pop('tags', [])
            port = self._create_port(attrs)
            port.tags = list(tags)
            ports.append(port)
        return iter(ports)

    def create_port(self, **attrs):
        self._call('create_port')
        return self._create_port(attrs)

    def _create_port(self, attrs):
        subnet_id = (attrs.pop('fixed_ips', None) or [{}])[0].get(
            'subnet_id') or self.of('subnets',
                                    network_id=attrs['network_id'])[0].id
        return self._add('ports', device_id='', device_owner='',
                         fixed_ips=[{'subnet_id': subnet_id,
                                     'ip_address': '10.0.0.%d'
                                     % next(self._ids)}], **attrs)

    def create_ip(self, **attrs):
        self._call('create_ip')
        return self._add('ips', floating_ip_address='172.24.4.%d'
                         % next(self._addresses),
                         **attrs)

    def add_interface_to_router(self, router, subnet_id):
        self._call('add_interface_to_router')
        subnet = self.resources['subnets'][subnet_id]
        self._add('ports', device_id=router.id,
                  device_owner='network:router_interface',
                  network_id=subnet.network_id,
                  fixed_ips=[{'subnet_id': subnet_id}])

    def remove_interface_from_router(self, router, port_id):
        self._call('remove_interface_from_router')
        self.resources['ports'].pop(port_id)

    # What Nova does with a port it boots a server on

    def bind(self, port_id, server_id):
        self.resources['ports'][port_id].device_id = server_id

    def unbind(self, server_id):
        for port in self.of('ports', device_id=server_id):
            port.device_id = ''

    # Deleting

    def delete_ip(self, ip, ignore_missing=True):
        self._delete('ips', ip)

    def delete_port(self, port, ignore_missing=True):
        self._delete('ports', port, in_use=bool(port.device_id))

    def delete_router(self, router, ignore_missing=True):
        self._delete('routers', router, in_use=bool(
            self.of('ports', device_id=router.id)))

    def delete_network(self, network, ignore_missing=True):
        self._delete('networks', network, in_use=bool(
            self.of('ports', network_id=network.id)))
        for subnet in self.of('subnets', network_id=network.id):
            self.resources['subnets'].pop(subnet.id)

    def delete_security_group(self, group, ignore_missing=True):
        in_use = any(group.id in (p.security_group_ids or [])
                     for p in self.of('ports')
                     if hasattr(p, 'security_group_ids'))
        self._delete('security_groups', group, in_use=in_use)
        for rule in self.of('security_group_rules',
                            security_group_id=group.id):
            self.resources['security_group_rules'].pop(rule.id)
