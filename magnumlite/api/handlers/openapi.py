"""/v1/openapi.yaml: the OpenAPI 3 description of this API.

Built from the route table (magnumlite/api/openapi.py) at its first
request and kept: it cannot go out of date, and a process that is never
asked for it never builds it.
"""

import functools

import webob


@functools.cache
def _document():
    # Imported here: the document is built from routes, which imports
    # this module.
    from magnumlite.api import openapi
    return openapi.dump().encode()


def show_openapi(req):
    return webob.Response(body=_document(), content_type='application/yaml')
