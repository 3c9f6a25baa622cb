"""A fake python-novaclient Client: the Nova boundary of the conductor.

Only what the conductor calls: servers.create/get/list/delete, flavors.get/
find, server_groups.create/list/delete; and FakeGlance, openstacksdk's
image proxy, where the conductor looks images up. Servers stay
BUILD until the test moves them; Nova's scheduler has placed a server
(task state "scheduling" -> "spawning") by the time it is read with get,
unless the test holds it. Given a fake Neutron, a server booted on
a port binds it until the server is gone, as Nova does. Safe to call from
several threads, as the conductor does.
"""

import itertools
import re
import types

from novaclient import exceptions as nova_exc
from openstack import exceptions as sdk_exc


class FakeServer:

    def __init__(self, id, name, metadata, **create_args):
        self.id = id
        self.name = name
        self.metadata = metadata
        self.status = 'BUILD'
        self.addresses = {}
        self.fault = None
        self.create_args = create_args
        setattr(self, 'OS-EXT-STS:task_state', 'scheduling')


class CreateAnswer:
    """What novaclient's servers.create returns before it fetches the server.

    Nova's create answers the id (and links, adminPass); novaclient GETs
    the server the first time anything else of it is read, which the
    conductor must not need: reading it fails here.
    """

    def __init__(self, server_id):
        self.id = server_id


class FakeServers:

    def __init__(self, neutron=None):
        self.neutron = neutron
        self.servers = {}
        self.list_calls = 0
        self.refuse = {}  # server name -> exception create raises
        # server name -> what its create calls first (e.g. to wait), with
        # the name
        self.before_create = {}
        # names of the servers the scheduler does not place
        self.unplaced = set()
        # (name, [the names of the servers placed then]) of each create
        self.creates = []
        # itertools.count, not a generator over it: next() of a generator
        # another thread is in raises ValueError.
        self._ids = itertools.count()

    def create(self, name, image, flavor, meta=None, **kwargs):
        if name in self.before_create:
            self.before_create[name](name)
        if name in self.refuse:
            raise self.refuse[name]
        self.creates.append((name, sorted(
            s.name for s in list(self.servers.values())
            if getattr(s, 'OS-EXT-STS:task_state') != 'scheduling')))
        server = FakeServer('server-%d' % next(self._ids), name, meta,
                            image=image, flavor=flavor, **kwargs)
        self.servers[server.id] = server
        for nic in kwargs.get('nics') or ():
            if self.neutron and 'port-id' in nic:
                self.neutron.bind(nic['port-id'], server.id)
        return CreateAnswer(server.id)

    def get(self, server_id):
        if server_id not in self.servers:
            raise nova_exc.NotFound(404)
        server = self.servers[server_id]
        if server.name not in self.unplaced and getattr(
                server, 'OS-EXT-STS:task_state') == 'scheduling':
            setattr(server, 'OS-EXT-STS:task_state', 'spawning')
        return server

    def list(self, search_opts=None):
        self.list_calls += 1
        pattern = re.compile((search_opts or {}).get('name', ''))
        return [s for s in self.servers.values() if pattern.search(s.name)]

    def delete(self, server_id):
        if server_id not in self.servers:
            raise nova_exc.NotFound(404)
        setattr(self.servers[server_id], 'OS-EXT-STS:task_state', 'deleting')

    # What Nova does on its own, driven by the test

    def finish_deletes(self):
        for server_id, server in list(self.servers.items()):
            if getattr(server, 'OS-EXT-STS:task_state') == 'deleting':
                del self.servers[server_id]
                if self.neutron:
                    self.neutron.unbind(server_id)

    def activate(self, address_base='10.0.0.', floating_base=None):
        for i, server in enumerate(self.servers.values()):
            server.status = 'ACTIVE'
            if getattr(server, 'OS-EXT-STS:task_state') != 'deleting':
                setattr(server, 'OS-EXT-STS:task_state', None)
            addresses = [{'addr': address_base + str(i),
                          'OS-EXT-IPS:type': 'fixed'}]
            if floating_base:
                addresses.append({'addr': floating_base + str(i),
                                  'OS-EXT-IPS:type': 'floating'})
            server.addresses = {'private': addresses}

    def by_name(self, name):
        [server] = [s for s in self.servers.values() if s.name == name]
        return server


class FakeFlavors:

    FLAVORS = {'1': 'm1.tiny', '2': 'm1.small'}

    def get(self, ref):
        if ref not in self.FLAVORS:
            raise nova_exc.NotFound(404)
        return types.SimpleNamespace(id=ref)

    def find(self, name):
        for flavor_id, flavor_name in self.FLAVORS.items():
            if flavor_name == name:
                return types.SimpleNamespace(id=flavor_id)
        raise nova_exc.NotFound(404, 'No Flavor matching %s' % name)


class FakeGlance:
    """openstacksdk's image proxy, as far as the conductor uses it."""

    def find_image(self, ref, ignore_missing=True):
        if ref != 'busybox':
            if ignore_missing:
                return None
            raise sdk_exc.ResourceNotFound(
                'No Image found for %s' % ref)
        return types.SimpleNamespace(id='image-1')


class FakeServerGroups:
    """The project's server groups; refuse: what create raises."""

    def __init__(self):
        self.groups = {}
        self.refuse = None
        self._ids = itertools.count()

    def create(self, name, policies):
        if self.refuse:
            raise self.refuse
        group = types.SimpleNamespace(id='group-%d' % next(self._ids),
                                      name=name, policies=policies)
        self.groups[group.id] = group
        return group

    def list(self):
        return list(self.groups.values())

    def delete(self, group_id):
        if self.groups.pop(group_id, None) is None:
            raise nova_exc.NotFound(404)


class FakeNova:

    def __init__(self, neutron=None):
        self.servers = FakeServers(neutron)
        self.server_groups = FakeServerGroups()
        self.flavors = FakeFlavors()

    @property
    def glance(self):
        # novaclient's glance manager points the client it shares with
        # every other Nova request at Glance while it runs: a concurrent
        # Nova request went to Glance (KeyError: 'server_groups').
        raise AssertionError('images are looked up through openstacksdk\'s '
                             'image proxy, not novaclient\'s glance manager')
