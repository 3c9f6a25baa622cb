"""The driver's privileged port wiring, in real network namespaces.

A container's namespace here is a process that unshared one (``unshare
--net sleep``); the namespace of a second compute host's datapath is made
with ``ip netns add``, as the all-in-one makes it. The privileged functions
run in this process (root, as the tests run), not in a privsep daemon.
"""

import os
import subprocess
import uuid

import pyroute2
import testtools

from nova_driver import privileged
from tests import waiting

IFF_UP = 0x1
MAC = 'fa:16:3e:00:00:42'
SUBNETS = [{'cidr': '10.99.0.0/24', 'ips': ['10.99.0.5'],
            'gateway': '10.99.0.1', 'routes': []}]


def _links(netns=None):
    ipr = (pyroute2.IPRoute(netns=netns, flags=0) if netns
           else pyroute2.IPRoute())
    with ipr:
        return {link.get('ifname'): link for link in ipr.get_links()}


class TestWiringIntoADatapathNamespace(testtools.TestCase):

    def setUp(self):
        super().setUp()
        privileged.netns_admin.set_client_mode(False)
        self.addCleanup(privileged.netns_admin.set_client_mode, True)
        suffix = uuid.uuid4().hex[:8]
        name = 'ml-test-' + suffix
        subprocess.run(['ip', 'netns', 'add', name], check=True)
        self.addCleanup(subprocess.run, ['ip', 'netns', 'delete', name])
        self.datapath_ns = '/run/netns/' + name
        container = subprocess.Popen(['unshare', '--net', 'sleep', '300'])
        self.addCleanup(container.wait)
        self.addCleanup(container.kill)
        self.pid = container.pid
        ours = os.readlink('/proc/self/ns/net')
        waiting.wait_until(
            lambda: os.readlink('/proc/%d/ns/net' % self.pid) != ours,
            'the container process in a namespace of its own', timeout=10,
            interval=0.05)
        self.host_end, self.peer = 'tapml' + suffix, 'ctrml' + suffix

    def _wire(self, datapath_ns):
        privileged.wire_veth(self.pid, self.host_end, self.peer, MAC, 1442,
                             'eth0', SUBNETS, datapath_ns)

    def test_the_host_end_is_made_in_the_datapaths_namespace(self):
        self._wire(self.datapath_ns)
        self.assertIn(self.host_end, _links(self.datapath_ns))
        self.assertNotIn(self.host_end, _links())
        container = _links('/proc/%d/ns/net' % self.pid)
        self.assertEqual(MAC, container['eth0'].get('address'))
        self.assertEqual(1442, container['eth0'].get('mtu'))
        # ethtool ran where the peer was, before it moved: tx offload off.
        features = subprocess.run(
            ['nsenter', '--net=/proc/%d/ns/net' % self.pid, 'ethtool', '-k',
             'eth0'], check=True, capture_output=True, text=True).stdout
        self.assertIn('tx-checksumming: off', features)
        self.assertTrue(privileged.is_wired(self.pid, MAC, self.host_end,
                                            self.datapath_ns))
        self.assertFalse(privileged.is_wired(self.pid, MAC, self.host_end))

        privileged.set_link_up(self.host_end, self.datapath_ns)
        flags = _links(self.datapath_ns)[self.host_end]['flags']
        self.assertTrue(flags & IFF_UP)

        privileged.delete_link(self.host_end, self.datapath_ns)
        self.assertNotIn(self.host_end, _links(self.datapath_ns))
        self.assertNotIn('eth0', _links('/proc/%d/ns/net' % self.pid))
        privileged.delete_link(self.host_end, self.datapath_ns)  # idempotent

    def test_without_a_datapath_namespace_the_host_end_is_ours(self):
        self.addCleanup(privileged.delete_link, self.host_end)
        self._wire(None)
        self.assertIn(self.host_end, _links())
        self.assertNotIn(self.host_end, _links(self.datapath_ns))
        self.assertTrue(privileged.is_wired(self.pid, MAC, self.host_end))
