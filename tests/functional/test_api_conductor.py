"""magnumlite-api and magnumlite-conductor as real processes over RabbitMQ.

Needs a RabbitMQ broker at $MAGNUMLITE_TEST_TRANSPORT_URL (default
rabbit://guest:guest@127.0.0.1:5672/); fails, rather than skips, without
one. Each run uses its own conductor topic and host name, so it never
talks to another conductor on the same broker.
"""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import urllib.parse
import uuid

import fixtures
from oslo_config import fixture as config_fixture
import oslo_messaging as messaging
from oslo_messaging import conffixture
import requests
import testtools
from testtools import content

from magnumlite.common import context
from magnumlite.common import rpc
from magnumlite.conductor import rpcapi
from magnumlite.conf import CONF
from tests.waiting import wait_until

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
TRANSPORT_URL = os.environ.get('MAGNUMLITE_TEST_TRANSPORT_URL',
                               'rabbit://guest:guest@127.0.0.1:5672/')
REPORT_INTERVAL = 1
SERVICE_DOWN_TIME = 3
# Bounds on waiting for something that should happen; never a fixed sleep.
START_TIMEOUT = 60
DOWN_TIMEOUT = SERVICE_DOWN_TIME + 15


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def check_broker_reachable(url):
    parsed = urllib.parse.urlsplit(url)
    address = (parsed.hostname or '127.0.0.1', parsed.port or 5672)
    try:
        socket.create_connection(address, timeout=5).close()
    except OSError as exc:
        raise AssertionError(
            'RabbitMQ is not reachable at %s:%s (%s). These tests need a '
            'broker: start one or set MAGNUMLITE_TEST_TRANSPORT_URL.'
            % (address[0], address[1], exc))


