"""The Docker driver's port logic that needs no host: which Neutron events
a boot waits for, what a failed or late event does, and which ports it
refuses. Plugging itself (veths, OVS, namespaces) is in the integration
tests (tests/integration/test_networking.py)."""

import contextlib
import functools
import os
import signal
import time
from unittest import mock

import fixtures

from nova import conf as nova_conf
from nova import exception
from nova.network import model as network_model
from nova import objects
from os_vif import objects as osvif_objects
from oslo_config import fixture as config_fixture
import testtools

from nova_driver import driver as docker_driver
from nova_driver import vifs

CONF = nova_conf.CONF


def vif(port_id, active, vif_type=network_model.VIF_TYPE_OVS):
    return network_model.VIF(
        id=port_id, address='fa:16:3e:00:00:01', type=vif_type,
        devname=('tap' + port_id)[:14],
        active=active, network=network_model.Network(
            id='net', bridge='ml-br-int', subnets=[]),
        details={'datapath_type': 'netdev', 'port_filter': True})


class FakeVirtAPI(object):
    """Records the events waited for; fails the wait if told to."""

    def __init__(self, outcome=None):
        self.waited = []
        self.outcome = outcome

    @contextlib.contextmanager
    def wait_for_instance_event(self, instance, events, timeout,
                                error_callback):
        self.waited.append((list(events), timeout))
        yield
        if self.outcome == 'timeout':
            raise exception.InstanceEventTimeout()
        if self.outcome == 'failed':
            error_callback(events[0], instance)


class TestVifPluggedEvents(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(CONF))

    def test_only_ports_not_yet_active_are_waited_for(self):
        self.conf.config(vif_plugging_timeout=60)
        events = docker_driver.DockerDriver._vif_plugged_events(
            network_model.NetworkInfo([vif('p1', False), vif('p2', True)]))
        self.assertEqual([('network-vif-plugged', 'p1')], events)

    def test_timeout_zero_waits_for_nothing(self):
        self.conf.config(vif_plugging_timeout=0)
        self.assertEqual([], docker_driver.DockerDriver._vif_plugged_events(
            network_model.NetworkInfo([vif('p1', False)])))


class TestSpawnWaitsForNeutron(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(CONF))
        self.conf.config(vif_plugging_timeout=60, vif_plugging_is_fatal=True)
        self.container = mock.Mock(status='running')
        self.network_info = network_model.NetworkInfo([vif('p1', False)])
        self.instance = mock.Mock(uuid='11111111-2222-4333-8444-555555555555')
        self.instance.flavor.extra_specs = {}     # an ordinary server

    def spawn(self, outcome):
        virtapi = FakeVirtAPI(outcome)
        driver = docker_driver.DockerDriver(virtapi)
        driver._image_cache = mock.Mock()
        driver._image_cache.ensure.return_value = (mock.Mock(id='img'), False)
        driver._client = mock.Mock()
        driver._client.containers.create.return_value = self.container
        self.useFixture(config_fixture.Config(CONF)).config(
            boot_grace_period=0, group='docker')
        with mock.patch.object(driver, '_create_kwargs', return_value={}), \
                mock.patch.object(driver, '_plug_all') as plug_all, \
                mock.patch.object(driver, '_unplug_all') as unplug_all:
            try:
                driver.spawn(None, self.instance, mock.Mock(id='img'), [],
                             None, {}, network_info=self.network_info)
                return virtapi, plug_all, unplug_all, None
            except Exception as e:
                return virtapi, plug_all, unplug_all, e

    def test_ports_are_plugged_while_waiting_for_their_events(self):
        virtapi, plug_all, _, error = self.spawn(None)
        self.assertIsNone(error)
        self.assertEqual([([('network-vif-plugged', 'p1')], 60)],
                         virtapi.waited)
        plug_all.assert_called_once_with(self.instance, self.network_info,
                                         self.container)

    def test_late_event_fails_the_boot_and_removes_everything(self):
        _, _, unplug_all, error = self.spawn('timeout')
        self.assertIsInstance(error, exception.VirtualInterfaceCreateException)
        self.container.remove.assert_called_once_with(force=True, v=True)
        unplug_all.assert_called_once_with(self.instance, self.network_info)

    def test_late_event_is_only_logged_when_not_fatal(self):
        self.conf.config(vif_plugging_is_fatal=False)
        _, _, unplug_all, error = self.spawn('timeout')
        self.assertIsNone(error)
        unplug_all.assert_not_called()

    def test_neutron_reporting_failure_fails_the_boot(self):
        _, _, unplug_all, error = self.spawn('failed')
        self.assertIsInstance(error, exception.VirtualInterfaceCreateException)
        unplug_all.assert_called_once_with(self.instance, self.network_info)


class TestPortTypes(testtools.TestCase):

    def setUp(self):
        super().setUp()
        osvif_objects.register_all()   # what os_vif.initialize() does

    def test_a_port_not_bound_as_ovs_is_refused_with_its_type(self):
        error = self.assertRaises(
            exception.VirtualInterfacePlugException, vifs._to_osvif,
            vif('p1', False, vif_type='binding_failed'))
        self.assertIn('binding_failed', str(error))

    def test_an_ovs_port_becomes_an_os_vif_ovs_port_the_driver_creates(self):
        osvif = vifs._to_osvif(vif('0123456789abcdef', False))
        self.assertEqual('tap0123456789a', osvif.vif_name)
        self.assertEqual('netdev', osvif.port_profile.datapath_type)
        self.assertTrue(osvif.port_profile.create_port)


