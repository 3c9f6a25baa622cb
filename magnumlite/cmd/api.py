"""magnumlite-api: a standalone development server for the API.

Production deployments run magnumlite.api.wsgi:application under a real
WSGI server (uwsgi, mod_wsgi) instead.
"""

import signal
import socketserver
import sys
from wsgiref import simple_server

from oslo_log import log as logging

from magnumlite.api import app
from magnumlite.common import service
from magnumlite.conf import CONF

LOG = logging.getLogger(__name__)


class ThreadingWSGIServer(socketserver.ThreadingMixIn,
                          simple_server.WSGIServer):
    daemon_threads = True


class RequestHandler(simple_server.WSGIRequestHandler):

    def log_message(self, format, *args):
        # To the service log instead of wsgiref's bare stderr lines.
        LOG.info('%s %s', self.address_string(), format % args)


def _exit(signum, frame):
    sys.exit(0)


def main():
    service.prepare_service(sys.argv[1:])
    server = simple_server.make_server(
        CONF.api.host, CONF.api.port, app.load_app(),
        server_class=ThreadingWSGIServer, handler_class=RequestHandler)
    signal.signal(signal.SIGTERM, _exit)
    LOG.info('Serving the magnumlite API on http://%s:%s/',
             CONF.api.host, CONF.api.port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == '__main__':
    main()
