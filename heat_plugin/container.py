"""OS::Magnumlite::Container: a Docker container with a modern schema.

Updates in place what Docker can change on a live container (its name,
memory and CPU shares); any other change replaces the container. Suspend
and resume pause and unpause it.
"""

import shlex

from heat.common import exception
from heat.engine import attributes
from heat.engine import constraints
from heat.engine import properties

from heat_plugin import common


class Container(common.ContainerResource):
    """A Docker container on the operator's Docker engine."""

    OWN_PROPERTIES = (
        COMMAND, ENVIRONMENT, MEMORY, CPU_SHARES, RESTART_POLICY, PORTS,
        VOLUMES, DEVICES, WORKDIR, LABELS,
    ) = (
        'command', 'environment', 'memory', 'cpu_shares', 'restart_policy',
        'ports', 'volumes', 'devices', 'workdir', 'labels',
    )
    PROPERTIES = common.ContainerResource.SHARED_PROPERTIES + OWN_PROPERTIES

    _PORT_KEYS = (
        PORT, PROTOCOL, HOST_PORT,
    ) = (
        'port', 'protocol', 'host_port',
    )

    _VOLUME_KEYS = (
        MOUNT_PATH, HOST_PATH, READ_ONLY,
    ) = (
        'mount_path', 'host_path', 'read_only',
    )

    OWN_ATTRIBUTES = (
        NAME_ATTR, STATUS, IP_ADDRESS, EXIT_CODE,
    ) = (
        'name', 'status', 'ip_address', 'exit_code',
    )
    ATTRIBUTES = common.ContainerResource.SHARED_ATTRIBUTES + OWN_ATTRIBUTES

    RESTART_POLICIES = ('no', 'always', 'unless-stopped', 'on-failure')

    properties_schema = {
        **common.ContainerResource.shared_properties_schema(
            name_update_allowed=True),
        COMMAND: properties.Schema(
            properties.Schema.ANY,
            'Command: a list of arguments, or a string split like a shell '
            'would.'),
        ENVIRONMENT: properties.Schema(
            properties.Schema.MAP, 'Environment variables.', default={}),
        MEMORY: properties.Schema(
            properties.Schema.INTEGER, 'Memory limit in MiB.',
            constraints=[constraints.Range(min=6)],
            update_allowed=True),
        CPU_SHARES: properties.Schema(
            properties.Schema.INTEGER, 'Relative CPU weight.',
            constraints=[constraints.Range(min=2)],
            update_allowed=True),
        RESTART_POLICY: properties.Schema(
            properties.Schema.STRING,
            'Restart policy: no, always, unless-stopped, on-failure or '
            'on-failure:N.', default='no'),
        PORTS: properties.Schema(
            properties.Schema.LIST, 'Ports to expose, and publish.',
            schema=properties.Schema(
                properties.Schema.MAP,
                schema={
                    PORT: properties.Schema(
                        properties.Schema.INTEGER, 'Container port.',
                        required=True,
                        constraints=[constraints.Range(1, 65535)]),
                    PROTOCOL: properties.Schema(
                        properties.Schema.STRING, 'tcp or udp.',
                        default='tcp',
                        constraints=[constraints.AllowedValues(
                            ['tcp', 'udp'])]),
                    HOST_PORT: properties.Schema(
                        properties.Schema.INTEGER,
                        'Host port to publish on (0: any).',
                        constraints=[constraints.Range(0, 65535)]),
                }),
            default=[]),
        VOLUMES: properties.Schema(
            properties.Schema.LIST,
            'Volumes; one with host_path is a bind mount (needs '
            '[magnumlite_containers] allow_host_mounts).',
            schema=properties.Schema(
                properties.Schema.MAP,
                schema={
                    MOUNT_PATH: properties.Schema(
                        properties.Schema.STRING, 'Path in the container.',
                        required=True),
                    HOST_PATH: properties.Schema(
                        properties.Schema.STRING, 'Host path to bind.'),
                    READ_ONLY: properties.Schema(
                        properties.Schema.BOOLEAN, 'Mount read-only.',
                        default=False),
                }),
            default=[]),
        DEVICES: properties.Schema(
            properties.Schema.LIST,
            'Host devices, "/dev/x[:/dev/y[:rwm]]" (needs '
            '[magnumlite_containers] allow_devices).', default=[]),
        WORKDIR: properties.Schema(
            properties.Schema.STRING, 'Working directory of the command.'),
        LABELS: properties.Schema(
            properties.Schema.MAP, 'Docker labels.', default={}),
    }

    attributes_schema = {
        **common.ContainerResource.shared_attributes_schema,
        NAME_ATTR: attributes.Schema('Name of the container.',
                                     type=attributes.Schema.STRING),
        STATUS: attributes.Schema('Docker status (running, exited, ...).',
                                  type=attributes.Schema.STRING),
        IP_ADDRESS: attributes.Schema('IP address on the default network.',
                                      type=attributes.Schema.STRING),
        EXIT_CODE: attributes.Schema('Exit code, once it exited.',
                                     type=attributes.Schema.INTEGER),
    }

    def _command(self):
        command = self.properties[self.COMMAND]
        if command is None or isinstance(command, list):
            return command
        return shlex.split(str(command))

    def _restart_policy(self):
        name, _sep, count = self.properties[self.RESTART_POLICY].partition(
            ':')
        if name == 'no':
            return None
        return {'Name': name, 'MaximumRetryCount': int(count or 0)}

    def validate(self):
        super().validate()
        command = self.properties[self.COMMAND]
        if command is not None and not isinstance(command, (str, list)):
            raise exception.StackValidationFailed(
                message='command must be a string or a list')
        name, _sep, count = self.properties[self.RESTART_POLICY].partition(
            ':')
        bad_count = count and (name != 'on-failure' or not count.isdigit())
        if name not in self.RESTART_POLICIES or bad_count:
            raise exception.StackValidationFailed(
                message='restart_policy must be one of %s (on-failure:N)'
                        % ', '.join(self.RESTART_POLICIES))
        if any(v.get(self.HOST_PATH) for v in self.properties[self.VOLUMES]):
            common.refuse_unless('allow_host_mounts', 'bind mount of a host '
                                 'path')
        if self.properties[self.DEVICES]:
            common.refuse_unless('allow_devices', 'host device(s)')

    def create_container(self, client):
        props = self.properties
        binds = {v[self.HOST_PATH]: {'bind': v[self.MOUNT_PATH],
                                     'mode': 'ro' if v[self.READ_ONLY]
                                     else 'rw'}
                 for v in props[self.VOLUMES] if v.get(self.HOST_PATH)}
        ports, port_bindings = [], {}
        for p in props[self.PORTS]:
            key = (p[self.PORT], p[self.PROTOCOL])
            ports.append(key)
            if p.get(self.HOST_PORT) is not None:
                port_bindings['%s/%s' % key] = p[self.HOST_PORT] or None
        memory = props[self.MEMORY]
        host_config = client.create_host_config(
            binds=binds or None,
            port_bindings=port_bindings or None,
            privileged=props[self.PRIVILEGED],
            devices=props[self.DEVICES] or None,
            restart_policy=self._restart_policy(),
            mem_limit='%dm' % memory if memory else None,
            memswap_limit=-1 if memory else None,
            cpu_shares=props[self.CPU_SHARES],
        )
        labels = dict(props[self.LABELS])
        labels.update(self.labels())
        result = client.create_container(
            image=props[self.IMAGE],
            command=self._command(),
            name=props[self.NAME],
            hostname=props[self.HOSTNAME],
            working_dir=props[self.WORKDIR],
            environment={k: str(v) for k, v in
                         props[self.ENVIRONMENT].items()} or None,
            ports=ports or None,
            volumes=[v[self.MOUNT_PATH] for v in props[self.VOLUMES]] or None,
            labels=labels,
            host_config=host_config)
        return result['Id']

    def handle_update(self, json_snippet, tmpl_diff, prop_diff):
        """Rename, or change memory/CPU of, the live container."""
        if not prop_diff or not self.resource_id:
            return None
        client = self.client()
        if self.NAME in prop_diff:
            name = prop_diff[self.NAME] or self.physical_resource_name()
            client.rename(self.resource_id, name)
        limits = {}
        if self.MEMORY in prop_diff:
            memory = prop_diff[self.MEMORY]
            if memory is None:
                raise exception.UpdateReplace(self.name)
            limits.update(mem_limit='%dm' % memory, memswap_limit=-1)
        if self.CPU_SHARES in prop_diff:
            if prop_diff[self.CPU_SHARES] is None:
                raise exception.UpdateReplace(self.name)
            limits['cpu_shares'] = prop_diff[self.CPU_SHARES]
        if limits:
            client.update_container(self.resource_id, **limits)
        return self.resource_id

    def attribute_from_info(self, name, info):
        if name == self.NAME_ATTR:
            return info['Name'].lstrip('/')
        if name == self.STATUS:
            return info['State']['Status']
        if name == self.EXIT_CODE:
            return info['State']['ExitCode']
        if name == self.IP_ADDRESS:
            return info['NetworkSettings'].get('IPAddress')
        return None


def resource_mapping():
    return {'OS::Magnumlite::Container': Container}


def available_resource_mapping():
    if common.DOCKER_INSTALLED:
        return resource_mapping()
    return {}
