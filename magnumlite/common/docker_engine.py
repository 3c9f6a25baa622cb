"""The Docker engine adapter shared by the Nova driver, the Heat plugin and
the conductor's swarm-mode COE (which drives the engines of a cluster's nodes).

What they need and must do alike, written once: the connection (a unix
socket, or a TCP endpoint with verified TLS; never plain TCP, and never
through a proxy or CA bundle from the environment), the API version
negotiated with the engine (``version='auto'``: pinning to API 1.19 is
what broke nova-docker when engines dropped it), the errors to
catch (``except docker_engine.NotFound``, not a catch-all that looks at
the exception afterwards), "this object, or None if the engine has no
such thing" and finding containers by their labels. What the labels are
stays with each caller: the driver's compute node scoping in
nova_driver/docker_client.py, the stack and resource labels in
heat_plugin/common.py.

Why here: nova_driver and heat_plugin are two plugins of the one
magnumlite distribution (setup.cfg ``[files] packages``), always
installed together into nova-compute's and heat-engine's environments,
so both may import magnumlite. ``magnumlite.common`` is that
distribution's layer of leaf helpers; a module in one plugin imported by
the other would tie Heat to Nova's driver (or the reverse), and a
top-level package of its own would put a generic name into
site-packages. This module imports only the docker SDK and requests:
nothing else of magnumlite (``magnumlite/__init__.py`` and
``magnumlite/common/__init__.py`` are empty), and not oslo.config, so
importing it registers no option in nova-compute or heat-engine. Each
caller passes in its own options; both option groups name the TLS files
``tls_cacert``, ``tls_cert`` and ``tls_key`` (``TLS_OPTIONS``).
"""

import docker
from docker import errors as docker_errors
from docker import tls as docker_tls
import requests

NotFound = docker_errors.NotFound
APIError = docker_errors.APIError
DockerException = docker_errors.DockerException
# What a call given ``timeout=`` raises when the time is up (the SDK lets
# the requests exceptions through).
WAIT_TIMEOUTS = (requests.exceptions.ReadTimeout,
                 requests.exceptions.ConnectionError)

UNIX_SCHEME = 'unix://'
# TCP endpoints; both are spoken over TLS only.
TCP_SCHEMES = ('tcp://', 'https://')
# The options naming the TLS files, in both plugins' option groups.
TLS_OPTIONS = ('tls_cacert', 'tls_cert', 'tls_key')


class EndpointError(ValueError):
    """An endpoint ``connect`` refuses.

    Either not unix:// or tcp://, or a TCP endpoint without all of the
    TLS files; ``missing`` names the TLS options not set (empty for a
    wrong scheme). The message reads after the name of the setting that
    gave ``url`` (e.g. "[docker] api_url " + message).
    """

    def __init__(self, url, missing=()):
        self.url = url
        self.missing = tuple(missing)
        if self.missing:
            message = ('%s is a TCP endpoint; it needs TLS: set %s'
                       % (url, ', '.join(self.missing)))
        else:
            message = 'must be unix:// or tcp://, not %r' % (url,)
        super().__init__(message)


def tls_files(group):
    """{TLS option name: value} of an option group that has TLS_OPTIONS."""
    return {name: getattr(group, name) for name in TLS_OPTIONS}


def check_endpoint(url, tls_cacert=None, tls_cert=None, tls_key=None):
    """Raise EndpointError unless ``connect`` may use ``url``.

    unix:// needs nothing; tcp:// (or https://) needs all three TLS files.
    Anything else (http://, ssh://, a bare host:port) is refused: there
    is no plain TCP to a Docker engine, whose API is root on its host.
    """
    url = url or ''
    if url.startswith(UNIX_SCHEME):
        return
    if not url.startswith(TCP_SCHEMES):
        raise EndpointError(url)
    given = {'tls_cacert': tls_cacert, 'tls_cert': tls_cert,
             'tls_key': tls_key}
    missing = [name for name in TLS_OPTIONS if not given[name]]
    if missing:
        raise EndpointError(url, missing)


class _APIClient(docker.APIClient):
    """docker.APIClient that ignores the process environment.

    REQUESTS_CA_BUNDLE would replace tls_cacert as what the engine's
    certificate is checked against (requests lets the environment win over
    a session's own CA), and a proxy must not stand between us and an
    engine, whose API is root on its host.
    """

    def _retrieve_server_version(self):
        # Called from __init__ (version='auto'), before the first request.
        self.trust_env = False
        return super()._retrieve_server_version()


class Client(docker.DockerClient):
    """docker.DockerClient over _APIClient; ``connect`` makes them."""

    def __init__(self, **kwargs):
        # What docker.DockerClient.__init__ does, with our API client.
        self.api = _APIClient(**kwargs)


def connect(url, timeout, tls_cacert=None, tls_cert=None, tls_key=None):
    """Return a docker.DockerClient for the engine at ``url``.

    ``url`` is unix:///path/to/docker.sock or tcp://host:port; a TCP
    endpoint is spoken to over TLS, the engine's certificate verified
    against ``tls_cacert``, with the client certificate ``tls_cert`` and
    key ``tls_key``. ``timeout``: seconds one API call may take. The API
    version is negotiated, which asks the engine at once: raises
    DockerException if it does not answer, EndpointError (before any
    connection) for an endpoint ``check_endpoint`` refuses. The low-level
    docker.APIClient is the result's ``api``.
    """
    check_endpoint(url, tls_cacert, tls_cert, tls_key)
    tls = None
    base_url = url
    if not url.startswith(UNIX_SCHEME):
        tls = docker_tls.TLSConfig(client_cert=(tls_cert, tls_key),
                                   ca_cert=tls_cacert, verify=True)
        base_url = 'https://' + url.split('://', 1)[1]
    return Client(base_url=base_url, version='auto', timeout=timeout,
                  tls=tls)


def or_none(call, *args, **kwargs):
    """``call(*args, **kwargs)``, or None if the engine answers not found.

    E.g. ``or_none(client.inspect_container, container_id)``; any other
    error is raised.
    """
    try:
        return call(*args, **kwargs)
    except NotFound:
        return None


def label_filter(labels):
    """The ``filters`` of a list or events call: objects with all labels.

    ``labels``: {label: value}, in the order the filter lists them.
    """
    return {'label': ['%s=%s' % item for item in labels.items()]}


def containers_labelled(client, labels):
    """Every container (running or not) that has all ``labels``.

    ``client``: a docker.DockerClient; returns its Container objects.
    """
    return client.containers.list(all=True, filters=label_filter(labels))
