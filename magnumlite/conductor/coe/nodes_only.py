"""COEs magnumlite cannot install: the cluster is its servers, nothing more.

Kubernetes (and Mesos, DC/OS) need packages (kubelet, kubeadm...) that
no mirror this service can reach carries, so magnumlite does not pretend
to run them: a cluster of such a template is its Nova servers, with the
cluster's facts written on each, no api_address, and a status_reason that
says so. Magnum's API answers stay the same for them.
"""

from magnumlite.conductor.coe import base
from magnumlite.conductor import user_data as user_data_templates

# No COE API, so no CA: nothing on the servers holds a certificate.
TLS = False


def user_data(cluster, template, node, tls):
    """The generic script: /etc/magnumlite/cluster.env, the cluster's facts."""
    return user_data_templates.render(cluster, template.coe, node.role,
                                      node.index, node.name)


def converge(cluster, template, nodes, authorities):
    return base.Outcome(
        base.COMPLETE,
        '%d servers ACTIVE; magnumlite does not install %s, so the '
        'cluster is its servers only, with no API address'
        % (len(nodes), template.coe), {'api_address': None})


def may_delete(cluster, template, node, nodes, authorities):
    return True


def health(cluster, template, nodes, authorities):
    """HEALTHY while every server is ACTIVE.

    The reason maps each node to its server's status (or fault), as
    Magnum maps a node to its readiness.
    """
    reason = {node.name: node.status for node in nodes}
    healthy = reason and all(status == 'ACTIVE'
                             for status in reason.values())
    return (base.HEALTHY if healthy else base.UNHEALTHY), reason


def rotate_ca(cluster, template, nodes, authorities):
    # Nothing on the servers holds a certificate of the cluster's CA.
    return base.Outcome(base.COMPLETE, 'CA rotated', {})
