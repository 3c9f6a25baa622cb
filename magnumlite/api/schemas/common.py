"""Types the resource schemas share."""

# The largest value an Integer column holds on every database magnumlite
# runs on (32-bit INT on MySQL and PostgreSQL): no integer in a request may
# be larger, so none reaches the database only to fail there.
INTEGER_MAX = 2 ** 31 - 1

NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255}
# Names of clusters (and bays), as Magnum restricts them.
CLUSTER_NAME = {'type': 'string', 'minLength': 1, 'maxLength': 242,
                'pattern': '^[a-zA-Z][a-zA-Z0-9_.-]*$'}
STRING = {'type': 'string', 'minLength': 1, 'maxLength': 255}
BOOLEAN = {'type': 'boolean'}
# Nova's server group policies, for the label server_group_policies.
SERVER_GROUP_POLICIES = ('soft-anti-affinity', 'anti-affinity',
                         'soft-affinity', 'affinity')
# Label values may be strings, numbers or booleans, as in Magnum. Bounded,
# so that labels cannot make every list of templates or clusters huge.
# Labels magnumlite acts on are checked here, so that a wrong value is a 400
# at once rather than a cluster that fails later.
LABELS = {'type': 'object',
          'maxProperties': 100,
          'propertyNames': {'maxLength': 255},
          'properties': {
              # Nova's policy for the server group of each node role.
              'server_group_policies': {'enum': list(SERVER_GROUP_POLICIES)},
          },
          'additionalProperties': {
              'anyOf': [{'type': 'string', 'maxLength': 1024},
                        {'type': ['number', 'boolean']}]}}
# A project id as keystone makes them (32 hex digits, or another backend's
# ids): letters, digits, '-' and '_', never '/' or control characters.
PROJECT_ID = {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,64}$'}


def integer(minimum, maximum=INTEGER_MAX):
    return {'type': 'integer', 'minimum': minimum, 'maximum': maximum}


def nullable(schema):
    """schema, also allowing null (clients send null for "not set")."""
    return {'anyOf': [{'type': 'null'}, schema]}
