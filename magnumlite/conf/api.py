"""Options for the REST API service."""

from oslo_config import cfg

api_group = cfg.OptGroup(
    'api',
    title='API options',
    help='Options for the magnumlite (container-infra) REST API.')

api_opts = [
    cfg.HostAddressOpt(
        'host',
        default='127.0.0.1',
        help='Address the standalone magnumlite-api server binds to.'),
    cfg.PortOpt(
        'port',
        default=9511,
        help='Port the standalone magnumlite-api server listens on.'),
    cfg.StrOpt(
        'auth_strategy',
        default='keystone',
        choices=[
            ('keystone', 'Validate tokens with keystonemiddleware.'),
            ('noauth', 'No authentication: every request is an admin of '
                       'the project in X-Project-Id (or "noauth"). For '
                       'testing only.'),
        ],
        help='Which api-paste.ini pipeline authenticates requests.'),
    cfg.StrOpt(
        'api_paste_config',
        default='api-paste.ini',
        help="""
PasteDeploy configuration of the API pipeline. A relative name is looked up
next to the configuration files and in the standard config directories.
"""),
    cfg.IntOpt(
        'max_limit',
        default=1000,
        min=1,
        help='Most items a single collection response returns.'),
]


def register_opts(conf):
    conf.register_group(api_group)
    conf.register_opts(api_opts, group=api_group)


def list_opts():
    return {api_group: api_opts}
