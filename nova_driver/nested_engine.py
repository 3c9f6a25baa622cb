"""Servers that run a Docker engine of their own (swarm nodes).

An operator's decision, in two places:

* the flavor asks for it: extra spec ``magnumlite:nested_engine=true``
  (flavor extra specs are admin-only by Nova's policy), together with
  ``trait:CUSTOM_MAGNUMLITE_NESTED_ENGINE=required`` so that the scheduler
  only picks hosts that allow it;
* the host allows it: ``[docker] allow_nested_engines`` (default off). Such
  a host reports that trait on its resource provider; a host that does not
  allow it refuses the server with a fault that says so.

What a nested engine gets, beyond an ordinary server (verified with Docker
20.10 on a cgroup v1 host, inside and out):

* The capabilities it and its containers use (``NESTED_ENGINE_CAPABILITIES``)
  that the host's bounding set has, each named. Never ``privileged``: that
  asks for every capability, and runc fails outright on a host whose
  bounding set lacks one (CAP_SYS_RESOURCE on ours). Capabilities that act
  on the host as a whole (loading kernel modules, the clock, reboot, LSM
  policy, BPF, perf, raw I/O) are never given.
* seccomp unconfined (Docker's default profile refuses keyctl, which runc
  calls to give each nested container its own session keyring) and
  AppArmor unconfined (docker-default forbids mount). /proc keeps its masked
  paths and a read-only /proc/sys; the node's init makes only
  /proc/sys/net, its own network namespace's, writable for the engine.
* No no-new-privileges: every nested process would inherit it.
* A private cgroup namespace: each hierarchy under the node's
  /sys/fs/cgroup is the instance's own cgroup, which the node's init makes
  writable, so the nested engine puts its containers' cgroups below it
  (inside the flavor's memory, CPU and pids limits) and sees nothing of the
  host's tree. The alternative, the host's /sys/fs/cgroup bind-mounted
  read-write, would let a node move itself to the root cgroup and out of
  its limits.
* /run as a tmpfs that allows exec (Docker mounts tmpfs noexec): the engine
  and containerd keep their sockets, pid files and runtime state there, and
  it is empty at every start, so no stale pid file from an earlier boot.
* A Docker volume named after the instance at /var/lib/docker: its images
  and containers survive stop/start and reboot; destroy removes it. Overlay
  mounts work on it, where they do not on the container's own root file
  system under the engine's vfs driver.

What the node does with it is written in tools/build-node-image.
"""

from nova import exception
from oslo_log import log as logging
from oslo_utils import strutils

from magnumlite.common import docker_engine

LOG = logging.getLogger(__name__)

EXTRA_SPEC = 'magnumlite:nested_engine'
TRAIT = 'CUSTOM_MAGNUMLITE_NESTED_ENGINE'
DATA_ROOT = '/var/lib/docker'
VOLUME_NAME = 'magnumlite-%s-docker'

# Capability numbers as in linux/capability.h, by Docker's names.
CAPABILITY_BITS = (
    'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL',
    'SETGID', 'SETUID', 'SETPCAP', 'LINUX_IMMUTABLE', 'NET_BIND_SERVICE',
    'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
    'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT',
    'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME',
    'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL',
    'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM',
    'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF', 'CHECKPOINT_RESTORE')

# Docker's default set, which nested containers are given: without them a
# nested engine cannot run an ordinary container.
CONTAINER_DEFAULT_CAPABILITIES = (
    'CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID',
    'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL',
    'AUDIT_WRITE')
# What the engine itself needs: mounts and namespaces (runc, overlay2), and
# bridges, iptables and vxlan (its networks, swarm's overlay).
ENGINE_CAPABILITIES = ('SYS_ADMIN', 'NET_ADMIN')
REQUIRED_CAPABILITIES = CONTAINER_DEFAULT_CAPABILITIES + ENGINE_CAPABILITIES
# Given when the host has them, for nested containers that ask
# (docker run --cap-add); all act within the node's namespaces.
OPTIONAL_CAPABILITIES = (
    'DAC_READ_SEARCH', 'LINUX_IMMUTABLE', 'NET_BROADCAST', 'IPC_LOCK',
    'IPC_OWNER', 'SYS_PTRACE', 'SYS_NICE', 'SYS_RESOURCE', 'LEASE')