class TestForkedChildren(testtools.TestCase):
    """pyroute2's namespace children end on SIGTERM (see initialize)."""

    def test_a_forked_child_dies_on_sigterm_despite_the_services_handler(self):
        handled = []
        previous = signal.signal(signal.SIGTERM,
                                 lambda *a: handled.append(a))  # as oslo
        self.addCleanup(signal.signal, signal.SIGTERM, previous)
        vifs.initialize()
        pid = os.fork()
        if pid == 0:
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(5)      # the handler would return here
            finally:
                os._exit(3)
        _pid, status = os.waitpid(pid, 0)
        self.assertEqual(-signal.SIGTERM, os.waitstatus_to_exitcode(status))
        self.assertEqual([], handled)   # the parent keeps its handler
        self.assertIsNot(signal.SIG_DFL, signal.getsignal(signal.SIGTERM))


class TestDNS(testtools.TestCase):

    def _vif(self, *dns):
        subnet = network_model.Subnet(
            cidr='10.0.0.0/24', dns=[network_model.IP(address=a, type='dns')
                                     for a in dns])
        return network_model.VIF(id='p', network=network_model.Network(
            id='net', subnets=[subnet]))

    def test_the_subnets_dns_servers_as_dhcp_would_give_them(self):
        self.assertEqual(['10.0.0.2', '172.24.4.1'], vifs.dns_servers(
            [self._vif('10.0.0.2', '172.24.4.1'), self._vif('10.0.0.2')]))

    def test_no_dns_server_means_no_resolver_not_the_hosts(self):
        # The host's resolver is not on the tenant network: a lookup
        # would wait for its timeout instead of failing at once.
        for network_info in ([self._vif()], [], None):
            self.assertEqual(['127.0.0.1'], vifs.dns_servers(network_info))


def objects_instance():
    return objects.Instance(
        id=1, uuid='6c6f0a55-1f7b-4d0e-9a57-3f0c2f3c9a11', project_id='p')


class TestPlugThroughPrivsep(testtools.TestCase):
    """What plug asks the privsep daemon for: plain data, in order."""

    def setUp(self):
        super().setUp()
        osvif_objects.register_all()
        self.calls = []
        for name in ('is_wired', 'delete_link', 'wire_veth', 'set_link_up'):
            self.useFixture(fixtures.MockPatch(
                'nova_driver.privileged.' + name,
                side_effect=functools.partial(self._record, name)))
        for name in ('plug', 'unplug'):
            self.useFixture(fixtures.MockPatch(
                'os_vif.' + name,
                side_effect=functools.partial(self._record, 'os_vif.' + name)))
        self.wired = False
        self.datapath_namespaces = []
        self.conf = self.useFixture(config_fixture.Config(CONF))

    def _record(self, name, *args):
        self.calls.append(name)
        if name == 'wire_veth':
            self.wire_args = args
        if not name.startswith('os_vif.'):
            self.datapath_namespaces.append(args[-1])
        return self.wired if name == 'is_wired' else None

    def _vif(self):
        subnet = network_model.Subnet(
            cidr='10.0.0.0/24',
            gateway=network_model.IP(address='10.0.0.1', type='gateway'),
            ips=[network_model.FixedIP(address='10.0.0.5')],
            routes=[network_model.Route(
                cidr='192.168.0.0/16',
                gateway=network_model.IP(address='10.0.0.254'))])
        port = vif('0123456789abcdef', active=False)
        port['network']['subnets'] = [subnet]
        port['network']['meta'] = {'mtu': 1442}
        return port

    def test_plug_wires_a_veth_then_os_vif_then_the_host_end_up(self):
        instance = objects_instance()
        self.assertTrue(vifs.plug(instance, self._vif(), 4242, 'eth0'))
        self.assertEqual(['is_wired', 'delete_link', 'os_vif.unplug',
                          'wire_veth', 'os_vif.plug', 'set_link_up'],
                         self.calls)
        self.assertEqual(
            (4242, 'tap0123456789a', 'ctr0123456789ab', 'fa:16:3e:00:00:01',
             1442, 'eth0', [{'cidr': '10.0.0.0/24', 'ips': ['10.0.0.5'],
                             'gateway': '10.0.0.1',
                             'routes': [['192.168.0.0/16', '10.0.0.254']]}],
             None),
            self.wire_args)

    def test_the_host_end_is_made_in_the_datapaths_namespace(self):
        # A second compute host's datapath switches in a namespace of its
        # own; every host-side call is made there, plug and unplug.
        self.conf.config(group='docker', datapath_netns='/run/netns/ml-x')
        vifs.plug(objects_instance(), self._vif(), 4242, 'eth0')
        vifs.unplug(objects_instance(), self._vif())
        self.assertEqual(['is_wired', 'delete_link', 'wire_veth',
                          'set_link_up', 'delete_link'],
                         [c for c in self.calls if not c.startswith('os_')])
        self.assertEqual(['/run/netns/ml-x'] * 5, self.datapath_namespaces)

    def test_a_port_already_wired_is_only_made_sure_of_in_ovs(self):
        self.wired = True
        self.assertFalse(vifs.plug(objects_instance(), self._vif(), 4242,
                                   'eth0'))
        self.assertEqual(['is_wired', 'os_vif.plug'], self.calls)
