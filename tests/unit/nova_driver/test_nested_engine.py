"""Nested engines: flavor -> container arguments, refusals, the trait and
the volume's life, with a fake engine; the real one is in the functional
and integration tests.
"""

import tests.unit.nova_driver  # noqa: F401,I100  (nova's own CONF first)

import os

import fixtures
from nova.compute import provider_tree
from nova import objects
import testtools

from magnumlite.common import docker_engine
from nova_driver import docker_client
from nova_driver import nested_engine
from tests.unit.nova_driver import test_driver

UUID = '7b0e5d1a-1111-4222-8333-444455556666'
# This machine's bounding set: everything up to CHECKPOINT_RESTORE but
# SYS_RESOURCE (bit 24).
HOST_CAPBND = '000001fffeffffff'


def instance(extra_specs=None):
    return objects.Instance(
        uuid=UUID, display_name='node', hostname='node', project_id='p',
        availability_zone='docker', launch_index=0, metadata={},
        key_name=None, key_data=None, user_data=None,
        flavor=objects.Flavor(name='m1.swarm', memory_mb=512, vcpus=1,
                              extra_specs=extra_specs or {}))


def host_capabilities(tmp, capbnd=HOST_CAPBND):
    path = os.path.join(tmp, 'status')
    with open(path, 'w') as f:
        f.write('Name:\tnova-compute\nCapInh:\t0000000000000000\n'
                'CapBnd:\t%s\nCapAmb:\t0000000000000000\n' % capbnd)
    return nested_engine.bounding_set(path)


class FakeVolume(object):

    def __init__(self, volumes, name):
        self.volumes, self.name = volumes, name

    def remove(self, force=False):
        del self.volumes.created[self.name]


class FakeVolumes(object):
    """The ``volumes`` collection of a docker client, as a dict."""

    def __init__(self):
        self.created = {}

    def create(self, name, labels):
        self.created.setdefault(name, labels)
        return FakeVolume(self, name)

    def get(self, name):
        if name not in self.created:
            raise docker_engine.NotFound('no volume %s' % name)
        return FakeVolume(self, name)


class FakeClient(object):

    def __init__(self):
        self.volumes = FakeVolumes()


class FakeImage(object):
    id = 'sha256:abc'


class TestBoundingSet(testtools.TestCase):

    def test_names_of_the_set_bits(self):
        caps = host_capabilities(self.useFixture(fixtures.TempDir()).path)
        self.assertIn('SYS_ADMIN', caps)
        self.assertIn('CHECKPOINT_RESTORE', caps)
        self.assertNotIn('SYS_RESOURCE', caps)
        self.assertEqual(len(nested_engine.CAPABILITY_BITS) - 1, len(caps))


class TestRequested(testtools.TestCase):

    def test_ordinary_flavor_asks_for_nothing(self):
        self.assertFalse(nested_engine.requested(instance(), False))
        self.assertFalse(nested_engine.requested(
            instance({nested_engine.EXTRA_SPEC: 'false'}), False))

    def test_allowed_host_runs_it(self):
        self.assertTrue(nested_engine.requested(
            instance({nested_engine.EXTRA_SPEC: 'True'}), True))

    def test_host_that_does_not_allow_refuses_and_says_why(self):
        e = self.assertRaises(
            nested_engine.NestedEngineRefused, nested_engine.requested,
            instance({nested_engine.EXTRA_SPEC: 'true'}), False)
        self.assertIn('allow_nested_engines', str(e))
        self.assertIn(nested_engine.TRAIT, str(e))
        self.assertIn('m1.swarm', str(e))

    def test_not_a_boolean_is_refused(self):
        e = self.assertRaises(
            nested_engine.NestedEngineRefused, nested_engine.requested,
            instance({nested_engine.EXTRA_SPEC: 'maybe'}), True)
        self.assertIn("'maybe' is not a boolean", str(e))


class DriverTestCase(test_driver.DriverTestCase):

    def setUp(self):
        super().setUp()
        self.driver._client = FakeClient()
        self.driver._node = 'node-uuid'
        self.driver._host_capabilities = host_capabilities(self.tmp)


