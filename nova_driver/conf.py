"""The ``[docker]`` option group of nova-compute's configuration.

Registered on nova's CONF when :mod:`nova_driver.driver` is imported; the
sample config comes from ``list_opts`` through the ``oslo.config.opts``
entry point ``nova_driver.conf = nova_driver.conf:list_opts``.
"""

from oslo_config import cfg

from magnumlite.common import docker_engine

GROUP = cfg.OptGroup(
    'docker', title='Docker virt driver',
    help='How magnumlite\'s Nova virt driver (compute_driver = '
         'magnumlite.DockerDriver) reaches the Docker engine and confines '
         'the containers it runs.')

CPU_LIMIT_MODES = ('nano_cpus', 'cpu_shares')

OPTS = [
    cfg.StrOpt('api_url', default='unix:///var/run/docker.sock',
               help='Docker engine endpoint: unix:///path/to/docker.sock or '
                    'tcp://host:port (TCP requires tls_cert, tls_key and '
                    'tls_cacert). The API version is negotiated with the '
                    'engine, never pinned.'),
    cfg.StrOpt('tls_cacert', help='CA certificate the engine\'s TLS '
                                  'certificate must be signed by.'),
    cfg.StrOpt('tls_cert', help='Client certificate for a TLS endpoint.'),
    cfg.StrOpt('tls_key', help='Client key for a TLS endpoint.'),
    cfg.IntOpt('api_timeout', default=120, min=1,
               help='Seconds to wait for one Docker API call.'),
    cfg.StrOpt('cpu_limit', default='nano_cpus', choices=CPU_LIMIT_MODES,
               help='How flavor vcpus become a CPU limit: nano_cpus caps the '
                    'container at vcpus CPUs (hard limit, like a VM); '
                    'cpu_shares gives it 1024 shares per vcpu (a relative '
                    'weight, only felt under contention).'),
    cfg.IntOpt('pids_limit', default=1024, min=-1,
               help='Maximum number of processes in one container (-1: '
                    'unlimited).'),
    cfg.FloatOpt('boot_grace_period', default=0.2, min=0,
                 help='A container whose process ends within this many '
                      'seconds of its start fails the boot, with its last '
                      'log lines in the fault. Not a sleep: spawn waits at '
                      'most what is left of the period after plugging the '
                      'ports, and no longer than the container runs. A '
                      'later exit is reported to Nova as a lifecycle event '
                      '(the server becomes SHUTOFF).'),
    cfg.IntOpt('boot_failure_log_lines', default=20, min=1,
               help='How many of the last log lines of a container that '
                    'exited at boot go into the instance fault.'),
    cfg.IntOpt('console_log_kib', default=64, min=1,
               help='get_console_output returns at most the last this many '
                    'KiB of the container\'s logs.'),
    cfg.IntOpt('reboot_timeout', default=10, min=0,
               help='Seconds a soft reboot waits for the container to stop '
                    'on SIGTERM before it is killed.'),
    cfg.ListOpt('cap_add', default=[],
                help='Linux capabilities added to every container on top of '
                     'Docker\'s default set (e.g. NET_ADMIN). Containers are '
                     'never privileged; users cannot ask for more.'),
    cfg.BoolOpt('no_new_privileges', default=True,
                help='Run containers with no-new-privileges (setuid binaries '
                     'cannot gain privileges).'),
    cfg.BoolOpt('allow_nested_engines', default=False,
                help='Run servers whose flavor asks for a Docker engine of '
                     'their own (extra spec magnumlite:nested_engine=true), '
                     'and report trait CUSTOM_MAGNUMLITE_NESTED_ENGINE so '
                     'the scheduler sends such flavors here. Those servers '
                     'get, within this host\'s capability bounding set, '
                     'SYS_ADMIN, NET_ADMIN and the capabilities their '
                     'containers use, seccomp and AppArmor unconfined and '
                     'a private, writable cgroup tree (see '
                     'nova_driver/nested_engine.py): they are much less '
                     'confined than other servers. Every other server is '
                     'unchanged.'),
    cfg.StrOpt('datapath_netns',
               help='The network namespace (a path, e.g. /run/netns/NAME) '
                    'this host\'s Open vSwitch datapath switches in, where '
                    'the host end of each port\'s veth is made. Set it '
                    'where a host\'s userspace datapath (datapath_type '
                    'netdev) runs in a namespace of its own, as with '
                    'several compute hosts on one machine: that datapath '
                    'only sees interfaces in its own namespace. Default: '
                    'nova-compute\'s own namespace.'),
    cfg.StrOpt('metadata_dir',
               help='Where per-instance metadata directories are written '
                    '(<metadata_dir>/<uuid>/openstack/latest/), bind-mounted '
                    'read-only at /run/openstack. Default: '
                    '[DEFAULT]/instances_path.'),
]

CAPABILITY_CHARS = frozenset('ABCDEFGHIJKLMNOPQRSTUVWXYZ_')


def register_opts(conf):
    # A group object of its own: oslo.config shares a registered group's
    # option table (and so its overrides) between every ConfigOpts that
    # registered the same OptGroup instance.
    group = cfg.OptGroup(GROUP.name, title=GROUP.title, help=GROUP.help)
    conf.register_group(group)
    conf.register_opts(OPTS, group=GROUP.name)


def list_opts():
    return {GROUP: OPTS}


def validate(conf):
    """Refuse configurations the driver must not run with; return nothing.

    Raises ValueError naming the offending option.
    """
    group = conf.docker
    try:
        docker_engine.check_endpoint(group.api_url,
                                     **docker_engine.tls_files(group))
    except docker_engine.EndpointError as e:
        raise ValueError('[docker] api_url %s' % e) from e
    for cap in group.cap_add:
        name = cap.upper()
        if name.startswith('CAP_'):
            name = name[4:]
        if not name or not set(name) <= CAPABILITY_CHARS:
            raise ValueError('[docker] cap_add: %r is not a capability name'
                             % cap)
        if name == 'ALL':
            raise ValueError('[docker] cap_add: ALL is refused; list the '
                             'capabilities containers need')
