"""Base test case and fixtures for the fast, service-free unit tests."""

import datetime
import os
import time

from cryptography import fernet
import fixtures
from oslo_config import fixture as config_fixture
from oslo_messaging import conffixture
from oslo_policy import opts as policy_opts
import testtools
import webob

from magnumlite.api import app
from magnumlite.common import clients
from magnumlite.common import policy
from magnumlite.common import rpc
from magnumlite.conf import CONF
from magnumlite.db import api as db_api
from magnumlite.db import migration


def wait_until(condition, what, timeout=5):
    """Poll condition() until it is true; AssertionError after timeout s.

    For fakes that block one request until another one has been made:
    made one after the other, the two never meet and the wait fails.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError('waited %ss for %s' % (timeout, what))
        time.sleep(0.01)


# A Fernet key, made once: Fernet.generate_key() is random.
X509_ENCRYPTION_KEY = fernet.Fernet.generate_key().decode()


class Database(fixtures.Fixture):
    """A migrated SQLite database in a temporary file, used by db_api."""

    def __init__(self, conf_fixture):
        super().__init__()
        self.conf_fixture = conf_fixture

    def _setUp(self):
        path = self.useFixture(fixtures.TempDir()).path
        self.conf_fixture.config(
            group='database',
            connection='sqlite:///' + os.path.join(path, 'test.sqlite'))
        # A new manager reads the overridden connection when it starts.
        manager = db_api.transaction_context()
        self.addCleanup(db_api.context_manager.patch_factory(manager))
        self.addCleanup(manager.dispose_pool)
        migration.upgrade('head')


class FakeBus(fixtures.Fixture):
    """oslo.messaging's in-process fake driver as magnumlite's bus.

    For the real conductor service in a test: host node-1, the conductor on
    topic, conductor_opts (e.g. sync_interval) in its option group.
    """

    def __init__(self, conf_fixture, topic, **conductor_opts):
        super().__init__()
        self.conf_fixture = conf_fixture
        self.topic = topic
        self.conductor_opts = conductor_opts

    def _setUp(self):
        self.useFixture(conffixture.ConfFixture(self.conf_fixture.conf))
        self.conf_fixture.config(transport_url='fake:/', host='node-1')
        self.conf_fixture.config(group='conductor', topic=self.topic,
                                 **self.conductor_opts)
        self.addCleanup(rpc.cleanup)


class Clock(fixtures.Fixture):
    """Stops timeutils.utcnow() at now; only advance() moves it."""

    def __init__(self, now):
        super().__init__()
        self.now = now

    def _setUp(self):
        self.useFixture(fixtures.MockPatch(
            'oslo_utils.timeutils.utcnow', side_effect=self._utcnow))

    def _utcnow(self, with_timezone=False):
        if with_timezone:
            return self.now.replace(tzinfo=datetime.timezone.utc)
        return self.now

    def advance(self, seconds):
        self.now += datetime.timedelta(seconds=seconds)


class TestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        # A hung test fails instead of hanging the run.
        self.useFixture(fixtures.Timeout(
            int(os.environ.get('OS_TEST_TIMEOUT', 60)), gentle=True))
        self.conf_fixture = self.useFixture(config_fixture.Config(CONF))
        self.conf_fixture.conf([], default_config_files=[])
        # No policy file is read, and no enforcer outlives its test.
        policy_opts.set_defaults(CONF)  # registers [oslo_policy], changes none
        self.conf_fixture.config(group='oslo_policy',
                                 policy_file='/nonexistent/policy.yaml')
        self.addCleanup(policy.reset)
        # The conductor encrypts bay CA keys with it.
        self.conf_fixture.config(group='x509',
                                 encryption_keys=[X509_ENCRYPTION_KEY])
        self.logger = self.useFixture(fixtures.FakeLogger(level='DEBUG'))
        # Sessions and the bus transport are made from the configuration:
        # none outlives its test (an API request makes the transport from
        # the default configuration, and a later FakeBus test of the same
        # worker got that RabbitMQ one instead of the fake).
        self.addCleanup(clients.trustee_session.cache_clear)
        self.addCleanup(clients.trustee_token_session.cache_clear)
        self.addCleanup(clients.trust_session.cache_clear)
        self.addCleanup(rpc.cleanup)


class APITestCase(TestCase):
    """Requests to the magnumlite app as the end of the paste pipeline."""

    def setUp(self):
        super().setUp()
        self.app = app.app_factory({})

    def request(self, path, method='GET', roles='admin', project_id='p1',
                headers=None, base_url=None):
        req = webob.Request.blank(path, method=method, base_url=base_url)
        req.headers['X-Roles'] = roles
        req.headers['X-Project-Id'] = project_id
        req.headers['X-User-Id'] = 'u1'
        req.headers.update(headers or {})
        return req.get_response(self.app)
