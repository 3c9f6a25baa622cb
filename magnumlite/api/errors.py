"""Magnum's error document, used for every 4xx and 5xx response.

    {"errors": [{"request_id": ..., "code": ..., "status": ...,
                 "title": ..., "detail": ..., "links": [...]}]}

magnumclient shows title and detail to the user. code is "client" for
4xx and "server" for 5xx, as Magnum's WSME faults have it, unless an error
has a more specific one.
"""

from oslo_log import log as logging
from oslo_middleware import request_id
import webob.dec
import webob.exc

from magnumlite.api import response

LOG = logging.getLogger(__name__)


def error_response(req, status, detail, title=None, code=None,
                   headers=None, **extra):
    """A JSON error response; extra keys go into the error itself."""
    error = {
        'request_id': req.environ.get(request_id.ENV_REQUEST_ID, ''),
        'code': code or ('client' if status < 500 else 'server'),
        'status': status,
        'title': title or webob.exc.status_map[status].title,
        'detail': detail,
        'links': [],
    }
    error.update(extra)
    return response.json_response({'errors': [error]}, status=status,
                                  headers=headers)


def from_http_exception(req, exc):
    """The error response for a webob HTTPException raised by a handler."""
    headers = [(name, value) for name, value in exc.headerlist
               if name.lower() not in ('content-type', 'content-length')]
    return error_response(req, exc.code, exc.detail or exc.explanation,
                          title=exc.title, headers=headers)


class FaultWrapper:
    """Turn an exception nothing else handled into a logged 500.

    Such an exception is a magnumlite bug; the client still gets the error
    document, without the exception's text (it may tell what the client
    must not know, a database URL or a path), and the log has the
    traceback under the same request id.
    """

    DETAIL = ('The server could not complete the request; its log has the '
              'error under this request_id.')

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        try:
            return self.application(environ, start_response)
        except Exception:
            LOG.exception('Unexpected error serving %s %s',
                          environ.get('REQUEST_METHOD'),
                          environ.get('PATH_INFO'))
            resp = error_response(webob.Request(environ), 500, self.DETAIL)
            return resp(environ, start_response)


class ErrorDocument:
    """A middleware's own error answer, rewritten as Magnum's document.

    For the filters of the pipeline that answer by themselves in webob's
    text or HTML (oslo.middleware's sizelimit: 413): the client gets the
    same status, and webob's explanation of it as the detail.
    """

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req):
        resp = req.get_response(self.application)
        if resp.status_int < 400 or resp.content_type == 'application/json':
            return resp
        status = webob.exc.status_map.get(resp.status_int,
                                          webob.exc.HTTPServerError)
        return error_response(
            req, resp.status_int, status.explanation, title=status.title,
            headers=[(name, value) for name, value in resp.headerlist
                     if name.lower() not in ('content-type',
                                             'content-length')])
