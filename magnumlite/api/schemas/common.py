"""Types the resource schemas share."""

NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255}
# Names of clusters (and bays), as Magnum restricts them.
CLUSTER_NAME = {'type': 'string', 'minLength': 1, 'maxLength': 242,
                'pattern': '^[a-zA-Z][a-zA-Z0-9_.-]*$'}
STRING = {'type': 'string', 'minLength': 1, 'maxLength': 255}
BOOLEAN = {'type': 'boolean'}
# Label values may be strings, numbers or booleans, as in Magnum.
LABELS = {'type': 'object',
          'additionalProperties': {'type': ['string', 'number', 'boolean']}}


def nullable(schema):
    """schema, also allowing null (clients send null for "not set")."""
    return {'anyOf': [{'type': 'null'}, schema]}
