"""DockerDriver: a Nova ComputeDriver that runs each instance as a container.

Each method below is what one Nova operation calls; it translates that
operation into Docker engine calls and nothing more (the compute manager
keeps the state machine). Lifecycle choices:

* pause/unpause: ``docker pause``/``unpause`` (cgroup freezer).
* suspend/resume: also ``docker pause``/``unpause``: processes keep their
  memory and state, as a resumed server should; unlike libvirt's managed
  save, the memory is not released while suspended.
* power_off/power_on: ``docker stop`` (SIGTERM, SIGKILL after Nova's
  timeout) / ``docker start``; reboot: ``docker restart`` (soft: SIGTERM and
  ``[docker] reboot_timeout``; hard: killed at once).
* rebuild is not implemented, so the compute manager's default rebuild
  (destroy + spawn) is used.
* networking: ``network_mode=none`` plus one interface per Neutron port,
  wired in from outside by vifs.py (veth, os-vif OVS port, addresses). A
  container's network namespace dies with its process, so every (re)start
  re-plugs the ports into the new one; pause keeps it.
"""

import contextlib
import os
import platform
import re
import shutil
import tempfile
import time

from nova.compute import task_states
from nova import conf as nova_conf
from nova import exception
from nova.image import glance
from nova.objects import fields as obj_fields
from nova.virt import driver
from nova.virt import hardware
import nova.virt.node
import os_resource_classes as orc
from oslo_log import log as logging
from oslo_utils import excutils
from oslo_utils import versionutils

from magnumlite.common import docker_engine
from nova_driver import conf as docker_conf
from nova_driver import docker_client
from nova_driver import image_cache
from nova_driver import lifecycle
from nova_driver import metadata
from nova_driver import nested_engine
from nova_driver import power_state
from nova_driver import vifs

CONF = nova_conf.CONF
docker_conf.register_opts(CONF)
LOG = logging.getLogger(__name__)

MiB = 1024 * 1024
GiB = 1024 * MiB
SNAPSHOT_REPOSITORY = 'magnumlite-snapshot/'


def engine_version_int(version):
    """'20.10.24+dfsg1' -> nova's integer form of 20.10.24."""
    numbers = (re.findall(r'\d+', version or '') + ['0', '0', '0'])[:3]
    return versionutils.convert_version_to_int('.'.join(numbers))


def cpu_limits(vcpus, mode):
    """Flavor vcpus -> the container's CPU limit keyword arguments."""
    if mode == 'cpu_shares':
        return {'cpu_shares': 1024 * vcpus}
    return {'nano_cpus': vcpus * 10 ** 9}


class ContainerExitedAtBoot(exception.InstanceDeployFailure,
                            exception.BuildAbortException):
    """The container's process ended right after start.

    An InstanceDeployFailure whose message carries the container's last log
    lines. It is also a BuildAbortException, so the compute manager records
    it as the server's fault and does not reschedule: the same image
    exits the same way on every host, and rescheduling would replace this
    fault with "Exceeded maximum number of retries".
    """