class TestContainerArguments(DriverTestCase):

    def test_ordinary_flavor_is_as_confined_as_ever(self):
        spec = self.driver._create_kwargs(instance(), FakeImage(), [])
        md = os.path.join(self.tmp, UUID, 'openstack')
        self.assertEqual(
            {'image', 'name', 'hostname', 'labels', 'environment', 'volumes',
             'mem_limit', 'memswap_limit', 'pids_limit', 'network_mode',
             'dns', 'privileged', 'nano_cpus', 'security_opt'}, set(spec))
        self.assertEqual(
            (False, ['no-new-privileges'],
             {md: {'bind': '/run/openstack', 'mode': 'ro'}}),
            (spec['privileged'], spec['security_opt'], spec['volumes']))

    def test_nested_engine_gets_what_it_needs_within_the_bounding_set(self):
        ordinary = self.driver._create_kwargs(instance(), FakeImage(), [])
        spec = self.driver._create_kwargs(instance(), FakeImage(), [],
                                          nested=True)
        md = os.path.join(self.tmp, UUID, 'openstack')
        self.assertFalse(spec['privileged'])
        self.assertEqual(['seccomp=unconfined', 'apparmor=unconfined'],
                         spec['security_opt'])
        self.assertEqual('private', spec['cgroupns'])
        self.assertEqual({'/run': 'exec,mode=755'}, spec['tmpfs'])
        self.assertEqual(
            {md: {'bind': '/run/openstack', 'mode': 'ro'},
             'magnumlite-%s-docker' % UUID: {'bind': '/var/lib/docker',
                                             'mode': 'rw'}},
            spec['volumes'])
        caps = set(spec['cap_add'])
        self.assertTrue(caps.issuperset(
            {'SYS_ADMIN', 'NET_ADMIN', 'MKNOD', 'SYS_PTRACE'}))
        # not in this host's bounding set
        self.assertNotIn('SYS_RESOURCE', caps)
        # host-wide: never given, whatever the bounding set holds
        self.assertFalse({'SYS_MODULE', 'SYS_TIME', 'SYS_BOOT', 'SYS_RAWIO',
                          'MAC_ADMIN', 'BPF', 'PERFMON'} & caps)
        # the limits are the flavor's, as for any server
        for key in ('mem_limit', 'memswap_limit', 'nano_cpus', 'pids_limit',
                    'network_mode', 'labels', 'image'):
            self.assertEqual(ordinary[key], spec[key], key)

    def test_host_without_the_engine_capabilities_refuses(self):
        # NET_ADMIN (bit 12) cleared
        self.driver._host_capabilities = host_capabilities(
            self.tmp, '000001fffeffefff')
        e = self.assertRaises(nested_engine.NestedEngineRefused,
                              self.driver._create_kwargs, instance(),
                              FakeImage(), [], nested=True)
        self.assertIn('NET_ADMIN', str(e))


class TestSpawnRefusal(DriverTestCase):

    def test_refused_before_the_image_is_fetched(self):
        cache = self.useFixture(fixtures.MockPatchObject(
            self.driver, '_image_cache')).mock
        self.assertRaises(
            nested_engine.NestedEngineRefused, self.driver.spawn, None,
            instance({nested_engine.EXTRA_SPEC: 'true'}), None, [], None, {})
        cache.ensure.assert_not_called()
        self.assertEqual({}, self.driver._client.volumes.created)


class TestTrait(DriverTestCase):

    def traits(self, allowed):
        self.conf.config(group='docker', allow_nested_engines=allowed)
        self.useFixture(fixtures.MockPatchObject(
            self.driver, '_host_totals', return_value={
                'vcpus': 2, 'memory_mb': 4096, 'local_gb': 10,
                'disk_free_gb': 5}))
        tree = provider_tree.ProviderTree()
        tree.new_root('unit-host', 'c0ffee00-0000-0000-0000-000000000001')
        tree.add_traits('unit-host', 'COMPUTE_NET_ATTACH_INTERFACE',
                        nested_engine.TRAIT)
        self.driver.update_provider_tree(tree, 'unit-host')
        return tree.data('unit-host').traits

    def test_reported_only_where_allowed(self):
        self.assertIn(nested_engine.TRAIT, self.traits(True))
        traits = self.traits(False)
        self.assertNotIn(nested_engine.TRAIT, traits)
        self.assertIn('COMPUTE_NET_ATTACH_INTERFACE', traits)


class TestVolume(DriverTestCase):

    def test_created_once_and_removed_with_the_server(self):
        volumes = self.driver._client.volumes
        labels = docker_client.labels('unit-host', 'node-uuid', UUID)
        nested_engine.create_volume(self.driver._client, UUID, labels)
        nested_engine.create_volume(self.driver._client, UUID, {})
        self.assertEqual({'magnumlite-%s-docker' % UUID: labels},
                         volumes.created)
        self.useFixture(fixtures.MockPatchObject(
            self.driver, '_container', return_value=None))
        self.useFixture(fixtures.MockPatchObject(self.driver, '_unplug_all'))
        self.driver.destroy(None, instance(), [], destroy_disks=False)
        self.assertEqual(1, len(volumes.created))
        self.driver.destroy(None, instance(), [])
        self.assertEqual({}, volumes.created)
        # idempotent: a second delete finds nothing to remove
        self.driver.destroy(None, instance(), [])
