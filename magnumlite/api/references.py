"""What templates and clusters name in other services, checked as Magnum does.

An image (Glance), flavors and a keypair (Nova), networks and a subnet
(Neutron) are looked up with the requesting user's own token, so a name or
id is accepted only if that user can see it; one that is not found is
refused with 400 naming the field, with Magnum's sentence; a name several
match, with Magnum's 409. Lookups are list queries (by id when the
reference is a uuid, else by name), so no reference ever becomes part of
another service's URL path.

Under the noauth pipeline there is no token to ask other services with,
and nothing is checked.
"""

import functools

from novaclient import exceptions as nova_exc
from openstack import exceptions as sdk_exc
from oslo_log import log as logging
from oslo_utils import uuidutils

from magnumlite.common import clients
from magnumlite.common import exception

LOG = logging.getLogger(__name__)

TOKEN_AUTH = 'keystone.token_auth'


class _Cloud:
    """The user's clients, made once per request, and the lookups."""

    def __init__(self, session):
        self._session = session

    @functools.cached_property
    def _nova(self):
        return clients.nova(self._session)

    @functools.cached_property
    def _sdk(self):
        return clients.openstack_sdk(self._session)

    @staticmethod
    def _by_id_or_name(listing, ref, **filters):
        matches = []
        if uuidutils.is_uuid_like(ref):
            matches = list(listing(id=ref, **filters))
        return matches or list(listing(name=ref, **filters))

    def images(self, ref):
        if uuidutils.is_uuid_like(ref):
            try:
                return [self._sdk.image.get_image(ref)]
            except sdk_exc.NotFoundException:
                pass
        return list(self._sdk.image.images(name=ref))

    def flavors(self, ref):
        # Public flavors and the private ones the project may use.
        return [flavor for flavor in self._nova.flavors.list(is_public=None)
                if ref in (flavor.id, flavor.name)]

    def keypairs(self, ref):
        return [keypair for keypair in self._nova.keypairs.list()
                if keypair.name == ref]

    def external_networks(self, ref):
        return self._by_id_or_name(self._sdk.network.networks, ref,
                                   is_router_external=True)

    def networks(self, ref):
        return self._by_id_or_name(self._sdk.network.networks, ref)

    def subnets(self, ref):
        return self._by_id_or_name(self._sdk.network.subnets, ref)

    def project(self, project_id):
        # project_id matched schemas.common.PROJECT_ID: safe in a path.
        return self._sdk.identity.get_project(project_id)


# field: (lookup, Magnum's words when nothing matches, when several do)
_CHECKS = {
    'image_id': (_Cloud.images, 'Image %s could not be found.',
                 "Multiple images exist with same name '%s'. Please use "
                 "the image ID instead."),
    'flavor_id': (_Cloud.flavors, 'Unable to find flavor %s.', None),
    'master_flavor_id': (_Cloud.flavors, 'Unable to find flavor %s.', None),
    'keypair_id': (_Cloud.keypairs, 'Unable to find keypair %s.', None),
    'external_network_id': (
        _Cloud.external_networks, 'Unable to find external network %s.',
        "Multiple external networks exist with same name '%s'. Please use "
        "the external network ID instead."),
    'fixed_network': (
        _Cloud.networks, 'Unable to find fixed network %s.',
        "Multiple networks exist with same name '%s'. Please use the "
        "network ID instead."),
    'fixed_subnet': (
        _Cloud.subnets, 'Unable to find fixed subnet %s.',
        "Multiple subnets exist with same name '%s'. Please use the subnet "
        "ID instead."),
}
# A cluster's keypair is its template's keypair_id.
_CHECKS['keypair'] = _CHECKS['keypair_id']

# The references of a template and the overrides a cluster create may give.
TEMPLATE_FIELDS = ('image_id', 'flavor_id', 'master_flavor_id', 'keypair_id',
                   'external_network_id', 'fixed_network', 'fixed_subnet')
CLUSTER_FIELDS = ('flavor_id', 'master_flavor_id', 'keypair',
                  'fixed_network', 'fixed_subnet')


# Another service's answers that mean the reference is nothing the user
# may use (a 401 means magnumlite's request was wrong, not the client's).
_NOT_FOUND = (400, 403, 404)


def _not_found(exc):
    if isinstance(exc, sdk_exc.HttpException):
        return exc.status_code in _NOT_FOUND
    if isinstance(exc, nova_exc.ClientException):
        return exc.code in _NOT_FOUND
    return False


def _matches(cloud, field, ref):
    lookup = _CHECKS[field][0]
    try:
        return lookup(cloud, ref)
    except Exception as exc:
        if _not_found(exc):
            return []
        LOG.warning('Could not look up %s %r: %s', field, ref, exc)
        raise exception.ServiceUnavailable(
            what=field, reason='the service that has it did not answer')


def check(req, values, fields):
    """Refuse the first of fields set in values that names nothing."""
    if TOKEN_AUTH not in req.environ:
        return
    cloud = _Cloud(clients.user_session(req.environ))
    for field in fields:
        ref = values.get(field)
        if ref is None:
            continue
        _lookup, not_found, several = _CHECKS[field]
        found = _matches(cloud, field, ref)
        if not found:
            raise exception.ReferenceNotFound(field=field,
                                              reason=not_found % ref)
        if len(found) > 1 and several:
            raise exception.Conflict(several % ref)


def check_project(req, project_id):
    """Refuse (404, as Magnum) a project_id keystone does not know."""
    if TOKEN_AUTH not in req.environ or project_id == req.context.project_id:
        return  # the token itself is scoped to it
    cloud = _Cloud(clients.user_session(req.environ))
    try:
        cloud.project(project_id)
    except sdk_exc.NotFoundException:
        raise exception.ProjectNotFound(name='project_id', id=project_id)
    except Exception as exc:
        LOG.warning('Could not look up project %r: %s', project_id, exc)
        raise exception.ServiceUnavailable(
            what='project_id', reason='keystone did not answer')