NESTED_ENGINE_CAPABILITIES = REQUIRED_CAPABILITIES + OPTIONAL_CAPABILITIES

SECURITY_OPTS = ['seccomp=unconfined', 'apparmor=unconfined']


class NestedEngineRefused(exception.InstanceDeployFailure,
                          exception.BuildAbortException):
    """This host will not run the nested engine the flavor asks for.

    Also a BuildAbortException, so the reason stays the server's fault
    rather than being replaced by "Exceeded maximum number of retries":
    the scheduler only sends such a flavor here when it lacks the trait.
    """


def bounding_set(status_path='/proc/self/status'):
    """The capability names in this process's bounding set.

    nova-compute's own; the engine it drives, on the same host, runs its
    containers under the same one.
    """
    with open(status_path) as f:
        for line in f:
            if line.startswith('CapBnd:'):
                mask = int(line.split()[1], 16)
                break
        else:
            raise RuntimeError('no CapBnd line in %s' % status_path)
    return frozenset(name for bit, name in enumerate(CAPABILITY_BITS)
                     if mask >> bit & 1)


def requested(instance, allowed):
    """Whether the instance's flavor asks for a nested engine.

    Raises NestedEngineRefused if it does and this host does not allow it,
    or if the extra spec is not a boolean.
    """
    flavor = instance.flavor
    value = (flavor.extra_specs or {}).get(EXTRA_SPEC)
    if value is None:
        return False
    try:
        wanted = strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise NestedEngineRefused(
            instance_uuid=instance.uuid,
            reason='flavor %s: %s=%r is not a boolean'
                   % (flavor.name, EXTRA_SPEC, value))
    if wanted and not allowed:
        raise NestedEngineRefused(
            instance_uuid=instance.uuid,
            reason='flavor %s asks for a nested Docker engine (%s) and this '
                   'host does not run them ([docker] allow_nested_engines '
                   '= false); the flavor should also require trait %s so '
                   'that the scheduler picks a host that does'
                   % (flavor.name, EXTRA_SPEC, TRAIT))
    return wanted


def capabilities(instance, host_capabilities):
    """The capabilities to add: what a nested engine uses and the host has.

    Raises NestedEngineRefused if the host lacks one it cannot do without.
    """
    missing = [c for c in REQUIRED_CAPABILITIES if c not in host_capabilities]
    if missing:
        raise NestedEngineRefused(
            instance_uuid=instance.uuid,
            reason='a nested Docker engine needs capabilities %s, which '
                   'this host\'s bounding set lacks' % ', '.join(missing))
    return [c for c in NESTED_ENGINE_CAPABILITIES if c in host_capabilities]


def volume_name(instance_uuid):
    return VOLUME_NAME % instance_uuid


def grant(kwargs, instance, host_capabilities):
    """Turn an ordinary server's container arguments into a nested engine's.

    ``kwargs`` are the keyword arguments of ``containers.create``; the
    changed copy is returned.
    """
    granted = dict(kwargs)
    granted['cap_add'] = capabilities(instance, host_capabilities)
    granted['security_opt'] = list(SECURITY_OPTS)
    granted['cgroupns'] = 'private'
    granted['tmpfs'] = {'/run': 'exec,mode=755'}
    granted['volumes'] = dict(kwargs.get('volumes') or {})
    granted['volumes'][volume_name(instance.uuid)] = {'bind': DATA_ROOT,
                                                      'mode': 'rw'}
    return granted


def create_volume(client, instance_uuid, labels):
    """The instance's /var/lib/docker volume (kept if it exists already)."""
    return client.volumes.create(name=volume_name(instance_uuid),
                                 labels=labels)


def remove_volume(client, instance_uuid):
    """Delete the instance's volume, if it has one; idempotent.

    A volume still mounted by a container (a cleanup without destroy) is
    left, with a warning: it goes with a later destroy.
    """
    name = volume_name(instance_uuid)
    try:
        client.volumes.get(name).remove(force=True)
    except docker_engine.NotFound:
        pass
    except docker_engine.APIError as e:
        if e.status_code != 409:
            raise
        LOG.warning('Volume %s is still in use, not removed: %s', name,
                    e.explanation)
