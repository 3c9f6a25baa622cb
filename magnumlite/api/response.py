"""Building the JSON responses every handler returns."""

from oslo_serialization import jsonutils
import webob


def json_response(body, status=200, headers=None):
    response = webob.Response(body=jsonutils.dump_as_bytes(body),
                              status=status, content_type='application/json')
    response.headers.extend(headers or [])
    return response
