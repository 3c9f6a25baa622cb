"""Where a cluster's nodes land: one Nova server group per node role.

As Magnum's drivers do, the masters are one server group and the workers
another, each with the policy of the cluster's `server_group_policies`
label (soft-anti-affinity unless it says otherwise): nodes of a role spread
over the compute hosts there are, and a single host still takes them all.
Nova places every server booted with its group's hint; the groups go with
the cluster.

A group is found by its name, which holds the cluster's uuid, so a
conductor that died after making one finds it on its next pass instead of
making another.
"""

from novaclient import exceptions as nova_exc

from magnumlite.common import exception

POLICY_LABEL = 'server_group_policies'
DEFAULT_POLICY = 'soft-anti-affinity'


def group_name(cluster, role):
    return '%s-%s' % (cluster.uuid, role)


def policy(cluster):
    return str((cluster.labels or {}).get(POLICY_LABEL) or DEFAULT_POLICY)


def _groups(nova, cluster):
    """{name: group} of this cluster's groups among the project's."""
    prefix = cluster.uuid + '-'
    return {g.name: g for g in nova.server_groups.list()
            if g.name.startswith(prefix)}


def ensure(nova, cluster, roles):
    """{role: server group id} for roles, making the groups missing.

    Nova's 4xx (its server group quota, a policy it does not know) raise
    exception.Refused.
    """
    existing = _groups(nova, cluster)
    ids = {}
    for role in sorted(roles):
        name = group_name(cluster, role)
        group = existing.get(name)
        if group is None:
            try:
                group = nova.server_groups.create(
                    name=name, policies=[policy(cluster)])
            except nova_exc.ClientException as exc:
                if 400 <= (exc.code or 500) < 500:
                    raise exception.Refused(
                        'Nova refused the cluster\'s server group: %s'
                        % exc) from exc
                raise
        ids[role] = group.id
    return ids


def delete(nova, cluster):
    """Delete the cluster's groups (once its servers are gone)."""
    for group in _groups(nova, cluster).values():
        try:
            nova.server_groups.delete(group.id)
        except nova_exc.NotFound:
            pass
