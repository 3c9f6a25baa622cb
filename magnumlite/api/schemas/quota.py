"""Request bodies of /v1/quotas (1.6)."""

# The resources a quota may limit, as in Magnum.
RESOURCES = ('Cluster',)

_HARD_LIMIT = {'type': 'integer', 'minimum': 0}

# POST /v1/quotas
CREATE = {
    'type': 'object',
    'properties': {
        'project_id': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'resource': {'enum': list(RESOURCES)},
        'hard_limit': _HARD_LIMIT,
    },
    'required': ['project_id', 'resource', 'hard_limit'],
    'additionalProperties': False,
}

# PATCH /v1/quotas/{project_id}/{resource}: a whole quota, as Magnum takes
# it (not a JSON-Patch); project_id and resource come from the path.
UPDATE = {
    'type': 'object',
    'properties': dict(CREATE['properties']),
    'required': ['hard_limit'],
    'additionalProperties': False,
}
