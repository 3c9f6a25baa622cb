"""/v1/openapi.yaml: the OpenAPI 3 description of this API."""

import importlib.resources

import webob

_DOCUMENT = importlib.resources.files('magnumlite.api') / 'openapi.yaml'


def show_openapi(req):
    return webob.Response(body=_DOCUMENT.read_bytes(),
                          content_type='application/yaml')
