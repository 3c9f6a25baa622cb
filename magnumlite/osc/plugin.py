"""The `openstack` CLI plugin for what magnumlite serves beyond Magnum.

python-magnumclient's plugin covers Magnum's API (`openstack coe ...`);
this one (entry point openstack.cli.extension = magnumlite) adds commands
for magnumlite's own resources under the same `coe` prefix, listed in
setup.cfg's openstack.magnumlite.v1 group. They reach the
container-infra endpoint of the catalog through the CLI's keystone
session, as the other commands do.
"""

from osc_lib import exceptions

API_NAME = 'magnumlite'
API_VERSION_OPTION = 'os_magnumlite_api_version'
DEFAULT_API_VERSION = '1'
API_VERSIONS = ('1',)
SERVICE_TYPE = 'container-infra'


class Client:
    """magnumlite's API at the catalog's container-infra endpoint."""

    def __init__(self, session, region_name=None, interface=None):
        self.session = session
        self.endpoint_filter = {'service_type': SERVICE_TYPE,
                                'region_name': region_name,
                                'interface': interface or 'public'}

    def get(self, path):
        """The JSON document at path (under /v1).

        An error is a CommandError with the API's own detail and status.
        """
        # Catalogs list Magnum's endpoint with or without its /v1.
        root = self.session.get_endpoint(**self.endpoint_filter).rstrip('/')
        if root.endswith('/v1'):
            root = root[:-len('/v1')]
        resp = self.session.get(
            root + '/v1' + path, raise_exc=False,
            headers={'OpenStack-API-Version': SERVICE_TYPE + ' latest'})
        if resp.status_code >= 400:
            try:
                detail = resp.json()['errors'][0]['detail']
            except (ValueError, KeyError, IndexError):
                detail = resp.text
            raise exceptions.CommandError('%s (HTTP %d)'
                                          % (detail, resp.status_code))
        return resp.json()


def make_client(instance):
    return Client(instance.session, region_name=instance.region_name,
                  interface=instance.interface)


def build_option_parser(parser):
    parser.add_argument(
        '--os-magnumlite-api-version', metavar='<version>',
        default=DEFAULT_API_VERSION,
        help='magnumlite CLI API version, default=%s' % DEFAULT_API_VERSION)
    return parser
