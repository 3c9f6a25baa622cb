"""Neutron ports as a container's network interfaces.

Each VIF of an instance's network_info becomes a veth pair:

* the host end, named as Nova names a port's device (``tap<port id>``), is
  made in the namespace of the host's datapath (``[docker]
  datapath_netns``; nova-compute's own by default) and put on the compute
  host's OVS integration bridge by os-vif's ``ovs``
  plugin, which records the port id, MAC and instance on the OVS interface
  (that is how OVN, or the OVS agent, binds the port and sets it ACTIVE);
* the other end is moved into the container's network namespace, named
  ``ethN``, and given the port's MAC, MTU, every fixed IP (v4 and v6) and
  the subnets' gateway and host routes.

The container stays unprivileged: it has no NET_ADMIN and cannot change any
of this; the driver configures its namespace from outside, through
``/proc/<container pid>/ns/net``, in its privsep daemon (privileged.py):
nova-compute itself runs unprivileged. Addresses are static, the ones
Neutron allocated and its DHCP server would hand out.

A container's network namespace lives as long as its first process: after
``docker restart`` or stop/start the old namespace is gone, and the veth
with it. ``plug`` is idempotent and re-wires a port into the container's
current namespace, so the driver calls it after every (re)start.

The userspace datapath (``datapath_type=netdev``, used where there is no
openvswitch kernel module) reads veths over AF_PACKET and never completes
checksums left to the NIC: TCP and UDP (DHCP too) sent with tx checksum
offload on arrive with bad checksums and are dropped. The container end
therefore gets tx offload turned off.
"""

import copy
import os
import signal

from nova import conf as nova_conf
from nova import exception
from nova.network import model as network_model
from nova.network import os_vif_util
import os_vif
from oslo_log import log as logging

from nova_driver import privileged

CONF = nova_conf.CONF
LOG = logging.getLogger(__name__)

# Linux interface names are at most 15 characters.
IFNAMSIZ = 15
CONTAINER_IFNAME = 'eth%d'


_fork_hook_registered = False


# What a container's resolv.conf names when its subnets name no DNS server:
# no resolver at all, so a lookup fails at once (the host's resolver, which
# Docker would copy in, is not on the tenant network: every lookup would
# wait for its timeout first, as a nested engine's registry mirror did).
NO_RESOLVER = '127.0.0.1'


def dns_servers(network_info):
    """The DNS servers of the ports' subnets, as DHCP would give them."""
    servers = [dns['address'] for vif in network_info or ()
               for subnet in vif['network']['subnets']
               for dns in subnet.get('dns') or ()]
    return list(dict.fromkeys(servers)) or [NO_RESOLVER]


def _default_sigterm_in_child():
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def initialize():
    """Load os-vif's plugins; make forked children die on SIGTERM.

    pyroute2 enters a container's namespace in a child it forks (no exec)
    and ends it with SIGTERM. A fork inherits its parent's Python SIGTERM
    handler (nova-compute's, where privsep runs in-process, as in the
    functional tests), so a child that had not exited yet ran nova-compute's
    graceful shutdown instead of dying, and the spawn waiting for it hung
    for minutes. A child forked without exec is never nova-compute itself.
    """
    global _fork_hook_registered
    os_vif.initialize()
    if not _fork_hook_registered:
        os.register_at_fork(after_in_child=_default_sigterm_in_child)
        _fork_hook_registered = True


def _to_osvif(vif):
    if vif['type'] != network_model.VIF_TYPE_OVS:
        raise exception.VirtualInterfacePlugException(
            'port %s is bound with vif_type %s; the Docker driver plugs '
            'only ovs ports' % (vif['id'], vif['type']))
    vif = copy.copy(vif)
    # The driver, not the hypervisor, creates the OVS port (libvirt does it
    # itself for its taps).
    vif['delegate_create'] = True
    return os_vif_util.nova_to_osvif_vif(vif)


def _mtu(vif):
    return vif['network'].get_meta('mtu')


def container_ifnames(pid):
    """The interface names in a container's namespace, loopback excluded."""
    return set(privileged.container_ifnames(pid))


def next_ifname(pid):
    """The first free ethN in a container's namespace."""
    used = container_ifnames(pid)
    index = 0
    while CONTAINER_IFNAME % index in used:
        index += 1
    return CONTAINER_IFNAME % index


def plug(instance, vif, pid, ifname):
    """Wire one port into the container whose first process is ``pid``.

    Returns False if it already was (same MAC in the namespace, host end
    present); the OVS port is then only made sure of.
    """
    osvif = _to_osvif(vif)
    info = os_vif_util.nova_to_osvif_instance(instance)
    host_end = osvif.vif_name
    datapath_ns = CONF.docker.datapath_netns
    if privileged.is_wired(pid, vif['address'], host_end, datapath_ns):
        os_vif.plug(osvif, info)
        return False
    # What an earlier namespace left: the host end (if the container end
    # was not destroyed with it) and the OVS port, whose interface the
    # userspace datapath does not reopen when a device of the same name
    # comes back; os-vif adds it afresh below.
    privileged.delete_link(host_end, datapath_ns)
    os_vif.unplug(osvif, info)
    privileged.wire_veth(pid, host_end, ('ctr' + vif['id'])[:IFNAMSIZ],
                         vif['address'], _mtu(vif), ifname, _subnets(vif),
                         datapath_ns)
    try:
        os_vif.plug(osvif, info)
        privileged.set_link_up(host_end, datapath_ns)
    except Exception:
        privileged.delete_link(host_end, datapath_ns)
        raise
    LOG.debug('Plugged port %s as %s (host end %s)', vif['id'], ifname,
              host_end, instance=instance)
    return True


def _subnets(vif):
    """The port's subnets as plain data, for privileged.wire_veth."""
    return [{'cidr': str(subnet['cidr']),
             'ips': [fixed_ip['address'] for fixed_ip in subnet['ips']],
             'gateway': (subnet.get('gateway') or {}).get('address'),
             'routes': [[route['cidr'],
                         (route.get('gateway') or {}).get('address')]
                        for route in subnet.get('routes') or []]}
            for subnet in vif['network']['subnets']]


def unplug(instance, vif):
    """Take one port out: its OVS port and both veth ends go.

    Idempotent; deleting the host end deletes the container end with it.
    """
    osvif = _to_osvif(vif)
    privileged.delete_link(osvif.vif_name, CONF.docker.datapath_netns)
    os_vif.unplug(osvif, os_vif_util.nova_to_osvif_instance(instance))
    LOG.debug('Unplugged port %s', vif['id'], instance=instance)
