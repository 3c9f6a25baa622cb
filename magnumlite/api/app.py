"""Assembly of the API WSGI application from api-paste.ini."""

import gc

from oslo_config import cfg
from oslo_log import log as logging
import oslo_middleware
from oslo_middleware import sizelimit
from paste import deploy

from magnumlite.api import errors
from magnumlite.api import handler
from magnumlite.api import microversion
from magnumlite.conf import CONF

LOG = logging.getLogger(__name__)


def pipeline_factory(loader, global_conf, **local_conf):
    """Paste composite: the pipeline named by [api] auth_strategy."""
    names = local_conf[CONF.api.auth_strategy].split()
    app = loader.get_app(names[-1])
    for name in reversed(names[:-1]):
        app = loader.get_filter(name)(app)
    return app


def app_factory(global_conf, **local_conf):
    """Paste app: magnumlite itself, at the end of every pipeline."""
    return errors.FaultWrapper(
        microversion.MicroversionMiddleware(
            handler.MagnumliteHandler()))


def cors_filter_factory(global_conf, **local_conf):
    """Paste filter: CORS as set in [cors] of the parsed CONF.

    oslo.middleware's own factory would load the project's config files
    anew and miss those given with --config-file.
    """
    return lambda app: oslo_middleware.CORS(app, CONF)


def sizelimit_filter_factory(global_conf, **local_conf):
    """Paste filter: oslo.middleware's request body size limit.

    [oslo_middleware] max_request_body_size of the parsed CONF; a larger
    body is refused (413) in Magnum's error document before it is read.
    """
    return lambda app: errors.ErrorDocument(
        sizelimit.RequestBodySizeLimiter(app, CONF))


def load_app():
    """The WSGI application, for the already parsed CONF."""
    paste_file = CONF.find_file(CONF.api.api_paste_config)
    if paste_file is None:
        raise cfg.ConfigFilesNotFoundError([CONF.api.api_paste_config])
    LOG.info('Loading %s pipeline from %s',
             CONF.api.auth_strategy, paste_file)
    application = deploy.loadapp('config:' + paste_file, name='main')
    _freeze_loaded_objects()
    return application


def _freeze_loaded_objects():
    """Leave what the service loaded out of every garbage collection.

    The modules, options and pipeline loaded so far (some 170,000 objects)
    live as long as the process. A list of a thousand clusters allocates
    enough to trigger full collections, and each traversed all of them:
    100-150 ms, the p99 of the lists. The garbage made while loading goes
    first, so that it is not kept forever.
    """
    gc.collect()
    gc.freeze()
