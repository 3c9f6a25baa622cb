"""Microversions of the container-infra API, negotiated as Magnum does.

A request asks for ``OpenStack-API-Version: container-infra X.Y`` (or
``latest``); without the header it gets the minimum. Every response below
the root document says what it got and what the service supports:

    OpenStack-API-Version: container-infra 1.1
    OpenStack-API-Minimum-Version: container-infra 1.1
    OpenStack-API-Maximum-Version: container-infra 1.13

and a version the service does not support is refused with 406.
"""

import functools

import microversion_parse
import webob.dec
import webob.exc

from magnumlite.api import errors

SERVICE_TYPE = 'container-infra'
MICROVERSION_ENVIRON = 'magnumlite.microversion'

VERSION_HEADER = 'OpenStack-API-Version'
MIN_VERSION_HEADER = 'OpenStack-API-Minimum-Version'
MAX_VERSION_HEADER = 'OpenStack-API-Maximum-Version'

# The canonical version list: what Magnum added in each, so that a handler
# gated on a version does what Magnum does at that version.
VERSIONS = [
    '1.1',   # Initial version (microversions introduced, Newton).
    '1.2',   # Asynchronous cluster (bay) create, update and delete.
    '1.3',   # ?rollback=True on cluster (bay) update.
    '1.4',   # Stats API: GET /v1/stats.
    '1.5',   # Cluster CA certificate rotation: PATCH /v1/certificates/{id}.
    '1.6',   # Quotas API: /v1/quotas.
    '1.7',   # Cluster resize: POST /v1/clusters/{id}/actions/resize.
    '1.8',   # Cluster upgrade: POST /v1/clusters/{id}/actions/upgrade.
    '1.9',   # Nodegroups API: /v1/clusters/{id}/nodegroups.
    '1.10',  # Nodegroups may have 0 nodes.
    '1.11',  # Bays and baymodels removed.
    '1.12',  # Credential API: PATCH /v1/credentials/{cluster_ident}
             # rotates the keystone trust a cluster is managed through.
    '1.13',  # Clusters show cluster_id in place of stack_id (same value).
             # magnum-ui 19 asks for this one.
]

# The root document ("/") lists the versions, so it is not versioned itself.
_UNVERSIONED_PATHS = ('', '/')


def parse(version_string):
    return microversion_parse.parse_version_string(version_string)


# The versions the code names, parsed once: a list of a thousand clusters
# asks a thousand times.
_parsed = functools.lru_cache(maxsize=None)(parse)


def requested(req):
    """The version the request negotiated."""
    return req.environ[MICROVERSION_ENVIRON]


def at_least(req, version_string):
    """Whether the request negotiated version_string or a later one."""
    return requested(req) >= _parsed(version_string)


def require(req, version_string):
    """Refuse (406, as Magnum) a request below the version that added it."""
    if not at_least(req, version_string):
        raise webob.exc.HTTPNotAcceptable(
            'Version %s was requested but the requested API is not '
            'supported for this version.' % (requested(req),))


def min_version_string():
    return VERSIONS[0]


def max_version_string():
    return VERSIONS[-1]


def _header_value(version):
    return '%s %s' % (SERVICE_TYPE, version)


class MicroversionMiddleware:
    """Set the negotiated version in environ[MICROVERSION_ENVIRON]."""

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req):
        if req.path_info in _UNVERSIONED_PATHS:
            return req.get_response(self.application)
        try:
            version = microversion_parse.extract_version(
                req.headers, SERVICE_TYPE, VERSIONS)
        except (ValueError, TypeError):
            resp = self._not_acceptable(req)
        else:
            req.environ[MICROVERSION_ENVIRON] = version
            resp = req.get_response(self.application)
            resp.headers[VERSION_HEADER] = _header_value(version)
            resp.headers['Vary'] = VERSION_HEADER
        resp.headers[MIN_VERSION_HEADER] = _header_value(min_version_string())
        resp.headers[MAX_VERSION_HEADER] = _header_value(max_version_string())
        return resp

    @staticmethod
    def _not_acceptable(req):
        detail = ('Version %s was requested but is not supported by this '
                  'service. The supported version range is: [%s, %s].' % (
                      req.headers[VERSION_HEADER],
                      _header_value(min_version_string()),
                      _header_value(max_version_string())))
        return errors.error_response(
            req, 406, detail,
            title='Requested microversion is unsupported',
            code='magnum.microversion-unsupported',
            links=[{'rel': 'help',
                    'href': 'https://docs.openstack.org/api-guide/'
                            'compute/microversions.html'}],
            min_version=min_version_string(),
            max_version=max_version_string())
