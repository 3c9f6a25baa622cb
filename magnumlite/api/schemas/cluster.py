"""Request bodies of /v1/clusters."""

import copy

from magnumlite.api.schemas import common

# The attributes a create request may set.
PROPERTIES = {
    'name': common.CLUSTER_NAME,
    'cluster_template_id': common.STRING,
    'node_count': common.integer(1),
    'master_count': common.integer(1),
    'create_timeout': common.integer(0),
    # Any text, as Magnum's: magnum-ui sends "" for "none".
    'discovery_url': {'type': 'string', 'maxLength': 255},
    'keypair': common.STRING,
    'docker_volume_size': common.integer(1),
    'labels': common.LABELS,
    'merge_labels': common.BOOLEAN,
    'master_flavor_id': common.STRING,
    'flavor_id': common.STRING,
    'fixed_network': common.STRING,
    'fixed_subnet': common.STRING,
    'floating_ip_enabled': common.BOOLEAN,
    'master_lb_enabled': common.BOOLEAN,
}

# POST /v1/clusters (1.1). Clients send null for options left out.
CREATE = {
    'type': 'object',
    'properties': {name: common.nullable(schema)
                   for name, schema in PROPERTIES.items()},
    'required': ['cluster_template_id'],
    'additionalProperties': False,
}
CREATE['properties']['cluster_template_id'] = common.STRING

# 1.10: clusters (their worker nodegroup) may have no workers.
CREATE_V1_10 = copy.deepcopy(CREATE)
CREATE_V1_10['properties']['node_count'] = common.nullable(
    common.integer(0))

# PATCH /v1/clusters/{id}: of a cluster's attributes, only the number of
# workers changes after creation.
PATCHABLE = ('node_count',)
UPDATE = {
    'type': 'object',
    'properties': {'node_count': common.integer(1)},
    'required': ['node_count'],
    'additionalProperties': False,
}
UPDATE_V1_10 = copy.deepcopy(UPDATE)
UPDATE_V1_10['properties']['node_count']['minimum'] = 0

# POST /v1/clusters/{id}/actions/resize (1.7).
RESIZE = {
    'type': 'object',
    'properties': {
        'node_count': common.integer(1),
        'nodes_to_remove': common.nullable(
            {'type': 'array', 'items': common.STRING}),
        'nodegroup': common.nullable(common.STRING),
    },
    'required': ['node_count'],
    'additionalProperties': False,
}
RESIZE_V1_10 = copy.deepcopy(RESIZE)
RESIZE_V1_10['properties']['node_count']['minimum'] = 0
