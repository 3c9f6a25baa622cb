"""[nova] options: where the conductor finds Nova in the service catalog."""

from oslo_config import cfg

nova_group = cfg.OptGroup(
    'nova',
    title='Nova options',
    help='How the conductor reaches the Compute API that runs bays.')

nova_opts = [
    cfg.StrOpt(
        'region_name',
        help='Region of the Compute endpoint; unset takes the only one.'),
    cfg.StrOpt(
        'interface',
        default='public',
        choices=['public', 'internal', 'admin'],
        help='Which Compute endpoint of the service catalog to use.'),
]


def register_opts(conf):
    conf.register_group(nova_group)
    conf.register_opts(nova_opts, group=nova_group)


def list_opts():
    return {nova_group: nova_opts}
