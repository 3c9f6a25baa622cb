"""Request bodies of /v1/quotas (1.6)."""

from magnumlite.api.schemas import common

# The resources a quota may limit, as in Magnum.
RESOURCES = ('Cluster',)

_PROPERTIES = {
    'project_id': common.PROJECT_ID,
    'resource': {'enum': list(RESOURCES)},
    'hard_limit': common.integer(0),
}

# POST /v1/quotas
CREATE = {
    'type': 'object',
    'properties': _PROPERTIES,
    'required': ['project_id', 'resource', 'hard_limit'],
    'additionalProperties': False,
}

# PATCH /v1/quotas/{project_id}/{resource}: a whole quota, as Magnum takes
# it (not a JSON-Patch); project_id and resource come from the path.
UPDATE = {
    'type': 'object',
    'properties': _PROPERTIES,
    'required': ['hard_limit'],
    'additionalProperties': False,
}

# The path of a quota: /v1/quotas/{project_id}/{resource}.
PATH = {
    'type': 'object',
    'properties': {'project_id': common.PROJECT_ID,
                   'resource': _PROPERTIES['resource']},
}