class DockerDriver(driver.ComputeDriver):

    capabilities = {
        'has_imagecache': True,
        'supports_evacuate': False,
        'supports_migrate_to_same_host': False,
        'supports_attach_interface': True,
        'supports_device_tagging': False,
        'supports_tagged_attach_interface': False,
        'supports_tagged_attach_volume': False,
        'supports_extend_volume': False,
        'supports_multiattach': False,
        'supports_trusted_certs': False,
        'supports_pcpus': False,
        'supports_accelerators': False,
        'supports_remote_managed_ports': False,
        'supports_address_space_passthrough': False,
        'supports_address_space_emulated': False,
        'supports_stateless_firmware': False,
        'supports_virtio_fs': False,
        'supports_mem_backing_file': False,
        # Glance images for this driver are docker tarballs, disk_format raw.
        'supports_image_type_raw': True,
    }

    def __init__(self, virtapi, read_only=False):
        super().__init__(virtapi)
        self._client = None
        self._host = None
        self._node = None
        self._image_api = glance.API()
        self._image_cache = None
        self._host_capabilities = frozenset()
        self._events = None

    # -- helpers --------------------------------------------------------

    @property
    def _state_dir(self):
        return CONF.docker.metadata_dir or CONF.instances_path

    @property
    def _tmp_dir(self):
        return os.path.join(self._state_dir, '_tmp')

    def _container(self, instance):
        return docker_client.find_container(self._client, self._node,
                                            instance.uuid)

    def _running_container(self, instance):
        container = self._container(instance)
        if container is None:
            raise exception.InstanceNotFound(instance_id=instance.uuid)
        return container

    # -- host -----------------------------------------------------------

    def init_host(self, host):
        """nova-compute start: connect to the engine (negotiating the API)."""
        docker_conf.validate(CONF)
        self._host = host
        self._node = nova.virt.node.get_local_node_uuid()
        try:
            self._client = docker_client.connect(CONF.docker)
            version = self._client.version()
        except docker_engine.DockerException as e:
            LOG.error('Cannot reach the Docker engine at %s: %s',
                      CONF.docker.api_url, e)
            raise exception.HypervisorUnavailable() from e
        LOG.info('Docker engine %s, API %s (negotiated) at %s',
                 version.get('Version'), self._client.api.api_version,
                 CONF.docker.api_url)
        self._image_cache = image_cache.ImageCache(
            self._client, self._image_api, host, tmp_dir=self._tmp_dir)
        self._host_capabilities = nested_engine.bounding_set()
        vifs.initialize()
        self._events = lifecycle.EngineEventWatcher(
            lambda: docker_client.connect(CONF.docker), self._node,
            self.emit_event)
        self._events.start()

    def cleanup_host(self, host):
        """nova-compute stop: stop the event reader, close the engine."""
        if self._events is not None:
            self._events.stop()
        if self._client is not None:
            self._client.close()

    def get_available_nodes(self, refresh=False):
        """Resource tracker: the one node, named as the host."""
        return [self._host or CONF.host]

    def get_nodenames_by_uuid(self, refresh=False):
        """nova-compute start: the node's persistent identity (compute_id)."""
        return {nova.virt.node.get_local_node_uuid():
                self.get_available_nodes()[0]}

    def get_host_uptime(self):
        """Hypervisor list/show (API >= 2.88 asks each host): host uptime."""
        with open('/proc/uptime') as f:
            seconds = int(float(f.read().split()[0]))
        days, rest = divmod(seconds, 86400)
        return 'up %d days, %d:%02d' % (days, rest // 3600,
                                        rest % 3600 // 60)

    def _host_totals(self):
        info = self._client.info()
        root = info.get('DockerRootDir') or ''
        disk_path = root if os.path.isdir(root) else self._state_dir
        disk = shutil.disk_usage(disk_path)
        return {'vcpus': int(info['NCPU']),
                'memory_mb': int(info['MemTotal']) // MiB,
                'local_gb': disk.total // GiB,
                'disk_free_gb': disk.free // GiB}

    def get_available_resource(self, nodename):
        """Resource tracker (update_available_resource): host capacity.

        Usage (``*_used``) is computed by the resource tracker from the
        instances' flavors; the driver reports capacity only.
        """
        totals = self._host_totals()
        version = self._client.version().get('Version')
        return {
            'vcpus': totals['vcpus'],
            'memory_mb': totals['memory_mb'],
            'local_gb': totals['local_gb'],
            'vcpus_used': 0,
            'memory_mb_used': 0,
            'local_gb_used': 0,
            'hypervisor_type': obj_fields.HVType.DOCKER,
            'hypervisor_version': engine_version_int(version),
            'hypervisor_hostname': nodename,
            'cpu_info': '{}',
            'disk_available_least': totals['disk_free_gb'],
            'supported_instances': [(
                obj_fields.Architecture.canonicalize(platform.machine()),
                obj_fields.HVType.DOCKER, obj_fields.VMMode.EXE)],
            'numa_topology': None,
            'uuid': nova.virt.node.get_local_node_uuid(),
        }

    def update_provider_tree(self, provider_tree, nodename, allocations=None):
        """Resource tracker: VCPU, MEMORY_MB and DISK_GB inventory.

        A host that allows nested engines also has their trait.
        """
        totals = self._host_totals()
        inventory = provider_tree.data(nodename).inventory
        ratios = self._get_allocation_ratios(inventory)
        reserved = {
            orc.VCPU: CONF.reserved_host_cpus,
            orc.MEMORY_MB: CONF.reserved_host_memory_mb,
            orc.DISK_GB: self._get_reserved_host_disk_gb_from_config(),
        }
        total = {orc.VCPU: totals['vcpus'],
                 orc.MEMORY_MB: totals['memory_mb'],
                 orc.DISK_GB: totals['local_gb']}
        provider_tree.update_inventory(nodename, {
            rc: {'total': total[rc], 'min_unit': 1, 'max_unit': total[rc],
                 'step_size': 1, 'allocation_ratio': ratios[rc],
                 'reserved': reserved[rc]}
            for rc in total})
        if CONF.docker.allow_nested_engines:
            provider_tree.add_traits(nodename, nested_engine.TRAIT)
        else:
            provider_tree.remove_traits(nodename, nested_engine.TRAIT)

    # -- inventory of instances -------------------------------------------

    def list_instance_uuids(self):
        """Power sync and cleanup tasks: uuids of this host's containers."""
        return [c.labels[docker_client.LABEL_INSTANCE] for c in
                docker_client.list_containers(self._client, self._node)]

    def list_instances(self):
        """Instance counts and cleanup: this host's container names."""
        return [c.name for c in
                docker_client.list_containers(self._client, self._node)]

    def instance_exists(self, instance):
        """Compute manager checks: is the instance's container there?"""
        return self._container(instance) is not None

    def get_info(self, instance, use_cache=True):
        """Power-state sync and every action's end: the container's state."""
        container = self._running_container(instance)
        return hardware.InstanceInfo(
            state=power_state.from_docker(container.status),
            internal_id=container.id)

    # -- boot and delete --------------------------------------------------

    def _create_kwargs(self, instance, image, network_info, nested=False):
        flavor = instance.flavor
        group = CONF.docker
        md_dir = metadata.write(self._state_dir, instance)
        kwargs = {
            'image': image.id,
            'name': 'magnumlite-%s' % instance.uuid,
            'hostname': (instance.hostname or instance.uuid)[:63],
            'labels': docker_client.labels(self._host, self._node,
                                           instance.uuid),
            'environment': metadata.environment(instance),
            'volumes': {md_dir: {'bind': metadata.MOUNT_POINT,
                                 'mode': 'ro'}},
            'mem_limit': '%dm' % flavor.memory_mb,
            'memswap_limit': '%dm' % flavor.memory_mb,
            'pids_limit': group.pids_limit,
            'network_mode': 'none',
            'dns': vifs.dns_servers(network_info),
            'privileged': False,
        }
        kwargs.update(cpu_limits(flavor.vcpus, group.cpu_limit))
        if group.cap_add:
            kwargs['cap_add'] = list(group.cap_add)
        if group.no_new_privileges:
            kwargs['security_opt'] = ['no-new-privileges']
        if nested:
            kwargs = nested_engine.grant(kwargs, instance,
                                         self._host_capabilities)
        return kwargs

    def spawn(self, context, instance, image_meta, injected_files,
              admin_password, allocations, network_info=None,
              block_device_info=None, power_on=True, accel_info=None):
        """Server create (and rebuild, unshelve): load the image, run it."""
        nested = nested_engine.requested(instance,
                                         CONF.docker.allow_nested_engines)
        image, downloaded = self._image_cache.ensure(context, image_meta)
        LOG.debug('Image %s %s', image_meta.id,
                  'downloaded and loaded' if downloaded else 'from cache',
                  instance=instance)
        kwargs = self._create_kwargs(instance, image, network_info, nested)
        if nested:
            nested_engine.create_volume(self._client, instance.uuid,
                                        kwargs['labels'])
        container = self._client.containers.create(**kwargs)
        if not power_on:
            return
        events = self._vif_plugged_events(network_info)
        try:
            with self._wait_for_events(instance, events):
                container.start()
                # From when the engine has started it: on a loaded host the
                # start request alone can take longer than the period.
                started = time.monotonic()
                self._plug_all(instance, network_info, container)
        except exception.InstanceEventTimeout:
            # wait_for_instance_event has logged which events are missing.
            if CONF.vif_plugging_is_fatal:
                self._remove(instance, network_info, container)
                raise exception.VirtualInterfaceCreateException()
        except Exception:
            with excutils.save_and_reraise_exception():
                self._remove(instance, network_info, container)
        self._check_still_running(container, instance, started)

    @staticmethod
    def _vif_plugged_events(network_info):
        # As libvirt: wait only for ports Neutron has not reported up yet
        # (and not at all with vif_plugging_timeout = 0).
        if not CONF.vif_plugging_timeout:
            return []
        return [('network-vif-plugged', vif['id'])
                for vif in network_info or []
                if vif.get('active', True) is False]

    def _wait_for_events(self, instance, events):
        if not events:
            return contextlib.nullcontext()
        return self.virtapi.wait_for_instance_event(
            instance, events, timeout=CONF.vif_plugging_timeout,
            error_callback=self._neutron_failed_callback)

    @staticmethod
    def _neutron_failed_callback(event_name, instance):
        LOG.error('Neutron reported failure on event %s', event_name,
                  instance=instance)
        if CONF.vif_plugging_is_fatal:
            raise exception.VirtualInterfaceCreateException()

    def _plug_all(self, instance, network_info, container):
        """Wire every port into the container's current namespace."""
        if not network_info:
            return
        container.reload()
        pid = container.attrs['State']['Pid']
        for index, vif in enumerate(network_info):
            vifs.plug(instance, vif, pid, vifs.CONTAINER_IFNAME % index)

    def _unplug_all(self, instance, network_info):
        for vif in network_info or []:
            vifs.unplug(instance, vif)

    def _remove(self, instance, network_info, container):
        try:
            container.remove(force=True, v=True)
        except docker_engine.NotFound:
            pass
        self._unplug_all(instance, network_info)

    def _check_still_running(self, container, instance, started):
        """Fail the boot of a container that exited at once, with its logs.

        A container counts as exiting at once if it ends within
        ``[docker] boot_grace_period`` of its start. The time spent
        plugging ports counts: the wait is only what is left of the
        period, and it ends as soon as the container does. An exit after
        that is reported to Nova as a lifecycle event (lifecycle.py).
        """
        left = CONF.docker.boot_grace_period - (time.monotonic() - started)
        if left > 0:
            try:
                container.wait(condition='not-running', timeout=left)
            except docker_engine.WAIT_TIMEOUTS:
                pass    # still running: the usual case
        container.reload()
        if container.status == 'running':
            return
        code = container.attrs['State'].get('ExitCode')
        logs = container.logs(
            tail=CONF.docker.boot_failure_log_lines).decode('utf-8', 'replace')
        container.remove(force=True)
        reason = ('container exited at boot (status %s, exit code %s); '
                  'last log lines:\n%s' % (container.status, code,
                                           logs.strip() or '(no output)'))
        raise ContainerExitedAtBoot(instance_uuid=instance.uuid,
                                    reason=reason)

    def destroy(self, context, instance, network_info, block_device_info=None,
                destroy_disks=True, destroy_secrets=True):
        """Server delete (and rebuild, failed boot): remove the container.

        Idempotent: a container that is already gone is success.
        """
        container = self._container(instance)
        if container is not None:
            self._remove(instance, network_info, container)
        else:
            self._unplug_all(instance, network_info)
        if destroy_disks:
            self._remove_disks(instance)

    def _remove_disks(self, instance):
        """The metadata directory, and a nested engine's volume."""
        metadata.remove(self._state_dir, instance.uuid)
        nested_engine.remove_volume(self._client, instance.uuid)

    def cleanup(self, context, instance, network_info, block_device_info=None,
                destroy_disks=True, migrate_data=None, destroy_vifs=True,
                destroy_secrets=True):
        """Cleanup after delete, failed builds and evacuation.

        Removes what destroy leaves on the host: the metadata directory, a
        nested engine's volume, and the ports' OVS ports and veths if
        destroy did not run.
        """
        if destroy_vifs:
            self._unplug_all(instance, network_info)
        if destroy_disks:
            self._remove_disks(instance)

    # -- power ----------------------------------------------------------

    def reboot(self, context, instance, network_info, reboot_type,
               block_device_info=None, bad_volumes_callback=None,
               accel_info=None, share_info=None):
        """Server reboot: ``docker restart``.

        SOFT: SIGTERM first; HARD: killed at once. A paused container is
        unpaused first.
        """
        container = self._running_container(instance)
        if container.status == 'paused':
            container.unpause()
        timeout = CONF.docker.reboot_timeout if reboot_type == 'SOFT' else 0
        container.restart(timeout=timeout)
        started = time.monotonic()
        self._plug_all(instance, network_info, container)
        self._check_still_running(container, instance, started)

    def power_off(self, instance, timeout=0, retry_interval=0):
        """Server stop: ``docker stop`` (SIGTERM, SIGKILL after timeout)."""
        self._running_container(instance).stop(timeout=timeout)

    def power_on(self, context, instance, network_info,
                 block_device_info=None, accel_info=None, share_info=None):
        """Server start: ``docker start``, then the ports are re-plugged."""
        container = self._running_container(instance)
        container.start()
        self._plug_all(instance, network_info, container)

    def resume_state_on_host_boot(self, context, instance, network_info,
                                  share_info, block_device_info=None):
        """nova-compute start (resume_guests_state_on_host_boot).

        Brings a server that should be running back up.
        """
        container = self._running_container(instance)
        if container.status == 'paused':
            container.unpause()
        elif container.status != 'running':
            container.start()
        self._plug_all(instance, network_info, container)

    def pause(self, instance):
        """Server pause: ``docker pause`` (cgroup freezer)."""
        self._running_container(instance).pause()

    def unpause(self, instance):
        """Server unpause: ``docker unpause``."""
        self._running_container(instance).unpause()

    def suspend(self, context, instance):
        """Server suspend: ``docker pause``; memory stays allocated."""
        self._running_container(instance).pause()

    def resume(self, context, instance, network_info, block_device_info=None,
               share_info=None):
        """Server resume: ``docker unpause``."""
        self._running_container(instance).unpause()

    # -- console and snapshot ---------------------------------------------

    def get_console_output(self, context, instance):
        """Server console log: the container's stdout and stderr.

        At most the last ``[docker] console_log_kib`` KiB.
        """
        limit = CONF.docker.console_log_kib * 1024
        container = self._running_container(instance)
        # Whole lines are asked for by count; the byte bound is applied after.
        return container.logs(tail=limit // 16 or 1)[-limit:]

    def snapshot(self, context, instance, image_id, update_task_state):
        """Server image create: commit, save, upload to Glance.

        The container is paused while committed; the ``docker save``
        tarball goes to Glance as container_format=docker, disk_format=raw.
        The committed image is removed whether the upload worked or not.
        """
        container = self._container(instance)
        if container is None:
            raise exception.InstanceNotRunning(instance_id=instance.uuid)
        snapshot = self._image_api.get(context, image_id)
        image_meta = {
            'status': 'active', 'name': snapshot['name'],
            'disk_format': 'raw',
            'container_format': image_cache.DOCKER_CONTAINER_FORMAT,
            'properties': {'image_location': 'snapshot',
                           'image_state': 'available',
                           'owner_id': instance.project_id}}
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)
        repository = SNAPSHOT_REPOSITORY + image_id
        committed = None
        try:
            committed = self._commit_paused(container, repository)
            update_task_state(task_state=task_states.IMAGE_UPLOADING,
                              expected_state=task_states.IMAGE_PENDING_UPLOAD)
            self._upload(context, image_id, committed, image_meta)
        finally:
            if committed is not None:
                self._client.images.remove(repository + ':latest',
                                           force=True)

    def _commit_paused(self, container, repository):
        paused_here = container.status == 'running'
        if paused_here:
            container.pause()
        try:
            return container.commit(repository=repository, tag='latest',
                                    pause=False)
        finally:
            if paused_here:
                container.unpause()

    def _upload(self, context, image_id, image, image_meta):
        os.makedirs(self._tmp_dir, exist_ok=True)
        with tempfile.TemporaryFile(dir=self._tmp_dir) as tarball:
            for chunk in image.save(named=True):
                tarball.write(chunk)
            tarball.seek(0)
            self._image_api.update(context, image_id, image_meta,
                                   data=tarball, purge_props=False)

    def manage_image_cache(self, context, all_instances):
        """Image cache periodic task: forget images no instance here uses.

        Only with ``[image_cache] remove_unused_base_images`` (default on);
        a later boot of a dropped image downloads it again.
        """
        if not CONF.image_cache.remove_unused_base_images:
            return
        dropped = self._image_cache.remove_unused(
            {instance.image_ref for instance in all_instances})
        if dropped:
            LOG.info('Removed unused cached images: %s', ', '.join(dropped))

    # -- networking -----------------------------------------------------

    def plug_vifs(self, instance, network_info):
        """nova-compute start: re-wire the ports of running containers.

        Idempotent: ports still in place are left alone; a container
        restarted while nova-compute was down gets them plugged into its
        new namespace. A stopped container has no namespace: power_on
        plugs its ports.
        """
        container = self._container(instance)
        if container is not None and container.status in ('running', 'paused'):
            self._plug_all(instance, network_info, container)

    def unplug_vifs(self, instance, network_info):
        """Unplug every port (OVS port and veth)."""
        self._unplug_all(instance, network_info)

    def attach_interface(self, context, instance, image_meta, vif):
        """Server add port/network: plug it live as the next free ethN.

        A stopped server's container has no namespace; the port is in its
        network_info and gets plugged when it starts.
        """
        container = self._running_container(instance)
        if container.status not in ('running', 'paused'):
            return
        container.reload()
        pid = container.attrs['State']['Pid']
        try:
            vifs.plug(instance, vif, pid, vifs.next_ifname(pid))
        except Exception as e:
            LOG.error('Attaching port %s failed: %s', vif['id'], e,
                      instance=instance)
            vifs.unplug(instance, vif)
            raise exception.InterfaceAttachFailed(
                instance_uuid=instance.uuid) from e

    def detach_interface(self, context, instance, vif):
        """Server remove port: unplug it (its veth and OVS port go)."""
        vifs.unplug(instance, vif)
