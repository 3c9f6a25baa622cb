"""Building the JSON responses every handler returns."""

from oslo_serialization import jsonutils
import webob


def json_response(body, status=200, headers=None):
    response = webob.Response(body=jsonutils.dump_as_bytes(body),
                              status=status, content_type='application/json')
    response.headers.extend(headers or [])
    return response


def isotime(value):
    """A timestamp as Magnum renders it: "2016-08-25T01:13:16+00:00".

    Magnum's timestamps come from MySQL, which stores whole seconds.
    """
    if value is None:
        return None
    return value.replace(microsecond=0).isoformat() + '+00:00'


_APPLICATION_URL = 'magnumlite.application_url'


def application_url(req):
    """req.application_url, worked out once per request.

    WebOb builds it anew (host, port, quoted SCRIPT_NAME) on every read,
    and a list of 1,000 clusters links each one twice.
    """
    url = req.environ.get(_APPLICATION_URL)
    if url is None:
        url = req.environ[_APPLICATION_URL] = req.application_url
    return url


def links(req, collection, uuid):
    """The self and bookmark links of a resource, as Magnum's."""
    base = application_url(req)
    return [
        {'href': '%s/v1/%s/%s' % (base, collection, uuid), 'rel': 'self'},
        {'href': '%s/%s/%s' % (base, collection, uuid), 'rel': 'bookmark'},
    ]
