"""The connection to the Docker engine, and finding our containers in it.

The API version is negotiated with the engine (``version='auto'``), never
pinned: pinning to API 1.19 is what broke nova-docker when engines dropped
it. The endpoint is a unix socket or a TLS-verified TCP endpoint, from the
``[docker]`` options (conf.py).
"""

import docker
from docker import errors as docker_errors
from docker import tls as docker_tls
import requests

# Labels put on every container this driver creates. Containers are found
# by these labels, never by parsing names, so other containers on the same
# engine are left alone. They are scoped by the compute node's uuid (Nova's
# compute_id file in state_path), not by its host name: two clouds sharing
# one engine may well both call their compute host 'docker', and a
# nova-compute that saw the other's containers would refuse to start ("my
# hypervisor has existing instances").
LABEL_INSTANCE = 'magnumlite.instance_uuid'
LABEL_HOST = 'magnumlite.compute_host'
LABEL_NODE = 'magnumlite.compute_node'

NotFound = docker_errors.NotFound
APIError = docker_errors.APIError
DockerException = docker_errors.DockerException
# What a call given ``timeout=`` raises when the time is up (the SDK lets
# the requests exceptions through).
WAIT_TIMEOUTS = (requests.exceptions.ReadTimeout,
                 requests.exceptions.ConnectionError)


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


def node_filter(node):
    return {'label': ['%s=%s' % (LABEL_NODE, node)]}


def list_containers(client, node):
    """Return every container this driver made for compute node ``node``."""
    return client.containers.list(all=True, filters=node_filter(node))


def find_container(client, node, instance_uuid):
    """Return the container of an instance, or None if there is none."""
    filters = node_filter(node)
    filters['label'].append('%s=%s' % (LABEL_INSTANCE, instance_uuid))
    found = client.containers.list(all=True, filters=filters)
    return found[0] if found else None


def labels(host, node, instance_uuid):
    return {LABEL_INSTANCE: instance_uuid, LABEL_HOST: host,
            LABEL_NODE: node}
