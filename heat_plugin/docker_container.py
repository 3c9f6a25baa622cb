"""DockerInc::Docker::Container, compatible with Heat's old contrib plugin.

Same property and attribute names as contrib/docker in Heat, so existing
templates run unchanged; implemented on the Docker SDK 7 (host config at
create time, not start arguments). Unlike the old plugin, a container that
exits 0 completes its create, one that exits non-zero fails it with the log
tail, and delete removes the container (tolerating one already gone).
"""

from heat.engine import attributes
from heat.engine import properties

from heat_plugin import common


class DockerContainer(common.ContainerResource):
    """A Docker container, with the old contrib plugin's schema."""

    OWN_PROPERTIES = (
        USER, MEMORY, PORT_SPECS, TTY, OPEN_STDIN, STDIN_ONCE, ENV, CMD, DNS,
        VOLUMES, VOLUMES_FROM, PORT_BINDINGS, LINKS, RESTART_POLICY, CAP_ADD,
        CAP_DROP, READ_ONLY, CPU_SHARES, DEVICES, CPU_SET,
        ATTACH_STDIN, ATTACH_STDOUT, ATTACH_STDERR,
    ) = (
        'user', 'memory', 'port_specs', 'tty', 'open_stdin', 'stdin_once',
        'env', 'cmd', 'dns', 'volumes', 'volumes_from', 'port_bindings',
        'links', 'restart_policy', 'cap_add', 'cap_drop', 'read_only',
        'cpu_shares', 'devices', 'cpu_set',
        'attach_stdin', 'attach_stdout', 'attach_stderr',
    )
    PROPERTIES = common.ContainerResource.SHARED_PROPERTIES + OWN_PROPERTIES

    _RESTART_POLICY_KEYS = (
        POLICY_NAME, POLICY_MAXIMUM_RETRY_COUNT,
    ) = (
        'Name', 'MaximumRetryCount',
    )

    _DEVICE_KEYS = (
        PATH_ON_HOST, PATH_IN_CONTAINER, PERMISSIONS,
    ) = (
        'path_on_host', 'path_in_container', 'permissions',
    )

    OWN_ATTRIBUTES = (
        NETWORK_INFO, NETWORK_IP, NETWORK_GATEWAY, NETWORK_TCP_PORTS,
        NETWORK_UDP_PORTS, LOGS, LOGS_HEAD,
    ) = (
        'network_info', 'network_ip', 'network_gateway', 'network_tcp_ports',
        'network_udp_ports', 'logs', 'logs_head',
    )
    ATTRIBUTES = common.ContainerResource.SHARED_ATTRIBUTES + OWN_ATTRIBUTES

    LOG_ATTRIBUTES = common.ContainerResource.LOG_ATTRIBUTES + (
        LOGS, LOGS_HEAD)

    properties_schema = {
        # the old plugin's hostname defaults to '' (the same as none)
        **common.ContainerResource.shared_properties_schema(
            hostname_default=''),
        USER: properties.Schema(
            properties.Schema.STRING, 'Username or UID.', default=''),
        MEMORY: properties.Schema(
            properties.Schema.INTEGER, 'Memory limit (bytes); 0: none.',
            default=0),
        PORT_SPECS: properties.Schema(
            properties.Schema.LIST,
            'Ports to expose: "80", "53/udp" or numbers.'),
        TTY: properties.Schema(
            properties.Schema.BOOLEAN, 'Allocate a pseudo-tty.',
            default=False),
        OPEN_STDIN: properties.Schema(
            properties.Schema.BOOLEAN, 'Open stdin.', default=False),
        STDIN_ONCE: properties.Schema(
            properties.Schema.BOOLEAN,
            'Close stdin after the first attached client disconnects.',
            default=False),
        ENV: properties.Schema(
            properties.Schema.LIST,
            'Environment variables, "NAME=value".'),
        CMD: properties.Schema(
            properties.Schema.LIST,
            'Command to run after spawning the container.', default=[]),
        DNS: properties.Schema(
            properties.Schema.LIST, 'Custom DNS servers.'),
        VOLUMES: properties.Schema(
            properties.Schema.MAP,
            'Volumes: {"/container/path": {}} for a volume, or '
            '{"/host/path": {"bind": "/container/path", "ro": false}} for a '
            'bind mount (needs [magnumlite_containers] allow_host_mounts).',
            default={}),
        VOLUMES_FROM: properties.Schema(
            properties.Schema.LIST,
            'Containers to mount all volumes from (needs '
            '[magnumlite_containers] allow_host_mounts).', default=[]),
        PORT_BINDINGS: properties.Schema(
            properties.Schema.MAP,
            'Port bindings, e.g. {"80/tcp": [{"HostPort": "8080"}]} or '
            '{"80": 8080}.'),
        LINKS: properties.Schema(
            properties.Schema.MAP, 'Links: {container name: alias}.'),
        RESTART_POLICY: properties.Schema(
            properties.Schema.MAP,
            'Restart policy: {"Name": "always", "MaximumRetryCount": 0}.',
            schema={
                POLICY_NAME: properties.Schema(
                    properties.Schema.STRING, 'Policy name.',
                    default='no'),
                POLICY_MAXIMUM_RETRY_COUNT: properties.Schema(
                    properties.Schema.INTEGER,
                    'Retries, with on-failure.', default=0),
            },
            default={}),
        CAP_ADD: properties.Schema(
            properties.Schema.LIST, 'Kernel capabilities to add (needs '
            '[magnumlite_containers] allow_privileged).', default=[]),
        CAP_DROP: properties.Schema(
            properties.Schema.LIST, 'Kernel capabilities to drop.',
            default=[]),
        READ_ONLY: properties.Schema(
            properties.Schema.BOOLEAN, 'Read-only root file system.',
            default=False),
        CPU_SHARES: properties.Schema(
            properties.Schema.INTEGER, 'Relative CPU weight; 0: default.',
            default=0),
        DEVICES: properties.Schema(
            properties.Schema.LIST,
            'Host devices (needs [magnumlite_containers] allow_devices).',
            schema=properties.Schema(
                properties.Schema.MAP,
                schema={
                    PATH_ON_HOST: properties.Schema(
                        properties.Schema.STRING, 'Path on the host.',
                        required=True),
                    PATH_IN_CONTAINER: properties.Schema(
                        properties.Schema.STRING,
                        'Path in the container (default: as on the host).'),
                    PERMISSIONS: properties.Schema(
                        properties.Schema.STRING, 'Cgroup permissions.',
                        default='rwm'),
                }),
            default=[]),
        CPU_SET: properties.Schema(
            properties.Schema.STRING, 'CPUs the container may use.'),
        # accepted for old templates; Docker has no use for them here
        ATTACH_STDIN: properties.Schema(
            properties.Schema.BOOLEAN, 'Ignored (old plugin).',
            default=False),
        ATTACH_STDOUT: properties.Schema(
            properties.Schema.BOOLEAN, 'Ignored (old plugin).',
            default=True),
        ATTACH_STDERR: properties.Schema(
            properties.Schema.BOOLEAN, 'Ignored (old plugin).',
            default=True),
    }

    attributes_schema = {
        **common.ContainerResource.shared_attributes_schema,
        NETWORK_INFO: attributes.Schema('Container network info.',
                                        type=attributes.Schema.MAP),
        NETWORK_IP: attributes.Schema('Container IP address.',
                                      type=attributes.Schema.STRING),
        NETWORK_GATEWAY: attributes.Schema('Container network gateway.',
                                           type=attributes.Schema.STRING),
        NETWORK_TCP_PORTS: attributes.Schema(
            'Published TCP host ports, comma separated.',
            type=attributes.Schema.STRING),
        NETWORK_UDP_PORTS: attributes.Schema(
            'Published UDP host ports, comma separated.',
            type=attributes.Schema.STRING),
        LOGS: attributes.Schema('Container logs.',
                                type=attributes.Schema.STRING),
        LOGS_HEAD: attributes.Schema('First line of the logs.',
                                     type=attributes.Schema.STRING),
    }

    def host_mounts(self):
        volumes = self.properties[self.VOLUMES] or {}
        return {path: spec for path, spec in volumes.items()
                if isinstance(spec, dict) and spec.get('bind')}

    def validate(self):
        super().validate()
        if self.properties[self.CAP_ADD]:
            common.refuse_unless('allow_privileged', 'adding kernel '
                                 'capabilities (cap_add)')
        if self.properties[self.VOLUMES_FROM]:
            # other containers on the engine may be other projects'
            common.refuse_unless('allow_host_mounts', 'mounting the volumes '
                                 'of other containers (volumes_from)')
        if self.host_mounts():
            common.refuse_unless('allow_host_mounts',
                                 'bind mount of host path(s) %s'
                                 % ', '.join(sorted(self.host_mounts())))
        if self.properties[self.DEVICES]:
            common.refuse_unless('allow_devices', 'host device(s)')

    @staticmethod
    def _ports(specs):
        ports = []
        for spec in specs or []:
            number, _sep, proto = str(spec).partition('/')
            ports.append((int(number), proto) if proto else int(number))
        return ports

    @staticmethod
    def _port_bindings(bindings):
        result = {}
        for port, target in (bindings or {}).items():
            if isinstance(target, list):       # Docker API form
                target = [(t.get('HostIp', ''), t['HostPort'])
                          if t.get('HostIp') else t.get('HostPort')
                          for t in target]
                target = target[0] if len(target) == 1 else target
            result[port] = target
        return result

    def create_container(self, client):
        props = self.properties
        binds = {host: {'bind': spec['bind'],
                        'mode': 'ro' if spec.get('ro') else 'rw'}
                 for host, spec in self.host_mounts().items()}
        volumes = [spec['bind'] for spec in binds.values()]
        volumes += [path for path in (props[self.VOLUMES] or {})
                    if path not in binds]
        policy = props[self.RESTART_POLICY] or {}
        restart_policy = None
        if policy.get(self.POLICY_NAME, 'no') != 'no':
            restart_policy = {
                'Name': policy[self.POLICY_NAME],
                'MaximumRetryCount': policy.get(
                    self.POLICY_MAXIMUM_RETRY_COUNT) or 0}
        devices = []
        for dev in props[self.DEVICES] or []:
            host = dev[self.PATH_ON_HOST]
            devices.append('%s:%s:%s' % (
                host, dev.get(self.PATH_IN_CONTAINER) or host,
                dev.get(self.PERMISSIONS) or 'rwm'))
        host_config = client.create_host_config(
            binds=binds or None,
            port_bindings=self._port_bindings(props[self.PORT_BINDINGS]),
            links=props[self.LINKS] or None,
            privileged=props[self.PRIVILEGED],
            dns=props[self.DNS] or None,
            volumes_from=props[self.VOLUMES_FROM] or None,
            restart_policy=restart_policy,
            cap_add=props[self.CAP_ADD] or None,
            cap_drop=props[self.CAP_DROP] or None,
            read_only=props[self.READ_ONLY] or None,
            devices=devices or None,
            mem_limit=props[self.MEMORY] or None,
            cpu_shares=props[self.CPU_SHARES] or None,
            cpuset_cpus=props[self.CPU_SET] or None,
        )
        config = client.create_container_config(
            image=props[self.IMAGE],
            command=props[self.CMD] or None,
            hostname=props[self.HOSTNAME] or None,
            user=props[self.USER] or None,
            stdin_open=props[self.OPEN_STDIN],
            tty=props[self.TTY],
            ports=self._ports(props[self.PORT_SPECS]) or None,
            environment=props[self.ENV] or None,
            volumes=volumes or None,
            host_config=host_config,
            labels=self.labels(),
        )
        config['StdinOnce'] = props[self.STDIN_ONCE]
        result = client.create_container_from_config(config,
                                                     props[self.NAME])
        return result['Id']

    def attribute_from_logs(self, name, logs):
        if name == self.LOGS_HEAD:
            return common.first_line(logs)
        if name == self.LOGS:
            return logs
        return super().attribute_from_logs(name, logs)

    def attribute_from_info(self, name, info):
        net = self.network_info(info)
        return {self.NETWORK_INFO: net,
                self.NETWORK_IP: net.get('IPAddress'),
                self.NETWORK_GATEWAY: net.get('Gateway'),
                self.NETWORK_TCP_PORTS: net['TcpPorts'],
                self.NETWORK_UDP_PORTS: net['UdpPorts']}.get(name)


def resource_mapping():
    return {'DockerInc::Docker::Container': DockerContainer}


def available_resource_mapping():
    if common.DOCKER_INSTALLED:
        return resource_mapping()
    common.LOG.warning('magnumlite heat_plugin loaded, but the docker '
                       'library is not installed: no container resources')
    return {}
