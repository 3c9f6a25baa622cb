"""OS::Magnumlite::BayModel and ::Bay through Heat's scheduler.

The boundary faked here is the magnumlite API, behind Heat's magnum client
plugin: an in-memory stand-in with magnumclient's managers, resource
classes and exceptions, whose bays settle a few polls after each request.
The real API is exercised by tests/integration/test_heat_plugin.py.
"""

from heat.tests import common  # noqa: F401 (first: sets up heat)

import uuid

from heat.common import exception
from heat.engine.clients.os import magnum as magnum_plugin
from heat.engine import scheduler
from heat.tests import utils
from magnumclient import exceptions as mc_exc
from magnumclient.v1 import cluster_templates
from magnumclient.v1 import clusters

from tests.unit.heat_plugin import base

SETTLE_POLLS = 2


class FakeManager:

    def __init__(self, resource_class):
        self.resource_class = resource_class
        self.rows = {}
        self.calls = []

    def _row(self, ident):
        for row in self.rows.values():
            if ident in (row['uuid'], row['name']):
                return row
        raise mc_exc.NotFound('%s not found' % ident)

    def get(self, ident):
        return self.resource_class(self, dict(self._row(ident)),
                                   loaded=True)

    def create(self, **kwargs):
        self.calls.append(('create', kwargs))
        row = dict(kwargs, uuid=str(uuid.uuid4()))
        self.rows[row['uuid']] = row
        return self.resource_class(self, dict(row), loaded=True)


class FakeTemplates(FakeManager):

    def __init__(self, bays):
        super().__init__(cluster_templates.ClusterTemplate)
        self.bays = bays

    def delete(self, ident):
        row = self._row(ident)
        if any(bay['cluster_template_id'] == row['uuid']
               for bay in self.bays.rows.values()):
            raise mc_exc.BadRequest('ClusterTemplate %s is referenced by '
                                    'one or multiple clusters' % ident)
        del self.rows[row['uuid']]


class FakeBays(FakeManager):
    """Bays that finish each action after SETTLE_POLLS gets."""

    def __init__(self):
        super().__init__(clusters.Cluster)
        self.fail = {}      # action -> status_reason it fails with

    def create(self, **kwargs):
        bay = super().create(**kwargs)
        self._start(bay.uuid, 'CREATE')
        return bay

    def _start(self, ident, action):
        self.rows[ident].update(status=action + '_IN_PROGRESS',
                                status_reason=None, polls=0)

    def get(self, ident):
        row = self._row(ident)
        action, _sep, state = row['status'].rpartition('_IN_')
        if state == 'PROGRESS':
            row['polls'] += 1
            if row['polls'] >= SETTLE_POLLS:
                if action in self.fail:
                    row.update(status=action + '_FAILED',
                               status_reason=self.fail[action])
                elif action == 'DELETE':
                    del self.rows[row['uuid']]
                    raise mc_exc.NotFound('Cluster %s not found' % ident)
                else:
                    n = row['node_count']
                    row.update(
                        status=action + '_COMPLETE',
                        status_reason='%s completed' % action,
                        master_addresses=['10.0.0.2'],
                        node_addresses=['10.0.1.%d' % (i + 2)
                                        for i in range(n)],
                        api_address='tcp://172.24.4.12:2376',
                        coe_version='20.10.24+dfsg1')
        return super().get(ident)

    def update(self, ident, patch):
        self.calls.append(('update', ident, patch))
        row = self._row(ident)
        for op in patch:
            row[op['path'].lstrip('/')] = op['value']
        self._start(row['uuid'], 'UPDATE')

    def delete(self, ident):
        self.calls.append(('delete', ident))
        self._start(self._row(ident)['uuid'], 'DELETE')


class FakeMagnum:

    def __init__(self):
        self.clusters = FakeBays()
        self.cluster_templates = FakeTemplates(self.clusters)


def template(model_type='OS::Magnumlite::BayModel',
             bay_type='OS::Magnumlite::Bay', template_key='baymodel',
             **bay_props):
    bay_props.setdefault(template_key, {'get_resource': 'model'})
    return {
        'heat_template_version': '2018-08-31',
        'resources': {
            'model': {'type': model_type,
                      'properties': {'coe': 'kubernetes', 'image': 'busybox',
                                     'flavor': 'm1.tiny',
                                     'external_network': 'public',
                                     'labels': {'availability_zone': 'nova'}}},
            'bay': {'type': bay_type, 'properties': bay_props}}}


