from magnumlite.common import context
from magnumlite.common import exception
from magnumlite.db import api as db_api
from tests.unit import base

UUID1 = '11111111-1111-4111-8111-111111111111'


def _template(**values):
    return dict({'name': 't', 'project_id': 'p1', 'user_id': 'u1',
                 'coe': 'kubernetes', 'image_id': 'busybox'}, **values)


class TestClusterTemplates(base.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(base.Database(self.conf_fixture))
        self.context = context.get_admin_context()

    def test_create_fills_magnums_defaults(self):
        created = db_api.cluster_template_create(self.context, _template())

        got = db_api.cluster_template_get(self.context, created.uuid)
        self.assertEqual(
            ({}, False, False, False, False, False, True),
            (got.labels, got.tls_disabled, got.public, got.hidden,
             got.registry_enabled, got.master_lb_enabled,
             got.floating_ip_enabled))

    def test_visible_to_its_project_and_public_ones_to_all(self):
        db_api.cluster_template_create(self.context, _template(name='own'))
        db_api.cluster_template_create(self.context, _template(
            name='other', project_id='p2'))
        db_api.cluster_template_create(self.context, _template(
            name='shared', project_id='p2', public=True))

        self.assertEqual(
            ['own', 'shared'],
            [t.name for t in db_api.cluster_template_list(
                self.context, visible_to='p1')])
        self.assertEqual(
            'shared',
            db_api.cluster_template_get(self.context, 'shared',
                                        visible_to='p1').name)
        exc = self.assertRaises(exception.ClusterTemplateNotFound,
                                db_api.cluster_template_get, self.context,
                                'other', visible_to='p1')
        self.assertEqual('ClusterTemplate other could not be found.',
                         str(exc))

    def test_list_filters_and_pages(self):
        for name in ('b', 'a', 'c'):
            db_api.cluster_template_create(self.context, _template(
                name=name, hidden=name == 'c'))

        first = db_api.cluster_template_list(
            self.context, {'hidden': False}, limit=1, sort_key='name')
        rest = db_api.cluster_template_list(
            self.context, {'hidden': False}, sort_key='name',
            marker=first[0].uuid)

        self.assertEqual(['a'], [t.name for t in first])
        self.assertEqual(['b'], [t.name for t in rest])

    def test_update(self):
        db_api.cluster_template_create(self.context, _template(uuid=UUID1))

        db_api.cluster_template_update(self.context, UUID1,
                                       {'public': True, 'labels': {'k': 1}})

        got = db_api.cluster_template_get(self.context, 't')
        self.assertEqual((True, {'k': 1}), (got.public, got.labels))

    def test_duplicate_uuid_is_a_conflict(self):
        db_api.cluster_template_create(self.context, _template(uuid=UUID1))
        self.assertRaises(exception.ClusterTemplateAlreadyExists,
                          db_api.cluster_template_create, self.context,
                          _template(uuid=UUID1))

    def test_destroy_refuses_while_clusters_use_it(self):
        db_api.cluster_template_create(self.context, _template(uuid=UUID1))
        cluster = db_api.cluster_create(self.context, {
            'project_id': 'p1', 'cluster_template_id': UUID1})

        exc = self.assertRaises(exception.ClusterTemplateReferenced,
                                db_api.cluster_template_destroy,
                                self.context, UUID1)
        self.assertEqual(400, exc.code)
        self.assertEqual('ClusterTemplate %s is referenced by one or '
                         'multiple clusters.' % UUID1, str(exc))

        db_api.cluster_destroy(self.context, cluster.uuid)
        db_api.cluster_template_destroy(self.context, UUID1)
        self.assertRaises(exception.ClusterTemplateNotFound,
                          db_api.cluster_template_get, self.context, UUID1)
