"""Requests with JSON bodies to the API over a migrated database."""

import types

import fixtures
from openstack import exceptions as sdk_exc
from oslo_serialization import jsonutils
import webob

from magnumlite.api import microversion
from magnumlite.api import references
from tests.unit import base

# The roles a token of each persona carries, keystone's implied roles
# included (admin -> manager -> member -> reader).
ADMIN = 'admin,manager,member,reader'
MANAGER = 'manager,member,reader'
MEMBER = 'member,reader'
READER = 'reader'

IMAGE_ID = '05aa3d21-ea88-442a-b1ab-ad1d7afa8337'
PRIVATE_ID = '50a02c98-d9ba-4ec8-bd31-142dd423ab9e'
PUBLIC_ID = '6f1d1b37-4c3e-4f0c-9d0c-3c7cbd1e2a10'


def _named(**attributes):
    return types.SimpleNamespace(**attributes)


def _filtered(rows, **filters):
    return [row for row in rows
            if all(getattr(row, key) == value
                   for key, value in filters.items())]


class FakeCloud(fixtures.Fixture):
    """Glance, Nova, Neutron and keystone as the requesting user sees them.

    The boundary magnumlite.api.references talks to: the clients of
    magnumlite.common.clients. What exists: image busybox, flavors m1.tiny
    and m1.small, keypair default, networks private and public
    (external), subnet private-subnet, projects p1 and p2. Requests made
    with call() carry a token for the checks to use.
    """

    def _setUp(self):
        self.images = [_named(id=IMAGE_ID, name='busybox')]
        self.flavors = [_named(id='1', name='m1.tiny'),
                        _named(id='2', name='m1.small')]
        self.keypairs = [_named(name='default')]
        self.networks = [
            _named(id=PRIVATE_ID, name='private', is_router_external=False),
            _named(id=PUBLIC_ID, name='public', is_router_external=True)]
        self.subnets = [_named(id='7d6b3a52-5d0e-4a3e-8a39-2d6a1c2b9f00',
                               name='private-subnet')]
        self.projects = ['p1', 'p2']
        nova = _named(
            flavors=_named(list=lambda is_public: list(self.flavors)),
            keypairs=_named(list=lambda: list(self.keypairs)))
        sdk = _named(
            image=_named(get_image=self._get_image,
                         images=lambda **f: _filtered(self.images, **f)),
            network=_named(
                networks=lambda **f: _filtered(self.networks, **f),
                subnets=lambda **f: _filtered(self.subnets, **f)),
            identity=_named(get_project=self._get_project))
        for name, value in (('user_session', lambda environ: 'session'),
                            ('nova', lambda session: nova),
                            ('openstack_sdk', lambda session: sdk)):
            self.useFixture(fixtures.MockPatch(
                'magnumlite.common.clients.' + name, side_effect=value))

    def _get_image(self, image_id):
        for image in self.images:
            if image.id == image_id:
                return image
        raise sdk_exc.NotFoundException('No Image found for %s' % image_id)

    def _get_project(self, project_id):
        if project_id not in self.projects:
            raise sdk_exc.NotFoundException('Could not find project')
        return _named(id=project_id)


class ResourceTestCase(base.APITestCase):
    """The API with a database, a mocked conductor RPC client and a cloud."""

    def setUp(self):
        super().setUp()
        self.useFixture(base.Database(self.conf_fixture))
        self.conductor = self.useFixture(fixtures.MockPatch(
            'magnumlite.conductor.rpcapi.ConductorAPI')).mock.return_value
        self.cloud = self.useFixture(FakeCloud())

    def call(self, path, method='GET', body=None, roles=ADMIN,
             project_id='p1', version='latest', headers=None, base_url=None):
        req = webob.Request.blank(path, method=method, base_url=base_url)
        req.headers.update({
            'X-Roles': roles, 'X-Project-Id': project_id,
            'X-User-Id': 'u-' + project_id,
            microversion.VERSION_HEADER: 'container-infra %s' % version})
        # What keystonemiddleware leaves for the reference checks.
        req.environ[references.TOKEN_AUTH] = 'token of u-' + project_id
        if body is not None:
            req.body = jsonutils.dump_as_bytes(body)
            req.content_type = 'application/json'
        req.headers.update(headers or {})
        return req.get_response(self.app)

    def post_bytes(self, path, data, content_type='application/json'):
        """POST data as it is, with content_type (None: no Content-Type)."""
        req = webob.Request.blank(path, method='POST')
        req.headers.update({'X-Roles': ADMIN, 'X-Project-Id': 'p1',
                            'X-User-Id': 'u-p1'})
        req.body = data
        if content_type is not None:
            req.content_type = content_type
        return req.get_response(self.app)

    def assertError(self, status, detail, resp):
        self.assertEqual(status, resp.status_int, resp.body)
        [error] = resp.json['errors']
        self.assertEqual(detail, error['detail'])

    def create_template(self, project_id='p1', roles=ADMIN, **values):
        body = dict({'name': 't1', 'coe': 'kubernetes',
                     'image_id': 'busybox', 'flavor_id': 'm1.tiny'}, **values)
        resp = self.call('/v1/clustertemplates', 'POST', body,
                         roles=roles, project_id=project_id)
        self.assertEqual(201, resp.status_int, resp.body)
        return resp.json

    def create_cluster(self, project_id='p1', roles=ADMIN, **values):
        body = dict({'name': 'c1', 'cluster_template_id': 't1'}, **values)
        resp = self.call('/v1/clusters', 'POST', body, roles=roles,
                         project_id=project_id)
        self.assertEqual(202, resp.status_int, resp.body)
        return resp.json['uuid']
