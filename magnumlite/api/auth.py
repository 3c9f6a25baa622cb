"""Authentication middleware for the two api-paste.ini pipelines."""

from keystonemiddleware import auth_token

from magnumlite.api import handler
from magnumlite.conf import CONF


class AuthTokenMiddleware(auth_token.AuthProtocol):
    """keystonemiddleware's auth_token, except on handler.PUBLIC_ROUTES.

    Like Magnum's, it marks those requests with environ['is_public_api'].
    """

    def __init__(self, app, conf):
        self._public_routes = frozenset(handler.PUBLIC_ROUTES)
        super().__init__(app, conf)

    def __call__(self, environ, start_response):
        path = handler.normalize_path(environ.get('PATH_INFO', ''))
        environ['is_public_api'] = path in self._public_routes
        if environ['is_public_api']:
            return self._app(environ, start_response)
        return super().__call__(environ, start_response)


class NoAuthMiddleware:
    """Trust the request: an admin in X-Project-Id (default "noauth").

    For development and tests only. It sets the headers auth_token would,
    so the context is built the same way in both pipelines; admin comes
    with member and reader, as keystone's implied roles give them.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        for header in ('HTTP_X_PROJECT_ID', 'HTTP_X_USER_ID'):
            environ[header] = environ.get(header) or 'noauth'
        environ['HTTP_X_ROLES'] = 'admin,member,reader'
        environ['HTTP_X_IDENTITY_STATUS'] = 'Confirmed'
        return self.application(environ, start_response)


def auth_token_filter_factory(global_conf, **local_conf):
    # [keystone_authtoken] is read from the already parsed CONF, not from
    # files keystonemiddleware would look up by itself.
    conf = dict(global_conf, **local_conf, oslo_config_config=CONF)
    return lambda app: AuthTokenMiddleware(app, conf)


def noauth_filter_factory(global_conf, **local_conf):
    return NoAuthMiddleware
