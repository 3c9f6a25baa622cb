"""What the Docker driver does as root, in its oslo.privsep daemon.

nova-compute runs unprivileged, as Nova's services do everywhere (in the
docker group, for the engine's socket). Wiring a port into a container is
the one thing the driver needs more for: a veth made and configured with
CAP_NET_ADMIN on the host and in the container's network namespace, which
it enters through ``/proc/<pid>/ns/net`` (CAP_SYS_ADMIN for setns, and
CAP_SYS_PTRACE and CAP_DAC_OVERRIDE to open another user's namespace file).
Only the functions here run with those capabilities, in a daemon started
through ``[nova_driver_privileged] helper_command`` (``sudo
privsep-helper ...``), as Nova's and os-vif's privileged code is. Their
arguments and results are plain data: they cross the daemon's socket.
"""

import errno
import ipaddress
import socket

from oslo_concurrency import processutils
from oslo_privsep import capabilities
from oslo_privsep import priv_context
import pyroute2

IFA_F_NODAD = 0x02

netns_admin = priv_context.PrivContext(
    'nova_driver',
    cfg_section='nova_driver_privileged',
    pypath=__name__ + '.netns_admin',
    capabilities=[capabilities.CAP_NET_ADMIN, capabilities.CAP_SYS_ADMIN,
                  capabilities.CAP_SYS_PTRACE,
                  capabilities.CAP_DAC_OVERRIDE],
)


def _netns(pid):
    return '/proc/%d/ns/net' % pid


def _datapath(datapath_ns):
    """Netlink in the datapath's namespace: a path, or None for our own."""
    if datapath_ns is None:
        return pyroute2.IPRoute()
    return pyroute2.IPRoute(netns=datapath_ns, flags=0)


def _ethtool(datapath_ns, *args):
    nsenter = ('nsenter', '--net=' + datapath_ns) if datapath_ns else ()
    processutils.execute(*nsenter, 'ethtool', *args)


def _link_index(ipr, ifname):
    found = ipr.link_lookup(ifname=ifname)
    return found[0] if found else None


def _delete_link(ipr, ifname):
    index = _link_index(ipr, ifname)
    if index is not None:
        try:
            ipr.link('del', index=index)
        except pyroute2.NetlinkError as e:
            if e.code != errno.ENODEV:  # gone meanwhile (with its peer)
                raise


@netns_admin.entrypoint
def container_ifnames(pid):
    """The interface names in pid's namespace, loopback excluded."""
    with pyroute2.IPRoute(netns=_netns(pid), flags=0) as ns:
        names = {link.get('ifname') for link in ns.get_links()}
    return sorted(names - {'lo'})


@netns_admin.entrypoint
def is_wired(pid, mac, host_end, datapath_ns=None):
    """True if pid's namespace has mac's interface and host_end exists.

    datapath_ns, here and below: the namespace the host end is in (a path;
    None: ours).
    """
    with _datapath(datapath_ns) as ipr, \
            pyroute2.IPRoute(netns=_netns(pid), flags=0) as ns:
        in_container = any(link.get('address') == mac
                           for link in ns.get_links())
        return in_container and _link_index(ipr, host_end) is not None


@netns_admin.entrypoint
def delete_link(ifname, datapath_ns=None):
    """Delete a host interface (a veth's peer goes with it); idempotent."""
    with _datapath(datapath_ns) as ipr:
        _delete_link(ipr, ifname)


@netns_admin.entrypoint
def set_link_up(ifname, datapath_ns=None):
    with _datapath(datapath_ns) as ipr:
        ipr.link('set', index=_link_index(ipr, ifname), state='up')


@netns_admin.entrypoint
def wire_veth(pid, host_end, peer, mac, mtu, ifname, subnets,
              datapath_ns=None):
    """A veth whose peer becomes ifname in pid's namespace, configured.

    The host end is left down, for os-vif to put on the bridge first.
    subnets: [{'cidr', 'ips': [address], 'gateway': address or None,
    'routes': [[cidr, via or None]]}] (the port's, from Neutron).
    The userspace datapath never completes checksums left to the NIC:
    the container end gets tx offload off. On failure nothing is left.
    """
    with _datapath(datapath_ns) as ipr, \
            pyroute2.IPRoute(netns=_netns(pid), flags=0) as ns:
        _delete_link(ipr, peer)
        ipr.link('add', ifname=host_end, kind='veth', peer=peer)
        try:
            peer_index = _link_index(ipr, peer)
            host_index = _link_index(ipr, host_end)
            ipr.link('set', index=peer_index, address=mac)
            if mtu:
                ipr.link('set', index=peer_index, mtu=mtu)
                ipr.link('set', index=host_index, mtu=mtu)
            _ethtool(datapath_ns, '-K', peer, 'tx', 'off')
            ipr.link('set', index=peer_index, net_ns_pid=pid)
            _configure_container_end(ns, peer, ifname, subnets)
        except Exception:
            _delete_link(ipr, host_end)
            raise


def _configure_container_end(ns, name, ifname, subnets):
    index = _link_index(ns, name)
    ns.link('set', index=index, ifname=ifname)
    ns.link('set', index=index, state='up')
    for subnet in subnets:
        cidr = ipaddress.ip_network(subnet['cidr'])
        family = socket.AF_INET if cidr.version == 4 else socket.AF_INET6
        for address in subnet['ips']:
            # No duplicate address detection: Neutron allocated the
            # address, and DAD would hold a v6 address back for seconds.
            ns.addr('add', index=index, address=address,
                    prefixlen=cidr.prefixlen, family=family,
                    flags=IFA_F_NODAD if cidr.version == 6 else 0)
        if subnet['gateway'] and subnet['ips']:
            # The first port's gateway is the default route; a later port
            # (or subnet) does not take it over.
            _add_route(ns, dst='::/0' if cidr.version == 6 else '0.0.0.0/0',
                       gateway=subnet['gateway'], oif=index, family=family)
        for route_cidr, via in subnet['routes']:
            _add_route(ns, dst=route_cidr, oif=index, family=family,
                       **({'gateway': via} if via else {}))


def _add_route(ns, **route):
    try:
        ns.route('add', **route)
    except pyroute2.NetlinkError as e:
        if e.code != errno.EEXIST:
            raise