class BayTest(base.PluginTestCase):

    def setUp(self):
        super().setUp()
        self.magnum = FakeMagnum()
        self.patchobject(magnum_plugin.MagnumClientPlugin, '_create',
                         return_value=self.magnum)
        # glance.image and nova.flavor are checked against the real
        # services in the integration tests
        self.stub_ImageConstraint_validate()
        self.stub_FlavorConstraint_validate()

    def create(self, tmpl, expect='COMPLETE'):
        stack = self.stack(tmpl)
        stack.validate()
        stack.store()
        scheduler.TaskRunner(stack.create)()
        self.assertEqual((stack.CREATE, expect), stack.state,
                         stack.status_reason)
        return stack

    def test_create_through_magnum_api(self):
        stack = self.create(template(node_count=2, create_timeout=5))
        model_args = self.magnum.cluster_templates.calls[0][1]
        self.assertEqual('busybox', model_args['image_id'])
        self.assertEqual('m1.tiny', model_args['flavor_id'])
        self.assertEqual('public', model_args['external_network_id'])
        self.assertEqual({'availability_zone': 'nova'}, model_args['labels'])
        self.assertEqual(stack['model'].physical_resource_name(),
                         model_args['name'])
        bay_args = self.magnum.clusters.calls[0][1]
        self.assertEqual(stack['model'].resource_id,
                         bay_args['cluster_template_id'])
        self.assertEqual((2, 1, 5), (bay_args['node_count'],
                                     bay_args['master_count'],
                                     bay_args['create_timeout']))
        self.assertEqual(stack['bay'].physical_resource_name(),
                         bay_args['name'])
        bay = stack['bay']
        self.assertEqual('CREATE_COMPLETE', bay.FnGetAtt('status'))
        self.assertEqual(['10.0.1.2', '10.0.1.3'],
                         bay.FnGetAtt('node_addresses'))
        self.assertEqual(['10.0.0.2'], bay.FnGetAtt('master_addresses'))
        self.assertEqual('tcp://172.24.4.12:2376',
                         bay.FnGetAtt('api_address'))
        self.assertEqual('20.10.24+dfsg1', bay.FnGetAtt('coe_version'))

        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.COMPLETE), stack.state)
        self.assertEqual({}, self.magnum.clusters.rows)
        self.assertEqual({}, self.magnum.cluster_templates.rows)

    def test_cluster_named_aliases(self):
        stack = self.create(template('OS::Magnumlite::ClusterTemplate',
                                     'OS::Magnumlite::Cluster',
                                     'cluster_template'))
        self.assertEqual(stack['model'].resource_id,
                         self.magnum.clusters.calls[0][1][
                             'cluster_template_id'])

    def test_cluster_template_by_name(self):
        existing = self.magnum.cluster_templates.create(
            name='shared-model', coe='kubernetes', image_id='busybox')
        tmpl = template(baymodel='shared-model')
        del tmpl['resources']['model']
        self.create(tmpl)
        self.assertEqual(existing.uuid, self.magnum.clusters.calls[0][1][
            'cluster_template_id'])

    def test_failed_bay_fails_with_its_status_reason(self):
        reason = ('bay-master-0: Nova refused to create the server: '
                  'Quota exceeded for ram')
        self.magnum.clusters.fail['CREATE'] = reason
        stack = self.create(template(), expect='FAILED')
        self.assertIn(reason, stack.status_reason)
        self.assertIn('CREATE_FAILED', stack.status_reason)
        # not retried: the same bay would fail the same way
        self.assertEqual(1, len(self.magnum.clusters.calls))

    def test_node_count_updates_in_place(self):
        stack = self.create(template(node_count=1))
        bay_id = stack['bay'].resource_id
        utils.update_stack(stack, template(node_count=3))
        self.assertEqual((stack.UPDATE, stack.COMPLETE), stack.state,
                         stack.status_reason)
        self.assertEqual(bay_id, stack['bay'].resource_id)
        self.assertIn(('update', bay_id, [{'op': 'replace',
                                           'path': '/node_count',
                                           'value': 3}]),
                      self.magnum.clusters.calls)
        self.assertEqual(3, stack['bay'].FnGetAtt('node_count'))
        self.assertEqual(3, len(stack['bay'].FnGetAtt('node_addresses')))

    def test_failed_update_fails_with_reason(self):
        stack = self.create(template(node_count=1))
        self.magnum.clusters.fail['UPDATE'] = 'No valid host was found'
        utils.update_stack(stack, template(node_count=4))
        self.assertEqual((stack.UPDATE, stack.FAILED), stack.state)
        self.assertIn('No valid host was found', stack.status_reason)

    def test_master_count_change_replaces_the_bay(self):
        stack = self.create(template(master_count=1))
        before = stack['bay'].resource_id
        utils.update_stack(stack, template(master_count=3))
        self.assertEqual((stack.UPDATE, stack.COMPLETE), stack.state,
                         stack.status_reason)
        self.assertNotEqual(before, stack['bay'].resource_id)
        self.assertNotIn(before, self.magnum.clusters.rows)

    def test_delete_of_a_bay_already_gone(self):
        stack = self.create(template())
        self.magnum.clusters.rows.clear()
        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.COMPLETE), stack.state)

    def test_failed_delete_fails_with_reason(self):
        stack = self.create(template())
        self.magnum.clusters.fail['DELETE'] = 'server bay-node-0 is stuck'
        scheduler.TaskRunner(stack.delete)()
        self.assertEqual((stack.DELETE, stack.FAILED), stack.state)
        self.assertIn('server bay-node-0 is stuck', stack.status_reason)

    def test_bay_needs_a_bay_model(self):
        tmpl = template()
        del tmpl['resources']['bay']['properties']['baymodel']
        error = self.assertRaises(exception.StackValidationFailed,
                                  self.stack(tmpl).validate)
        self.assertIn('cluster_template (or its older name, baymodel)',
                      str(error))

    def test_unknown_bay_model_is_a_validation_error(self):
        tmpl = template(baymodel='no-such-model')
        del tmpl['resources']['model']
        error = self.assertRaises(exception.StackValidationFailed,
                                  self.stack(tmpl).validate)
        self.assertIn('no-such-model', str(error))

    def test_both_template_names_refused(self):
        tmpl = template(cluster_template={'get_resource': 'model'})
        self.assertRaises(exception.StackValidationFailed,
                          self.stack(tmpl).validate)
