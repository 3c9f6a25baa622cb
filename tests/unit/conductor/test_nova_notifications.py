"""Nova's notifications reach the conductor and move the cluster they name.

The real conductor service over oslo.messaging's in-process fake driver;
the notifications are sent with oslo.messaging's Notifier, as Nova sends
its versioned ones. Nova itself is the all-in-one's, in the integration
tests.
"""

import time
import uuid

import fixtures
import oslo_messaging as messaging

from magnumlite.common import context
from magnumlite.conductor import manager
from magnumlite.conductor import nova_notifications
from magnumlite.conductor import service
from magnumlite.db import api as db_api
from tests.unit import base
from tests import waiting


SERVER_0 = '00000000-0000-4000-8000-000000000000'
SERVER_1 = '11111111-1111-4111-8111-111111111111'
OTHER_SERVER = '99999999-9999-4999-8999-999999999999'


def payload(server_id):
    """What Nova's versioned instance notifications carry (the part read)."""
    return {'nova_object.name': 'InstanceActionPayload',
            'nova_object.namespace': 'nova',
            'nova_object.version': '1.8',
            'nova_object.data': {'uuid': server_id, 'state': 'active'}}


def update(server_id, old_state, state):
    """An instance.update's payload, with its state_update as Nova sends it."""
    message = payload(server_id)
    message['nova_object.name'] = 'InstanceUpdatePayload'
    message['nova_object.data']['state_update'] = {
        'nova_object.name': 'InstanceStateUpdatePayload',
        'nova_object.namespace': 'nova',
        'nova_object.version': '1.0',
        'nova_object.data': {'old_state': old_state, 'state': state,
                             'old_task_state': 'scheduling',
                             'new_task_state': 'networking'}}
    return message


class TestServerId(base.TestCase):

    def test_instance_uuid_of_a_versioned_payload(self):
        self.assertEqual(SERVER_1, nova_notifications.server_id(
            payload(SERVER_1)))
        for junk in (None, 'x', {}, {'nova_object.data': 'x'},
                     payload('s1'), payload(2 ** 70), payload(None),
                     payload('a' * 10 ** 6), payload({'deep': [[[]]]})):
            self.assertIsNone(nova_notifications.server_id(junk),
                              str(junk)[:80])


class TestChangesNothing(base.TestCase):

    def test_only_an_update_keeping_the_vm_state(self):
        self.assertTrue(nova_notifications.changes_nothing(
            'instance.update', update(SERVER_1, 'building', 'building')))
        self.assertFalse(nova_notifications.changes_nothing(
            'instance.update', update(SERVER_1, 'building', 'active')))
        self.assertFalse(nova_notifications.changes_nothing(
            'instance.delete.end', update(SERVER_1, 'active', 'active')))

    def test_an_update_of_another_shape_counts(self):
        for state_update in (None, 'x', {}, {'nova_object.data': 'x'},
                             {'nova_object.data': {'state': 'active'}}):
            message = payload(SERVER_1)
            message['nova_object.data']['state_update'] = state_update
            self.assertFalse(nova_notifications.changes_nothing(
                'instance.update', message), state_update)
        self.assertFalse(nova_notifications.changes_nothing(
            'instance.update', payload(SERVER_1)))


class TestNovaNotifications(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(base.Database(self.conf_fixture))
        # Passes only when asked for: the periodic one is far away.
        self.useFixture(base.FakeBus(self.conf_fixture, 'test-topic',
                                     sync_interval=600, health_interval=0))
        self.admin = context.get_admin_context()
        self.passes = self.useFixture(fixtures.MockPatchObject(
            manager.ConductorManager, 'sync_clusters',
            return_value=False)).mock
        self.checks = self.useFixture(fixtures.MockPatch(
            'magnumlite.conductor.clusters.check_health')).mock
        # One fake bus for the conductor's listener and "Nova": the fake
        # driver's exchanges live in its transport. Nova's notifications go
        # to its exchange, the transport's default one here.
        self.conf_fixture.config(control_exchange='nova')
        transport = messaging.get_notification_transport(
            self.conf_fixture.conf)
        self.addCleanup(transport.cleanup)
        self.useFixture(fixtures.MockPatch(
            'oslo_messaging.get_notification_transport',
            return_value=transport))
        conductor = service.ConductorService()
        conductor.start()
        self.addCleanup(conductor.stop)
        self.wait_for(lambda: self.passes.call_count == 1)   # the first
        self.nova = messaging.Notifier(
            transport, publisher_id='nova-compute:docker',
            driver='messagingv2', topics=['versioned_notifications'])

    def wait_for(self, predicate):
        waiting.wait_until(predicate, 'the notification handled', timeout=10,
                           interval=0.05)

    def cluster(self, status, server_id):
        cluster = db_api.cluster_create(self.admin, {
            'name': 'b-%s' % uuid.uuid4().hex[:6], 'project_id': 'p1',
            'status': status, 'trust_id': 't1',
            'cluster_template_id': 'tpl'})
        db_api.node_create(self.admin, cluster.uuid, {
            'uuid': str(uuid.uuid4()), 'role': 'worker', 'name': 'n0',
            'server_id': server_id, 'status': 'BUILD', 'addresses': []})
        return cluster

    def test_a_built_server_starts_a_pass_for_its_cluster_in_progress(self):
        self.cluster('CREATE_IN_PROGRESS', SERVER_1)
        self.nova.info({}, 'instance.create.end', payload(SERVER_1))
        self.wait_for(lambda: self.passes.call_count == 2)

    def test_a_failed_build_starts_a_pass_too(self):
        self.cluster('CREATE_IN_PROGRESS', SERVER_1)
        self.nova.error({}, 'instance.create.error', payload(SERVER_1))
        self.wait_for(lambda: self.passes.call_count == 2)

    def test_a_changed_server_of_a_cluster_at_rest_gets_a_health_check(self):
        self.cluster('CREATE_COMPLETE', SERVER_0)
        at_rest = self.cluster('CREATE_COMPLETE', SERVER_1)
        self.nova.info({}, 'instance.update',
                       update(SERVER_1, 'active', 'stopped'))
        self.wait_for(lambda: self.checks.call_count == 1)
        self.assertEqual(at_rest.uuid, self.checks.call_args.args[0].uuid)

    def test_other_servers_and_events_start_nothing(self):
        self.cluster('CREATE_IN_PROGRESS', SERVER_1)
        self.nova.info({}, 'instance.create.end', payload(OTHER_SERVER))
        self.nova.info({}, 'instance.create.start', payload(SERVER_1))
        self.nova.info({}, 'instance.create.end', {'junk': True})
        # a save during the build: the vm state stays 'building'
        self.nova.info({}, 'instance.update',
                       update(SERVER_1, 'building', 'building'))
        # then one that does count: it is the only one acted on
        self.nova.info({}, 'instance.delete.end', payload(SERVER_1))
        self.wait_for(lambda: self.passes.call_count == 2)
        time.sleep(0.5)
        self.assertEqual(2, self.passes.call_count)

    def test_a_cluster_another_conductor_holds_is_left_to_it(self):
        cluster = self.cluster('CREATE_IN_PROGRESS', SERVER_1)
        db_api.cluster_claim(self.admin, cluster.uuid, 'node-2/0', 600)
        self.nova.info({}, 'instance.create.end', payload(SERVER_1))
        # the fanout reached this conductor, which is not the holder
        time.sleep(1)
        self.assertEqual(1, self.passes.call_count)
