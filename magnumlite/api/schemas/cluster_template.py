"""Request bodies of /v1/clustertemplates."""

from magnumlite.api.schemas import common

# The container orchestration engines Magnum validates templates for, with
# the network and volume drivers it supports for each; a template that
# names no network driver gets the first, Magnum's default for the COE.
COE_DRIVERS = {
    'kubernetes': {'network_driver': ('flannel', 'calico'),
                   'volume_driver': ('cinder',)},
    'swarm': {'network_driver': ('docker', 'flannel'),
              'volume_driver': ('rexray',)},
    'swarm-mode': {'network_driver': ('docker', 'flannel'),
                   'volume_driver': ('rexray',)},
}
COES = tuple(COE_DRIVERS)
# COEs whose clusters magnumlite runs with an API that must be TLS.
TLS_REQUIRED = ('swarm', 'swarm-mode')
SERVER_TYPES = ('vm', 'bm')

# Attributes clients may set; the rest (uuid, project_id, ...) are the
# service's.
PROPERTIES = {
    'name': common.NAME,
    'coe': {'enum': list(COES)},
    'image_id': common.STRING,
    'flavor_id': common.STRING,
    'master_flavor_id': common.STRING,
    'keypair_id': common.STRING,
    'external_network_id': common.STRING,
    'fixed_network': common.STRING,
    'fixed_subnet': common.STRING,
    'network_driver': common.STRING,
    'volume_driver': common.STRING,
    'dns_nameserver': common.STRING,
    'apiserver_port': common.integer(1024, 65535),
    'docker_volume_size': common.integer(1),
    'docker_storage_driver': common.STRING,
    'cluster_distro': common.STRING,
    'http_proxy': common.STRING,
    'https_proxy': common.STRING,
    'no_proxy': common.STRING,
    'registry_enabled': common.BOOLEAN,
    'insecure_registry': common.STRING,
    'labels': common.LABELS,
    'tls_disabled': common.BOOLEAN,
    'public': common.BOOLEAN,
    'hidden': common.BOOLEAN,
    'server_type': {'enum': list(SERVER_TYPES)},
    'master_lb_enabled': common.BOOLEAN,
    'floating_ip_enabled': common.BOOLEAN,
    'tags': {'type': 'string', 'maxLength': 255},
    'driver': common.STRING,
}

# Unset in a create request, these get Magnum's defaults.
DEFAULTS = {
    'labels': {}, 'tls_disabled': False, 'public': False, 'hidden': False,
    'registry_enabled': False, 'server_type': 'vm',
    'master_lb_enabled': False, 'floating_ip_enabled': True,
}

# POST /v1/clustertemplates (1.1). Clients send null for options the user
# left out.
CREATE = {
    'type': 'object',
    'properties': {name: common.nullable(schema)
                   for name, schema in PROPERTIES.items()},
    'required': ['coe', 'image_id'],
    'additionalProperties': False,
}
for _required in CREATE['required']:
    CREATE['properties'][_required] = PROPERTIES[_required]

# The attributes PATCH may change: all but those Magnum keeps.
PATCHABLE = tuple(PROPERTIES)
