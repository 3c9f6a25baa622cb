"""The engine's event stream -> Nova instance lifecycle events.

What libvirt's driver does with domain events, for containers: a container
that stops, starts, pauses or resumes on its own (its process exits, or the
engine restarted and took it down) is reported to the compute manager at
once as a ``LifecycleEvent``, and the manager syncs the server's power
state (an ACTIVE server whose container died becomes SHUTOFF) instead of
learning it at its next power-state sync, up to ten minutes later.

Events of actions Nova itself asked for (stop, pause, delete, reboot)
arrive as well; the manager ignores those while the server has a task
state, as it does libvirt's.

One native thread per compute host reads the stream (nova-compute runs in
native threading mode, where libvirt's events are dispatched from their
reader thread too). When the stream ends (the engine restarted, or the
socket broke) it reconnects with a bounded backoff and then reports the
current state of every container, so what changed while it was away is
not lost.
"""

import threading

from nova.virt import event as virtevent
from oslo_log import log as logging
import requests

from magnumlite.common import docker_engine
from nova_driver import docker_client

LOG = logging.getLogger(__name__)

# Engine container events (``docker events``) -> lifecycle transitions.
# 'die' is every end of the process: its own exit, ``docker stop``/``kill``,
# the engine shutting down.
EVENT_TO_TRANSITION = {
    'start': virtevent.EVENT_LIFECYCLE_STARTED,
    'die': virtevent.EVENT_LIFECYCLE_STOPPED,
    'pause': virtevent.EVENT_LIFECYCLE_PAUSED,
    'unpause': virtevent.EVENT_LIFECYCLE_RESUMED,
}

# A container's current ``State.Status`` -> the transition that reports it,
# for the resync after a reconnect. Transitional states report nothing.
STATUS_TO_TRANSITION = {
    'running': virtevent.EVENT_LIFECYCLE_STARTED,
    'paused': virtevent.EVENT_LIFECYCLE_PAUSED,
    'exited': virtevent.EVENT_LIFECYCLE_STOPPED,
    'dead': virtevent.EVENT_LIFECYCLE_STOPPED,
}

# Seconds between reconnect attempts: doubling from the first to the last.
RECONNECT_DELAYS = (0.5, 1, 2, 4, 8)

STREAM_ERRORS = (docker_engine.DockerException,
                 requests.exceptions.RequestException, OSError)


def lifecycle_event(engine_event):
    """A decoded engine event -> LifecycleEvent, or None if not ours."""
    action = engine_event.get('Action') or engine_event.get('status')
    transition = EVENT_TO_TRANSITION.get(action)
    attributes = (engine_event.get('Actor') or {}).get('Attributes') or {}
    uuid = attributes.get(docker_client.LABEL_INSTANCE)
    if transition is None or not uuid:
        return None
    return virtevent.LifecycleEvent(uuid, transition)


class EngineEventWatcher(object):
    """Reads one compute node's container events and emits them to Nova.

    ``connect`` returns a new docker client (the stream has a connection of
    its own, never shared with the driver's calls); ``emit`` is the
    driver's ``emit_event``.
    """

    def __init__(self, connect, node, emit):
        self._connect = connect
        self._node = node
        self._emit = emit
        self._stopped = threading.Event()
        self._stream = None
        self._thread = None

    def start(self):
        self._thread = threading.Thread(
            target=self._run, name='docker-lifecycle-events', daemon=True)
        self._thread.start()

    def stop(self):
        self._stopped.set()
        stream = self._stream
        if stream is not None:
            stream.close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self):
        failures = 0
        resync = False
        while not self._stopped.is_set():
            try:
                self._watch(resync)
                failures = 0
            except STREAM_ERRORS as e:
                if self._stopped.is_set():
                    return
                LOG.warning('Docker event stream lost: %s; reconnecting', e)
            except Exception:
                # A bug here must not end lifecycle reporting for good.
                LOG.exception('Docker event stream reader failed')
            resync = True
            delay = RECONNECT_DELAYS[min(failures,
                                         len(RECONNECT_DELAYS) - 1)]
            failures += 1
            self._stopped.wait(delay)

    def _watch(self, resync):
        client = self._connect()
        try:
            filters = docker_client.node_filter(self._node)
            filters.update(type='container',
                           event=sorted(EVENT_TO_TRANSITION))
            # Subscribe first, then read the current state: nothing that
            # happens in between is missed.
            self._stream = client.events(decode=True, filters=filters)
            if resync:
                self._report_current_state(client)
            for engine_event in self._stream:
                event = lifecycle_event(engine_event)
                if event is not None:
                    self._emit(event)
        finally:
            self._stream = None
            client.close()

    def _report_current_state(self, client):
        for container in docker_client.list_containers(client, self._node):
            transition = STATUS_TO_TRANSITION.get(container.status)
            if transition is not None:
                self._emit(virtevent.LifecycleEvent(
                    container.labels[docker_client.LABEL_INSTANCE],
                    transition))
        LOG.info('Docker event stream reconnected; current container '
                 'states reported')
