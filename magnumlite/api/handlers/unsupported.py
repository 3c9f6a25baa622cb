"""Magnum APIs magnumlite does not offer (yet): a clear 400, not a 404.

Clients such as `openstack coe nodegroup create` or `coe cluster config`
reach these paths; they get Magnum's own answer for a feature a
deployment lacks (NotSupported), after the microversion check Magnum
makes first (the router's, by the route's minimum version).
"""

from magnumlite.common import exception


def _unsupported(operation):
    def handler(req):
        raise exception.NotSupported(operation=operation)
    return handler


# A cluster has Magnum's two default node groups (handlers/nodegroup.py)
# and no others; its update and resize change the workers.
nodegroup_changes = _unsupported('Creating, updating or deleting nodegroups')
# Bays are containers with no COE of their own to upgrade.
upgrade_cluster = _unsupported('Cluster upgrade')
