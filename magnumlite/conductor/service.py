"""The conductor process: RPC server, heartbeat, cluster sync, workers."""

import os
import signal
import threading
import time

from oslo_log import log as logging
import oslo_messaging as messaging

from magnumlite.common import context
from magnumlite.common import rpc
from magnumlite.conductor import manager
from magnumlite.conductor import nova_notifications
from magnumlite.conf import CONF
from magnumlite.db import api as db_api

LOG = logging.getLogger(__name__)

_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


class ConductorService:
    """Serves the conductor RPC API and heartbeats between start and stop."""

    def __init__(self, host=None, topic=None, worker=0):
        self.host = host or CONF.host
        self.topic = topic or CONF.conductor.topic
        # Who holds a cluster's claim: each worker process of each host is
        # its own claimant, so two workers never drive one cluster; the
        # same worker restarted takes its claims back at once.
        self.claimant = '%s/%d' % (self.host, worker)
        self._stopping = threading.Event()
        self._rpc_server = None
        self._heartbeat_thread = None
        self._manager = None
        self._sync_thread = None
        self._notification_listener = None

    def start(self):
        # Report before serving, so the service is listed as soon as it
        # answers, and so a broken database stops the start-up right here.
        self._heartbeat()
        target = messaging.Target(topic=self.topic, server=self.host)
        self._manager = manager.ConductorManager(self.host, self.claimant)
        self._rpc_server = rpc.get_server(target, [self._manager])
        self._rpc_server.start()
        if CONF.conductor.nova_notifications:
            self._notification_listener = nova_notifications.get_listener(
                self._manager)
            self._notification_listener.start()
        self._heartbeat_thread = threading.Thread(
            target=self._heartbeat_loop, name='heartbeat', daemon=True)
        self._heartbeat_thread.start()
        self._sync_thread = threading.Thread(
            target=self._sync_loop, name='sync', daemon=True)
        self._sync_thread.start()
        LOG.info('%s started on host %s, topic %s',
                 manager.BINARY, self.host, self.topic)

    def stop(self):
        """Stop taking requests, finish those under way, stop syncing."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._rpc_server.stop()
        self._rpc_server.wait()
        if self._notification_listener is not None:
            self._notification_listener.stop()
            self._notification_listener.wait()
        self._manager.work_to_do.set()
        self._sync_thread.join()
        self._heartbeat_thread.join()
        rpc.cleanup()
        LOG.info('%s on host %s stopped', manager.BINARY, self.host)

    def _heartbeat(self):
        db_api.mservice_heartbeat(context.get_admin_context(),
                                  self.host, manager.BINARY)

    def _heartbeat_loop(self):
        while not self._stopping.wait(CONF.conductor.report_interval):
            try:
                self._heartbeat()
                self._manager.hosts_went_down()
            except Exception:
                # A database hiccup must not end the heartbeat: the service
                # shows "down" while it lasts and "up" again afterwards.
                LOG.exception('Heartbeat of %s failed', manager.BINARY)

    def _sync_loop(self):
        # The first pass runs at once: clusters a previous conductor left
        # in progress are picked up again as soon as this one starts.
        health_due = time.monotonic()
        while not self._stopping.is_set():
            coe_waiting = False
            try:
                coe_waiting = self._manager.sync_clusters()
            except Exception:
                # As for the heartbeat: the next pass tries again.
                LOG.exception('Sync of the clusters in progress failed')
            interval = CONF.conductor.health_interval
            every_cluster = interval and time.monotonic() >= health_due
            if every_cluster:
                health_due = time.monotonic() + interval
            try:
                self._manager.check_clusters_health(only_due=not every_cluster)
            except Exception:
                LOG.exception('Health check of the clusters failed')
            # Nova's notifications and the API's casts set work_to_do;
            # a COE coming up is polled for.
            self._manager.work_to_do.wait(
                CONF.conductor.coe_poll_interval if coe_waiting
                else CONF.conductor.sync_interval)
            self._manager.work_to_do.clear()


def _serve(worker=0):
    service = ConductorService(worker=worker)
    service.start()
    signum = signal.sigwait(_STOP_SIGNALS)
    LOG.info('Caught %s, stopping', signal.Signals(signum).name)
    service.stop()


def _fork_worker(worker):
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        _serve(worker)
        status = 0
    except Exception:
        LOG.exception('Conductor worker failed')
    finally:
        os._exit(status)


def launch(workers):
    """Run the conductor until SIGTERM/SIGINT, in workers processes.

    The stop signals are blocked before any thread or child exists, so
    they stay pending (in every thread) until sigwait() takes them: no
    Python signal handler runs in the middle of library code.
    """
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS | {signal.SIGCHLD})
    if workers == 1:
        _serve()
        return

    # Nothing has opened a database or broker connection yet, so the
    # children share none.
    children = {_fork_worker(worker) for worker in range(workers)}
    while children:
        signum = signal.sigwait(_STOP_SIGNALS | {signal.SIGCHLD})
        if signum == signal.SIGCHLD:
            while children:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if not pid:
                    break
                children.discard(pid)
                LOG.info('Conductor worker %d exited (status %d)',
                         pid, os.waitstatus_to_exitcode(status))
        else:
            for pid in children:
                os.kill(pid, signal.SIGTERM)
