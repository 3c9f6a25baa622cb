"""DockerDriver logic that needs no engine: state table, limits, resources,
configuration checks and the metadata directory.

Where a Docker client is needed it is a small fake answering ``info`` and
``version`` with fixed host figures, so the inventory math can be checked
against exact numbers; everything the engine does is in the functional
tests.
"""

import base64
import json
import os
from unittest.mock import mock_open

import fixtures
from nova.compute import power_state
from nova.compute import provider_tree
from nova import conf as nova_conf
from nova import exception
from nova import objects
from oslo_config import cfg
from oslo_config import fixture as config_fixture
import testtools

from nova_driver import conf as docker_conf
from nova_driver import docker_client
from nova_driver import driver as docker_driver
from nova_driver import image_cache
from nova_driver import metadata
from nova_driver import power_state as state_map

CONF = nova_conf.CONF
GiB = 1024 ** 3
IMAGE_ID = '5a3b7c1e-0000-4000-8000-00000000000a'


class TestPowerStateTable(testtools.TestCase):

    def test_every_docker_status_has_a_nova_state(self):
        expected = {
            'created': power_state.SHUTDOWN,
            'running': power_state.RUNNING,
            'paused': power_state.PAUSED,
            'restarting': power_state.NOSTATE,
            'removing': power_state.NOSTATE,
            'exited': power_state.SHUTDOWN,
            'dead': power_state.CRASHED,
        }
        self.assertEqual(expected, {s: state_map.from_docker(s)
                                    for s in expected})

    def test_unknown_status_is_nostate(self):
        self.assertEqual(power_state.NOSTATE,
                         state_map.from_docker('hibernating'))


class TestLimits(testtools.TestCase):

    def test_nano_cpus_cap_at_vcpus(self):
        self.assertEqual({'nano_cpus': 2 * 10 ** 9},
                         docker_driver.cpu_limits(2, 'nano_cpus'))

    def test_cpu_shares_weigh_by_vcpus(self):
        self.assertEqual({'cpu_shares': 3072},
                         docker_driver.cpu_limits(3, 'cpu_shares'))

    def test_engine_version_with_distro_suffix(self):
        self.assertEqual(20010024,
                         docker_driver.engine_version_int('20.10.24+dfsg1'))
        self.assertEqual(27000000, docker_driver.engine_version_int('27'))


