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


def links(req, collection, uuid):
    """The self and bookmark links of a resource, as Magnum's."""
    return [
        {'href': '%s/v1/%s/%s' % (req.application_url, collection, uuid),
         'rel': 'self'},
        {'href': '%s/%s/%s' % (req.application_url, collection, uuid),
         'rel': 'bookmark'},
    ]
