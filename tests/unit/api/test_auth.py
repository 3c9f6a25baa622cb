import gc
import os

import webob

from magnumlite.api import app
from magnumlite.api import auth
from magnumlite.common import context
from tests.unit import base

PASTE_INI = os.path.join(os.path.dirname(__file__), '..', '..', '..',
                         'etc', 'magnumlite', 'api-paste.ini')
KEYSTONE = 'http://keystone.example/identity'


class AuthTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        # What auth_token sends clients to when it rejects their request.
        self.conf_fixture.config(group='keystone_authtoken',
                                 www_authenticate_uri=KEYSTONE)


class TestPastePipelines(AuthTestCase):

    def _load(self, auth_strategy):
        self.conf_fixture.config(group='api', auth_strategy=auth_strategy,
                                 api_paste_config=os.path.abspath(PASTE_INI))
        # load_app freezes what this process holds; the next tests' garbage
        # must stay collectable.
        self.addCleanup(gc.unfreeze)
        return app.load_app()

    def _get(self, application, path, **headers):
        return webob.Request.blank(path, headers=headers).get_response(
            application)

    def test_keystone_pipeline_requires_a_token(self):
        resp = self._get(self._load('keystone'), '/v1/mservices')
        self.assertEqual(401, resp.status_int)
        self.assertIn(KEYSTONE, resp.headers['WWW-Authenticate'])
        self.assertIn('x-openstack-request-id', resp.headers)

    def test_keystone_pipeline_serves_version_documents_without_token(self):
        application = self._load('keystone')
        for path in ('/', '/v1', '/v1/'):
            resp = self._get(application, path)
            self.assertEqual(200, resp.status_int, path)
            self.assertIn('x-openstack-request-id', resp.headers)

    def test_noauth_pipeline_makes_an_admin(self):
        self.useFixture(base.Database(self.conf_fixture))
        resp = self._get(self._load('noauth'), '/v1/mservices')
        self.assertEqual(200, resp.status_int)
        self.assertEqual({'mservices': []}, resp.json)

    def test_healthcheck_needs_no_token(self):
        for auth_strategy in ('keystone', 'noauth'):
            resp = self._get(self._load(auth_strategy), '/healthcheck')
            self.assertEqual(200, resp.status_int)
            self.assertEqual(b'OK', resp.body)

    def test_the_loaded_service_is_left_out_of_collections(self):
        gc.unfreeze()
        self._load('noauth')
        self.assertGreater(gc.get_freeze_count(), 0)

    def test_missing_paste_config_is_reported(self):
        self.conf_fixture.config(group='api',
                                 api_paste_config='/nonexistent/paste.ini')
        self.assertRaisesRegex(Exception, '/nonexistent/paste.ini',
                               app.load_app)


class _Recorder:
    """A WSGI app that keeps the environ of the last request."""

    def __call__(self, environ, start_response):
        self.environ = environ
        return webob.Response()(environ, start_response)


class TestAuthMiddleware(AuthTestCase):

    def test_public_routes_are_marked_and_passed_through(self):
        recorder = _Recorder()
        middleware = auth.AuthTokenMiddleware(
            recorder, {'oslo_config_config': self.conf_fixture.conf})
        for path, public in [('/', True), ('/v1', True), ('/v1/', True),
                             ('/v1/mservices', False), ('/v12', False)]:
            recorder.environ = {}
            resp = webob.Request.blank(path).get_response(middleware)
            if public:
                self.assertEqual(200, resp.status_int, path)
                self.assertTrue(recorder.environ['is_public_api'], path)
            else:
                self.assertEqual(401, resp.status_int, path)
                self.assertEqual({}, recorder.environ, path)

    def _noauth_context(self, **headers):
        recorder = _Recorder()
        webob.Request.blank('/v1', headers=headers).get_response(
            auth.NoAuthMiddleware(recorder))
        return context.RequestContext.from_environ(recorder.environ)

    def test_noauth_defaults_to_the_noauth_project(self):
        ctx = self._noauth_context()
        self.assertEqual(('noauth', 'noauth'), (ctx.project_id, ctx.user_id))
        self.assertTrue(ctx.is_admin)
        self.assertEqual(['admin', 'member', 'reader'], ctx.roles)

    def test_noauth_uses_the_project_asked_for_and_ignores_roles(self):
        ctx = self._noauth_context(**{'X-Project-Id': 'p42',
                                      'X-Roles': 'reader'})
        self.assertEqual('p42', ctx.project_id)
        self.assertTrue(ctx.is_admin)
