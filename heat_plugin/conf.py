"""heat_plugin's options: the [magnumlite_containers] group of heat.conf.

Only oslo.config is imported here, so ``oslo-config-generator`` (namespace
``heat_plugin.conf``) lists them without Heat installed.
"""

from oslo_config import cfg
from oslo_log import log as logging

LOG = logging.getLogger(__name__)

GROUP = 'magnumlite_containers'

OPTS = [
    cfg.StrOpt('docker_endpoint', default='unix:///var/run/docker.sock',
               help='Docker engine used by container resources that set '
                    'no docker_endpoint: unix:///path/to/docker.sock or '
                    'tcp://host:port. TCP, here or in a template\'s '
                    'docker_endpoint, requires tls_cert, tls_key and '
                    'tls_cacert; without them such a template fails '
                    'validation (there is no plain TCP). The API version '
                    'is negotiated with the engine, never pinned.'),
    cfg.StrOpt('tls_cacert', help='CA certificate the engine\'s TLS '
                                  'certificate must be signed by (so '
                                  'templates reach only engines it '
                                  'signed).'),
    cfg.StrOpt('tls_cert', help='Client certificate for a TLS endpoint.'),
    cfg.StrOpt('tls_key', help='Client key for a TLS endpoint.'),
    cfg.BoolOpt('allow_privileged', default=False,
                help='Allow templates to create privileged containers, or '
                     'to add kernel capabilities (cap_add).'),
    cfg.BoolOpt('allow_host_mounts', default=False,
                help='Allow templates to bind-mount host paths into '
                     'containers, or to mount the volumes of other '
                     'containers on the engine (volumes_from).'),
    cfg.BoolOpt('allow_devices', default=False,
                help='Allow templates to pass host devices to containers.'),
    cfg.FloatOpt('startup_settle_time', default=1.0, min=0,
                 help='Seconds a container must have been running before '
                      'its create completes; one that exits non-zero '
                      'sooner fails the create.'),
    cfg.IntOpt('api_timeout', default=60, min=1,
               help='Timeout in seconds of one Docker API call.'),
]


def register_opts(conf):
    """Register [magnumlite_containers]; safe to call more than once."""
    try:
        conf.register_opts(OPTS, group=GROUP)
    except cfg.DuplicateOptError:
        # another copy of this module (heat loads plugin_dirs modules
        # under its own package name) registered different defaults
        LOG.debug('[%s] options already registered', GROUP)


def list_opts():
    return [(GROUP, OPTS)]
