"""The connection to the Docker engine, and finding our containers in it.

The API version is negotiated with the engine (``version='auto'``), never
pinned: pinning to API 1.19 is what broke nova-docker when engines dropped
it. The endpoint is a unix socket or a TLS-verified TCP endpoint, from the
``[docker]`` options (conf.py).
"""

import docker
from docker import errors as docker_errors
from docker import tls as docker_tls

# Labels put on every container this driver creates. Containers are found
# by these labels, never by parsing names, so other containers on the same
# engine (and another compute host's) are left alone.
LABEL_INSTANCE = 'magnumlite.instance_uuid'
LABEL_HOST = 'magnumlite.compute_host'

NotFound = docker_errors.NotFound
APIError = docker_errors.APIError
DockerException = docker_errors.DockerException


def connect(group):
    """Return a docker.DockerClient for the ``[docker]`` option group."""
    tls = None
    base_url = group.api_url
    if not base_url.startswith('unix://'):
        tls = docker_tls.TLSConfig(
            client_cert=(group.tls_cert, group.tls_key),
            ca_cert=group.tls_cacert, verify=True)
        base_url = 'https://' + base_url.split('://', 1)[1]
    return docker.DockerClient(base_url=base_url, version='auto',
                               timeout=group.api_timeout, tls=tls)


def host_filter(host):
    return {'label': ['%s=%s' % (LABEL_HOST, host)]}


def list_containers(client, host):
    """Return every container this driver made for compute ``host``."""
    return client.containers.list(all=True, filters=host_filter(host))


def find_container(client, host, instance_uuid):
    """Return the container of an instance, or None if there is none."""
    filters = host_filter(host)
    filters['label'].append('%s=%s' % (LABEL_INSTANCE, instance_uuid))
    found = client.containers.list(all=True, filters=filters)
    return found[0] if found else None


def labels(host, instance_uuid):
    return {LABEL_INSTANCE: instance_uuid, LABEL_HOST: host}