class ServicesTestCase(testtools.TestCase):
    """magnumlite-api (noauth) and magnumlite-conductor as processes.

    Each test has its own conductor topic; with START_CONDUCTOR false,
    no conductor listens on it.
    """

    START_CONDUCTOR = True
    # More configuration, in the config file's syntax.
    EXTRA_CONFIG = ''

    def setUp(self):
        super().setUp()
        check_broker_reachable(TRANSPORT_URL)
        run_id = uuid.uuid4().hex[:12]
        self.host = 'functional-%s' % run_id
        self.topic = 'magnumlite-conductor-test-%s' % run_id
        self.port = free_port()
        self.base_url = 'http://127.0.0.1:%d' % self.port
        self.tempdir = self.useFixture(fixtures.TempDir()).path
        self.config_file = os.path.join(self.tempdir, 'magnumlite.conf')
        with open(self.config_file, 'w') as f:
            f.write(textwrap.dedent("""\
                [DEFAULT]
                host = %(host)s
                state_path = %(tempdir)s
                transport_url = %(transport_url)s
                debug = true
                [api]
                host = 127.0.0.1
                port = %(port)d
                auth_strategy = noauth
                api_paste_config = %(paste)s
                [conductor]
                topic = %(topic)s
                report_interval = %(report_interval)d
                service_down_time = %(service_down_time)d
                """) % {
                    'host': self.host, 'tempdir': self.tempdir,
                    'transport_url': TRANSPORT_URL, 'port': self.port,
                    'paste': os.path.join(REPO, 'etc', 'magnumlite',
                                          'api-paste.ini'),
                    'topic': self.topic, 'report_interval': REPORT_INTERVAL,
                    'service_down_time': SERVICE_DOWN_TIME})
            f.write(self.EXTRA_CONFIG)

        self._run_to_completion('magnumlite.cmd.db_manage', 'upgrade')
        if self.START_CONDUCTOR:
            self.conductor = self._start('magnumlite.cmd.conductor')
        self.api = self._start('magnumlite.cmd.api')
        wait_until(self._api_answers, 'magnumlite-api', START_TIMEOUT)

    # Processes

    def _command(self, module, *args):
        env = dict(os.environ, PYTHONPATH=REPO)
        return ([sys.executable, '-m', module,
                 '--config-file', self.config_file] + list(args)), env

    def _run_to_completion(self, module, *args):
        command, env = self._command(module, *args)
        result = subprocess.run(command, env=env, capture_output=True,
                                text=True, timeout=START_TIMEOUT)
        self.addDetail(module, content.text_content(
            result.stdout + result.stderr))
        self.assertEqual(0, result.returncode, '%s failed' % module)

    def _start(self, module, *args, name=None):
        command, env = self._command(module, *args)
        name = name or module
        log_path = os.path.join(self.tempdir, name + '.log')
        log = open(log_path, 'w')
        process = subprocess.Popen(command, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        self.addCleanup(self._stop, process, name, log, log_path)
        return process

    def _stop(self, process, name, log, log_path):
        """Stop process if still running, and attach its log."""
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()
        with open(log_path) as f:
            self.addDetail(name + '.log', content.text_content(f.read()))

    # Clients

    def _api_answers(self):
        try:
            return requests.get(self.base_url + '/', timeout=5).ok
        except requests.ConnectionError:
            self.assertIsNone(self.api.poll(), 'magnumlite-api exited')
            return False

    def _get(self, path, **kwargs):
        return requests.get(self.base_url + path, timeout=10, **kwargs)

    def _our_conductor(self):
        resp = self._get('/v1/mservices')
        self.assertEqual(200, resp.status_code, resp.text)
        ours = [m for m in resp.json()['mservices']
                if m['host'] == self.host]
        return ours[0] if ours else None

    def _ping(self):
        """The conductor's answer to an RPC ping, sent from this process."""
        conf = self.useFixture(config_fixture.Config(CONF))
        self.useFixture(conffixture.ConfFixture(CONF))
        conf.config(transport_url=TRANSPORT_URL)
        self.addCleanup(rpc.cleanup)
        conductor_api = rpcapi.ConductorAPI(topic=self.topic)

        def ping():
            # Until the conductor has declared its queue, a message to the
            # topic has nowhere to go and the call times out.
            self.assertIsNone(self.conductor.poll(),
                              'magnumlite-conductor exited')
            try:
                return conductor_api.ping(context.get_admin_context(),
                                          timeout=5)
            except messaging.MessagingTimeout:
                return None

        return wait_until(ping, 'an answer to ping', START_TIMEOUT)


class TestAPIAndConductor(ServicesTestCase):

    def test_conductor_answers_ping_over_rabbitmq(self):
        self.assertEqual({'host': self.host,
                          'binary': 'magnumlite-conductor'}, self._ping())

    def test_a_queued_create_of_a_bay_too_big_is_dropped(self):
        # A bay recorded, and its create cast, before the API checked
        # counts: the one that once made a conductor allocate 21 GB.
        bay = str(uuid.uuid4())
        with sqlite3.connect(os.path.join(self.tempdir,
                                          'magnumlite.sqlite')) as db:
            db.execute(
                "INSERT INTO clusters (uuid, name, project_id, status, "
                "master_count, node_count, create_timeout, labels, "
                "health_status_reason, floating_ip_enabled, "
                "master_lb_enabled, cluster_template_id, created_at) "
                "VALUES (?, 'huge', 'p1', 'CREATE_IN_PROGRESS', 1, ?, 60, "
                "'{}', '{}', 1, 0, 'gone', CURRENT_TIMESTAMP)",
                (bay, 7735901969592780800))
        self._ping()  # the conductor listens
        rpcapi.ConductorAPI(topic=self.topic).cluster_create(
            context.RequestContext(project_id='p1', user_id='u1',
                                   is_admin=False), bay)

        def failed():
            shown = self._get('/v1/clusters/' + bay,
                              headers={'X-Project-Id': 'p1'}).json()
            return shown if shown['status'] == 'CREATE_FAILED' else None

        shown = wait_until(failed, 'the bay to fail', START_TIMEOUT)
        self.assertIn('more nodes than a cluster may have, 100',
                      shown['status_reason'])
        self.assertIsNone(self.conductor.poll(), 'the conductor died')

    def test_conductor_is_listed_up_then_down_after_it_stops(self):
        first = wait_until(self._our_conductor,
                           'the conductor in /v1/mservices',
                           START_TIMEOUT)
        # under the name of the Magnum service it stands in for
        self.assertEqual('magnum-conductor', first['binary'])
        self.assertEqual('up', first['state'])
        self.assertFalse(first['disabled'])

        def report_count():
            return self._our_conductor()['report_count']

        wait_until(lambda: report_count() > first['report_count'],
                   'report_count to grow',
                   START_TIMEOUT)
        self.assertEqual('up', self._our_conductor()['state'])

        self.conductor.send_signal(signal.SIGTERM)
        self.assertEqual(0, self.conductor.wait(timeout=30),
                         'the conductor did not stop cleanly on SIGTERM')
        last_count = report_count()
        wait_until(lambda: self._our_conductor()['state'] == 'down',
                   'the stopped conductor to be "down"',
                   DOWN_TIMEOUT)
        self.assertEqual(last_count, report_count())

    def test_workers_start_and_stop_together(self):
        workers_conf = os.path.join(self.tempdir, 'workers.conf')
        with open(workers_conf, 'w') as f:
            f.write('[conductor]\nworkers = 2\n')
        parent = self._start('magnumlite.cmd.conductor',
                             '--config-file', workers_conf,
                             name='conductor-with-workers')

        def workers():
            self.assertIsNone(parent.poll(), 'the conductor exited')
            path = '/proc/%d/task/%d/children' % (parent.pid, parent.pid)
            with open(path) as f:
                return len(f.read().split()) == 2

        wait_until(workers, 'two conductor workers', START_TIMEOUT)
        parent.send_signal(signal.SIGTERM)
        # The parent exits only once it has reaped every worker.
        self.assertEqual(0, parent.wait(timeout=30),
                         'the conductor did not stop cleanly on SIGTERM')

    def test_version_document(self):
        resp = self._get('/')
        self.assertEqual(200, resp.status_code)
        [version] = resp.json()['versions']
        self.assertEqual(
            {'id': 'v1', 'status': 'CURRENT', 'min_version': '1.1',
             'max_version': '1.13',
             'links': [{'href': self.base_url + '/v1/', 'rel': 'self'}]},
            version)

    def test_unknown_path_gets_magnum_error_document(self):
        resp = self._get('/v1/nosuchthing')
        self.assertEqual(404, resp.status_code)
        [error] = resp.json()['errors']
        self.assertEqual(404, error['status'])
        self.assertEqual('Not Found', error['title'])
        self.assertEqual(resp.headers['x-openstack-request-id'],
                         error['request_id'])
