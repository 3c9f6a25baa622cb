"""The driver's Docker engine, and finding its containers in it.

The connection itself (unix socket or TLS-verified TCP endpoint, the API
version negotiated with the engine) is magnumlite.common.docker_engine's,
shared with heat_plugin; here are the ``[docker]`` options (conf.py) it
is given and the labels that scope containers to this compute node.
"""

from magnumlite.common import docker_engine

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


def connect(group):
    """Return a docker.DockerClient for the ``[docker]`` option group."""
    return docker_engine.connect(group.api_url, group.api_timeout,
                                 **docker_engine.tls_files(group))


def node_filter(node):
    return docker_engine.label_filter({LABEL_NODE: node})


def list_containers(client, node):
    """Return every container this driver made for compute node ``node``."""
    return docker_engine.containers_labelled(client, {LABEL_NODE: node})


def find_container(client, node, instance_uuid):
    """Return the container of an instance, or None if there is none."""
    found = docker_engine.containers_labelled(
        client, {LABEL_NODE: node, LABEL_INSTANCE: instance_uuid})
    return found[0] if found else None


def labels(host, node, instance_uuid):
    return {LABEL_INSTANCE: instance_uuid, LABEL_HOST: host,
            LABEL_NODE: node}
