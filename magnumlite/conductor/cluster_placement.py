"""Where a cluster's nodes land: one Nova server group per node role.

As Magnum's drivers do, the masters are one server group and the workers
another, each with the policy of the cluster's `server_group_policies`
label (soft-anti-affinity unless it says otherwise): nodes of a role spread
over the compute hosts there are, and a single host still takes them all.
Nova places every server booted with its group's hint; the groups go with
the cluster.

Nova chooses a host for a group's member by the hosts it has already
chosen for the other members. Members asked for at the same time are each
weighed against the same group, so they stack on the first host (the soft
policies) or the compute host's late check refuses all but one (the hard
ones); Nova's own answer is one multi-create request, which cannot give
each server its own port and user data. So the members of a group are
asked for one after the other, each once Nova has placed the one before
(create_in_turn); the groups still go at the same time.

A group is found by its name, which holds the cluster's uuid, so a
conductor that died after making one finds it on its next pass instead of
making another.
"""

import time

from novaclient import exceptions as nova_exc
from oslo_log import log as logging

from magnumlite.common import exception
from magnumlite.conf import CONF

LOG = logging.getLogger(__name__)

# Task states of a server Nova has not placed yet: the scheduler's, then
# the compute host's first step before it claims the host's resources.
UNPLACED_TASK_STATES = ('scheduling', None)
PLACEMENT_POLL_SECONDS = 0.25

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


def create_in_turn(nova, request, before):
    """nova.servers.create(**request) once Nova has placed before's server.

    before: the future of the create of the group's previous member (or
    None). Run on a thread pool that starts its work in the order it was
    given (concurrent.futures' does), so before is running or done.
    """
    if before is not None and CONF.conductor.group_placement_wait:
        try:
            previous = before.result()
        except Exception:
            pass  # Refused: there is nothing to wait for.
        else:
            wait_until_placed(nova, previous.id)
    return nova.servers.create(**request)


def wait_until_placed(nova, server_id):
    """Until Nova has chosen server_id's host, group_placement_wait at most.

    Giving up only costs the spread: the next member is asked for anyway.
    """
    deadline = time.monotonic() + CONF.conductor.group_placement_wait
    while time.monotonic() < deadline:
        try:
            server = nova.servers.get(server_id)
        except nova_exc.NotFound:
            return
        except Exception as exc:
            LOG.warning('Cannot see where Nova placed server %s: %s',
                        server_id, exc)
            return
        if server.status != 'BUILD' or getattr(
                server, 'OS-EXT-STS:task_state', None) not in \
                UNPLACED_TASK_STATES:
            return
        time.sleep(PLACEMENT_POLL_SECONDS)
    LOG.warning('Nova has not placed server %s after %s seconds; the next '
                'server of its group is asked for anyway', server_id,
                CONF.conductor.group_placement_wait)
