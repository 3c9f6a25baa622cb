"""The engine event reader: translation, reconnect and resync.

The engine is a fake here (its event stream is a list, or an error); the
functional tests read a real engine's stream, across its restart.
"""

import tests.unit.nova_driver  # noqa: F401,I100  (nova's own CONF first)

import threading
from unittest import mock

from nova.virt import event as virtevent
import requests
import testtools

from magnumlite.common import docker_engine
from nova_driver import docker_client
from nova_driver import lifecycle

NODE = 'node-uuid'
UUID = '11111111-2222-4333-8444-555555555555'


def engine_event(action, uuid=UUID):
    return {'Type': 'container', 'Action': action, 'status': action,
            'Actor': {'ID': 'c1', 'Attributes': {
                docker_client.LABEL_INSTANCE: uuid,
                docker_client.LABEL_NODE: NODE}}}


class Stream(list):
    closed = False

    def close(self):
        self.closed = True


class FakeEngine(object):
    """Each connect() serves the next stream: a list of events or an error."""

    def __init__(self, streams, containers=()):
        self.streams = list(streams)
        self.containers = list(containers)
        self.filters = []

    def connect(self):
        if not self.streams:
            raise docker_engine.DockerException('engine is gone')
        stream = self.streams.pop(0)
        if isinstance(stream, Exception):
            raise stream
        client = mock.Mock()

        def events(decode, filters):
            self.filters.append(filters)
            return Stream(stream)
        client.events.side_effect = events
        client.containers.list.return_value = self.containers
        return client


class TestTranslation(testtools.TestCase):

    def test_engine_actions_map_to_lifecycle_transitions(self):
        for action, transition in (
                ('start', virtevent.EVENT_LIFECYCLE_STARTED),
                ('die', virtevent.EVENT_LIFECYCLE_STOPPED),
                ('pause', virtevent.EVENT_LIFECYCLE_PAUSED),
                ('unpause', virtevent.EVENT_LIFECYCLE_RESUMED)):
            event = lifecycle.lifecycle_event(engine_event(action))
            self.assertEqual((UUID, transition),
                             (event.get_instance_uuid(),
                              event.get_transition()), action)

    def test_other_events_and_foreign_containers_are_ignored(self):
        self.assertIsNone(lifecycle.lifecycle_event(engine_event('create')))
        foreign = engine_event('die')
        del foreign['Actor']['Attributes'][docker_client.LABEL_INSTANCE]
        self.assertIsNone(lifecycle.lifecycle_event(foreign))
        self.assertIsNone(lifecycle.lifecycle_event({}))


class TestWatcher(testtools.TestCase):

    def run_watcher(self, engine, want):
        """Run a watcher until it emitted want events; return them."""
        emitted = []
        done = threading.Event()

        def emit(event):
            emitted.append((event.get_instance_uuid(), event.get_transition()))
            if len(emitted) >= want:
                done.set()
        self.fast_reconnects()
        watcher = lifecycle.EngineEventWatcher(engine.connect, NODE, emit)
        watcher.start()
        self.assertTrue(done.wait(10), 'emitted only %s' % emitted)
        watcher.stop()
        return emitted

    def fast_reconnects(self):
        patcher = mock.patch.object(lifecycle, 'RECONNECT_DELAYS', (0.01,))
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_events_of_this_node_are_emitted_in_order(self):
        engine = FakeEngine([[engine_event('start'), engine_event('create'),
                              engine_event('die')]])
        emitted = self.run_watcher(engine, 2)
        self.assertEqual([(UUID, virtevent.EVENT_LIFECYCLE_STARTED),
                          (UUID, virtevent.EVENT_LIFECYCLE_STOPPED)], emitted)
        # the engine filters by this node's label and the four actions
        self.assertEqual({'label': ['%s=%s' % (docker_client.LABEL_NODE,
                                               NODE)],
                          'type': 'container',
                          'event': ['die', 'pause', 'start', 'unpause']},
                         engine.filters[0])

    def test_after_a_lost_stream_the_current_state_is_reported(self):
        other = '99999999-2222-4333-8444-555555555555'
        containers = [
            mock.Mock(status='exited',
                      labels={docker_client.LABEL_INSTANCE: UUID}),
            mock.Mock(status='running',
                      labels={docker_client.LABEL_INSTANCE: other}),
            mock.Mock(status='removing',
                      labels={docker_client.LABEL_INSTANCE: 'x'})]
        engine = FakeEngine(
            [[engine_event('start')],                     # then it ends
             requests.exceptions.ConnectionError('refused'),   # restarting
             [engine_event('pause', other)]],
            containers)
        emitted = self.run_watcher(engine, 4)
        self.assertEqual([(UUID, virtevent.EVENT_LIFECYCLE_STARTED),
                          # resync on the reconnect, transitional skipped
                          (UUID, virtevent.EVENT_LIFECYCLE_STOPPED),
                          (other, virtevent.EVENT_LIFECYCLE_STARTED),
                          # and the new stream
                          (other, virtevent.EVENT_LIFECYCLE_PAUSED)], emitted)

    def test_a_failing_listener_does_not_end_the_reader(self):
        engine = FakeEngine([[engine_event('start')],
                             [engine_event('die')]])
        calls = []
        done = threading.Event()

        def emit(event):
            calls.append(event.get_transition())
            if len(calls) == 1:
                raise RuntimeError('listener bug')
            done.set()
        self.fast_reconnects()
        watcher = lifecycle.EngineEventWatcher(engine.connect, NODE, emit)
        watcher.start()
        self.assertTrue(done.wait(10), calls)
        watcher.stop()
        self.assertEqual(virtevent.EVENT_LIFECYCLE_STOPPED, calls[-1])
