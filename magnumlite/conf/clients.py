"""[nova], [glance], [neutron]: where magnumlite finds the services it calls.

The conductor calls Nova (and Neutron for a cluster's network) through a
cluster's trust; the API calls Glance, Nova and Neutron with the requesting
user's token to check the references of a request. Each service's endpoint
is taken from the service catalog, by region and interface.
"""

from oslo_config import cfg

# group name -> (the service's name in help texts, what magnumlite asks it)
SERVICES = {
    'nova': ('Compute', 'the servers of clusters, flavors and keypairs'),
    'glance': ('Image', 'the images templates name'),
    'neutron': ('Network', 'networks, subnets, routers, security groups '
                           'and floating IPs of clusters'),
}


def _group(name):
    service, used_for = SERVICES[name]
    return cfg.OptGroup(
        name, title='%s options' % name.capitalize(),
        help='How magnumlite reaches the %s API (%s).' % (service, used_for))


def _opts(name):
    service = SERVICES[name][0]
    return [
        cfg.StrOpt(
            'region_name',
            help='Region of the %s endpoint; unset takes the only one.'
                 % service),
        cfg.StrOpt(
            'interface',
            default='public',
            choices=['public', 'internal', 'admin'],
            help='Which %s endpoint of the service catalog to use.'
                 % service),
    ]


_GROUPS = {_group(name): _opts(name) for name in SERVICES}


def register_opts(conf):
    for group, opts in _GROUPS.items():
        conf.register_group(group)
        conf.register_opts(opts, group=group)


def list_opts():
    return dict(_GROUPS)
