"""Docker container states -> Nova power states, in one table."""

from nova.compute import power_state

# ``State.Status`` of ``docker inspect`` (engine API, all versions since
# 1.21) to the power state nova-compute records and syncs against.
DOCKER_TO_NOVA = {
    'created': power_state.SHUTDOWN,    # made, never started (mid-spawn)
    'running': power_state.RUNNING,
    'paused': power_state.PAUSED,       # pause and suspend (cgroup freezer)
    'restarting': power_state.NOSTATE,  # transitional; we set no policy
    'removing': power_state.NOSTATE,    # transitional, on its way out
    'exited': power_state.SHUTDOWN,     # stopped, or its process ended
    'dead': power_state.CRASHED,        # the engine failed to remove it
}


def from_docker(status):
    """Return the Nova power state of a container ``State.Status``."""
    return DOCKER_TO_NOVA.get(status, power_state.NOSTATE)