class TestConfig(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = cfg.ConfigOpts()
        docker_conf.register_opts(self.conf)
        self.conf([], default_config_files=[])
        self.fixture = self.useFixture(config_fixture.Config(self.conf))

    def set(self, **kw):
        self.fixture.config(group='docker', **kw)

    def test_defaults_are_valid_and_unprivileged(self):
        docker_conf.validate(self.conf)
        self.assertEqual('unix:///var/run/docker.sock',
                         self.conf.docker.api_url)
        self.assertEqual([], self.conf.docker.cap_add)

    def test_tcp_without_tls_is_refused(self):
        self.set(api_url='tcp://10.0.0.5:2376', tls_cert='/c.pem')
        e = self.assertRaises(ValueError, docker_conf.validate, self.conf)
        self.assertIn('tls_cacert, tls_key', str(e))

    def test_tcp_with_tls_is_accepted(self):
        self.set(api_url='tcp://10.0.0.5:2376', tls_cert='/c.pem',
                 tls_key='/k.pem', tls_cacert='/ca.pem')
        docker_conf.validate(self.conf)

    def test_other_schemes_are_refused(self):
        self.set(api_url='ssh://docker@host')
        e = self.assertRaises(ValueError, docker_conf.validate, self.conf)
        self.assertIn('[docker] api_url must be unix:// or tcp://', str(e))

    def test_connect_gives_the_engine_the_options(self):
        client_class = self.useFixture(fixtures.MockPatch(
            'magnumlite.common.docker_engine.Client')).mock
        docker_client.connect(self.conf.docker)
        client_class.assert_called_once_with(
            base_url='unix:///var/run/docker.sock', version='auto',
            timeout=120, tls=None)

    def test_connect_tcp_with_the_tls_files(self):
        client_class = self.useFixture(fixtures.MockPatch(
            'magnumlite.common.docker_engine.Client')).mock
        tmp = self.useFixture(fixtures.TempDir()).path
        files = {name: os.path.join(tmp, name)
                 for name in ('tls_cacert', 'tls_cert', 'tls_key')}
        for path in files.values():
            open(path, 'w').close()
        self.set(api_url='tcp://10.0.0.5:2376', api_timeout=7, **files)
        docker_client.connect(self.conf.docker)
        kwargs = client_class.call_args.kwargs
        self.assertEqual(('https://10.0.0.5:2376', 7),
                         (kwargs['base_url'], kwargs['timeout']))
        self.assertEqual(files['tls_cacert'], kwargs['tls'].ca_cert)
        self.assertEqual((files['tls_cert'], files['tls_key']),
                         kwargs['tls'].cert)

    def test_cap_add_all_and_garbage_are_refused(self):
        for bad in (['ALL'], ['net admin'], ['NET_ADMIN', 'sys-admin']):
            self.set(cap_add=bad)
            self.assertRaises(ValueError, docker_conf.validate, self.conf)
        self.set(cap_add=['NET_ADMIN', 'CAP_SYS_PTRACE'])
        docker_conf.validate(self.conf)

    def test_cpu_limit_is_a_choice(self):
        self.assertRaises(ValueError, self.set, cpu_limit='quota')

    def test_list_opts_names_the_group(self):
        opts = docker_conf.list_opts()
        self.assertEqual(['docker'], [g.name for g in opts])
        names = {o.name for o in opts[docker_conf.GROUP]}
        self.assertTrue({'api_url', 'pids_limit', 'cap_add',
                         'boot_grace_period'} <= names)


class FakeEngine(object):
    """``info``/``version`` of an 8-CPU, 16 GiB host."""

    def __init__(self, root):
        self.root = root

    def info(self):
        return {'NCPU': 8, 'MemTotal': 16 * GiB, 'DockerRootDir': self.root}

    def version(self):
        return {'Version': '20.10.24+dfsg1'}


class DriverTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.conf = self.useFixture(config_fixture.Config(CONF))
        self.conf.config(host='unit-host', instances_path=self.tmp)
        self.driver = docker_driver.DockerDriver(None)
        self.driver._client = FakeEngine(self.tmp)
        self.driver._host = 'unit-host'


class TestInventory(DriverTestCase):

    def inventory(self, existing=None):
        tree = provider_tree.ProviderTree()
        tree.new_root('unit-host', 'c0ffee00-0000-0000-0000-000000000001')
        if existing:
            tree.update_inventory('unit-host', existing)
        self.driver.update_provider_tree(tree, 'unit-host')
        return tree.data('unit-host').inventory

    def test_totals_reserved_and_configured_ratios(self):
        self.conf.config(reserved_host_cpus=1, reserved_host_memory_mb=512,
                         reserved_host_disk_mb=2048,
                         cpu_allocation_ratio=4.0, ram_allocation_ratio=1.5,
                         disk_allocation_ratio=1.0)
        inv = self.inventory()
        disk_gb = os.statvfs(self.tmp)
        self.assertEqual(
            {'total': 8, 'reserved': 1, 'allocation_ratio': 4.0,
             'min_unit': 1, 'max_unit': 8, 'step_size': 1}, inv['VCPU'])
        self.assertEqual(
            {'total': 16384, 'reserved': 512, 'allocation_ratio': 1.5,
             'min_unit': 1, 'max_unit': 16384, 'step_size': 1},
            inv['MEMORY_MB'])
        self.assertEqual(
            disk_gb.f_blocks * disk_gb.f_frsize // GiB,
            inv['DISK_GB']['total'])
        self.assertEqual(2, inv['DISK_GB']['reserved'])

    def test_ratio_set_in_placement_is_kept_when_config_is_unset(self):
        existing = {rc: {'total': 1, 'allocation_ratio': 7.0}
                    for rc in ('VCPU', 'MEMORY_MB', 'DISK_GB')}
        inv = self.inventory(existing)
        self.assertEqual(7.0, inv['VCPU']['allocation_ratio'])

    def test_initial_ratios_apply_to_a_new_provider(self):
        self.conf.config(initial_cpu_allocation_ratio=3.0)
        self.assertEqual(3.0, self.inventory()['VCPU']['allocation_ratio'])

    def test_available_resource_reports_capacity_and_node_uuid(self):
        self.useFixture(fixtures.MonkeyPatch(
            'nova.virt.node.LOCAL_NODE_UUID',
            'c0ffee00-0000-0000-0000-000000000002'))
        res = self.driver.get_available_resource('unit-host')
        self.assertEqual((8, 16384, 'docker', 20010024,
                          'c0ffee00-0000-0000-0000-000000000002'),
                         (res['vcpus'], res['memory_mb'],
                          res['hypervisor_type'], res['hypervisor_version'],
                          res['uuid']))
        self.assertEqual(
            {'c0ffee00-0000-0000-0000-000000000002': 'unit-host'},
            self.driver.get_nodenames_by_uuid())


class TestHostUptime(DriverTestCase):

    def test_uptime_from_proc(self):
        self.useFixture(fixtures.MockPatch(
            'builtins.open', mock_open(read_data='93784.17 1000.0\n')))
        self.assertEqual('up 1 days, 2:03', self.driver.get_host_uptime())


class FakeImage(object):
    id = 'sha256:abc'


class TestContainerSpec(DriverTestCase):

    def instance(self):
        return objects.Instance(
            uuid='7b0e5d1a-1111-4222-8333-444455556666',
            display_name='web', hostname='web', project_id='p',
            availability_zone='docker', launch_index=0, metadata={'a': 'b'},
            key_name='k', key_data='ssh-ed25519 AAAA',
            user_data=base64.b64encode(b'#cloud-config\n').decode(),
            flavor=objects.Flavor(memory_mb=256, vcpus=2))

    def test_unprivileged_limited_spec(self):
        self.conf.config(group='docker', pids_limit=100)
        spec = self.driver._create_kwargs(self.instance(), FakeImage(), [])
        md = os.path.join(self.tmp, self.instance().uuid, 'openstack')
        self.assertEqual(
            {'image': 'sha256:abc', 'privileged': False,
             'network_mode': 'none', 'mem_limit': '256m',
             'memswap_limit': '256m', 'nano_cpus': 2 * 10 ** 9,
             'pids_limit': 100, 'security_opt': ['no-new-privileges'],
             'volumes': {md: {'bind': '/run/openstack', 'mode': 'ro'}}},
            {k: spec[k] for k in ('image', 'privileged', 'network_mode',
                                  'mem_limit', 'memswap_limit', 'nano_cpus',
                                  'pids_limit', 'security_opt', 'volumes')})
        self.assertNotIn('cap_add', spec)

    def test_operator_cap_add_and_cpu_shares(self):
        self.conf.config(group='docker', cap_add=['NET_ADMIN'],
                         cpu_limit='cpu_shares', no_new_privileges=False)
        spec = self.driver._create_kwargs(self.instance(), FakeImage(), [])
        self.assertEqual(['NET_ADMIN'], spec['cap_add'])
        self.assertEqual(2048, spec['cpu_shares'])
        self.assertNotIn('nano_cpus', spec)
        self.assertNotIn('security_opt', spec)

    def test_metadata_directory(self):
        instance = self.instance()
        root = metadata.write(self.tmp, instance)
        latest = os.path.join(root, 'latest')
        with open(os.path.join(latest, 'meta_data.json')) as f:
            md = json.load(f)
        self.assertEqual((instance.uuid, {'a': 'b'},
                          {'k': 'ssh-ed25519 AAAA'}),
                         (md['uuid'], md['meta'], md['public_keys']))
        with open(os.path.join(latest, 'user_data'), 'rb') as f:
            self.assertEqual(b'#cloud-config\n', f.read())
        instance.user_data = None
        metadata.write(self.tmp, instance)
        self.assertFalse(os.path.exists(os.path.join(latest, 'user_data')))
        metadata.remove(self.tmp, instance.uuid)
        self.assertFalse(os.path.exists(os.path.join(self.tmp,
                                                     instance.uuid)))


class TestContainerFormat(testtools.TestCase):

    def test_only_docker_tarballs_boot(self):
        for fmt in ('bare', 'ovf'):
            meta = objects.ImageMeta.from_dict(
                {'id': IMAGE_ID, 'container_format': fmt,
                 'disk_format': 'raw'})
            e = self.assertRaises(exception.ImageUnacceptable,
                                  image_cache.check_container_format, meta)
            self.assertIn('container_format=docker', str(e))
            self.assertIn('container_format=%s' % fmt, str(e))
        image_cache.check_container_format(objects.ImageMeta.from_dict(
            {'id': IMAGE_ID, 'container_format': 'docker',
             'disk_format': 'raw'}))

    def test_cache_tag_names_host_image_and_checksum(self):
        self.assertEqual('magnumlite-glance/compute-1-a/i1:abc',
                         image_cache.cache_tag('Compute_1.A', 'i1', 'abc'))
        self.assertEqual('magnumlite-glance/h/i1:unchecked',
                         image_cache.cache_tag('h', 'i1', None))
