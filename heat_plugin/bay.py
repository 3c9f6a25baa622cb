"""OS::Magnumlite::BayModel and OS::Magnumlite::Bay (and their cluster names).

They talk to the magnumlite API (service type container-infra) through
Heat's own magnum client plugin, so the calls carry the stack user's
keystone session, region and endpoint type as every Heat resource's do.

Unlike Heat's OS::Magnum::Cluster, a failed bay fails its resource at once
with the bay's ``status_reason`` (not ResourceInError, which Heat retries by
deleting and recreating: the same bay would only fail again), and a bay
that magnumlite could not delete fails the delete with its reason.
"""

from heat.common import exception
from heat.engine import attributes
from heat.engine import constraints
from heat.engine import properties
from heat.engine import resource
from heat.engine import translation

MAGNUM = 'magnum'       # Heat's client plugin for container-infra


def _not_found(plugin, exc):
    """True if exc means the object is gone; re-raise anything else."""
    plugin.ignore_not_found(exc)
    return True


class BayModel(resource.Resource):
    """A bay model (cluster template): what a bay's servers boot from."""

    default_client_name = MAGNUM
    entity = 'cluster_templates'

    PROPERTIES = (
        NAME, COE, IMAGE, FLAVOR, MASTER_FLAVOR, KEYPAIR, EXTERNAL_NETWORK,
        FIXED_NETWORK, DNS_NAMESERVER, NETWORK_DRIVER, DOCKER_VOLUME_SIZE,
        LABELS, PUBLIC, TLS_DISABLED, SERVER_TYPE, REGISTRY_ENABLED,
        FLOATING_IP_ENABLED, MASTER_LB_ENABLED,
    ) = (
        'name', 'coe', 'image', 'flavor', 'master_flavor', 'keypair',
        'external_network', 'fixed_network', 'dns_nameserver',
        'network_driver', 'docker_volume_size', 'labels', 'public',
        'tls_disabled', 'server_type', 'registry_enabled',
        'floating_ip_enabled', 'master_lb_enabled',
    )

    # property -> the API's attribute, where the names differ
    API_NAMES = {
        IMAGE: 'image_id', FLAVOR: 'flavor_id',
        MASTER_FLAVOR: 'master_flavor_id', KEYPAIR: 'keypair_id',
        EXTERNAL_NETWORK: 'external_network_id',
    }

    # What the API takes, as Magnum: swarm bays are swarms, kubernetes
    # ones their servers only.
    COES = ('kubernetes', 'swarm', 'swarm-mode')

    properties_schema = {
        NAME: properties.Schema(
            properties.Schema.STRING, 'Name of the bay model.'),
        COE: properties.Schema(
            properties.Schema.STRING, 'Container orchestration engine.',
            required=True,
            constraints=[constraints.AllowedValues(COES)]),
        IMAGE: properties.Schema(
            properties.Schema.STRING, 'Glance image (name or ID) of the '
            'servers.', required=True,
            constraints=[constraints.CustomConstraint('glance.image')]),
        FLAVOR: properties.Schema(
            properties.Schema.STRING, 'Nova flavor of the worker nodes.',
            constraints=[constraints.CustomConstraint('nova.flavor')]),
        MASTER_FLAVOR: properties.Schema(
            properties.Schema.STRING, 'Nova flavor of the masters.',
            constraints=[constraints.CustomConstraint('nova.flavor')]),
        KEYPAIR: properties.Schema(
            properties.Schema.STRING, 'Nova keypair of the servers.',
            constraints=[constraints.CustomConstraint('nova.keypair')]),
        EXTERNAL_NETWORK: properties.Schema(
            properties.Schema.STRING, 'External network name or ID.'),
        FIXED_NETWORK: properties.Schema(
            properties.Schema.STRING, 'Fixed network name or ID.'),
        DNS_NAMESERVER: properties.Schema(
            properties.Schema.STRING, 'DNS nameserver of the bay.'),
        NETWORK_DRIVER: properties.Schema(
            properties.Schema.STRING, 'Network driver of the COE.'),
        DOCKER_VOLUME_SIZE: properties.Schema(
            properties.Schema.INTEGER, 'Docker volume size in GB.',
            constraints=[constraints.Range(min=1)]),
        LABELS: properties.Schema(
            properties.Schema.MAP, 'Labels (e.g. availability_zone).',
            default={}),
        PUBLIC: properties.Schema(
            properties.Schema.BOOLEAN, 'Visible to every project.',
            default=False),
        TLS_DISABLED: properties.Schema(
            properties.Schema.BOOLEAN, 'Disable TLS of the COE API.',
            default=False),
        SERVER_TYPE: properties.Schema(
            properties.Schema.STRING, 'vm or bm.', default='vm',
            constraints=[constraints.AllowedValues(['vm', 'bm'])]),
        REGISTRY_ENABLED: properties.Schema(
            properties.Schema.BOOLEAN, 'Enable the docker registry.',
            default=False),
        FLOATING_IP_ENABLED: properties.Schema(
            properties.Schema.BOOLEAN, 'Give the servers floating IPs.',
            default=True),
        MASTER_LB_ENABLED: properties.Schema(
            properties.Schema.BOOLEAN, 'Put a load balancer before the '
            'masters.', default=False),
    }

    def handle_create(self):
        args = {self.API_NAMES.get(key, key): value
                for key, value in self.properties.items()
                if value is not None}
        args[self.NAME] = self.properties[self.NAME] or \
            self.physical_resource_name()
        model = self.client().cluster_templates.create(**args)
        self.resource_id_set(model.uuid)

    def handle_delete(self):
        if not self.resource_id:
            return
        try:
            self.client().cluster_templates.delete(self.resource_id)
        except Exception as exc:
            _not_found(self.client_plugin(), exc)

    def _show_resource(self):
        return self.client().cluster_templates.get(self.resource_id).to_dict()


class Bay(resource.Resource):
    """A magnumlite bay (cluster): masters and workers as Nova servers."""

    default_client_name = MAGNUM
    entity = 'clusters'

    PROPERTIES = (
        NAME, CLUSTER_TEMPLATE, BAYMODEL, NODE_COUNT, MASTER_COUNT,
        CREATE_TIMEOUT, KEYPAIR, DISCOVERY_URL, LABELS,
    ) = (
        'name', 'cluster_template', 'baymodel', 'node_count', 'master_count',
        'create_timeout', 'keypair', 'discovery_url', 'labels',
    )

    ATTRIBUTES = (
        API_ADDRESS, COE_VERSION, MASTER_ADDRESSES, NODE_ADDRESSES, STATUS,
        STATUS_REASON, NODE_COUNT_ATTR, MASTER_COUNT_ATTR, NAME_ATTR,
        CLUSTER_TEMPLATE_ID,
    ) = (
        'api_address', 'coe_version', 'master_addresses', 'node_addresses',
        'status', 'status_reason', 'node_count', 'master_count', 'name',
        'cluster_template_id',
    )

    properties_schema = {
        NAME: properties.Schema(
            properties.Schema.STRING,
            'Name of the bay (default: the physical resource name).',
            constraints=[constraints.AllowedPattern(
                '^[a-zA-Z][a-zA-Z0-9_.-]*$')]),
        CLUSTER_TEMPLATE: properties.Schema(
            properties.Schema.STRING,
            'Bay model (cluster template), name or ID.',
            constraints=[
                constraints.CustomConstraint('magnum.cluster_template')]),
        BAYMODEL: properties.Schema(
            properties.Schema.STRING,
            'Same as cluster_template, by its older name.',
            constraints=[
                constraints.CustomConstraint('magnum.cluster_template')]),
        NODE_COUNT: properties.Schema(
            properties.Schema.INTEGER, 'Number of worker nodes.',
            default=1, update_allowed=True,
            constraints=[constraints.Range(min=1)]),
        MASTER_COUNT: properties.Schema(
            properties.Schema.INTEGER, 'Number of masters.', default=1,
            constraints=[constraints.Range(min=1)]),
        CREATE_TIMEOUT: properties.Schema(
            properties.Schema.INTEGER,
            'Minutes magnumlite gives the bay to come up (0: no limit).',
            default=60, constraints=[constraints.Range(min=0)]),
        KEYPAIR: properties.Schema(
            properties.Schema.STRING,
            'Nova keypair (default: the bay model\'s).',
            constraints=[constraints.CustomConstraint('nova.keypair')]),
        DISCOVERY_URL: properties.Schema(
            properties.Schema.STRING, 'Custom discovery URL.'),
        LABELS: properties.Schema(
            properties.Schema.MAP,
            'Labels, over the bay model\'s (e.g. availability_zone).'),
    }

    attributes_schema = {
        API_ADDRESS: attributes.Schema(
            'Endpoint of the COE API (swarm-mode: tcp://<address>:2376, '
            'the DOCKER_HOST of `openstack coe cluster config`).',
            type=attributes.Schema.STRING),
        COE_VERSION: attributes.Schema(
            'Version of the COE (swarm-mode: the nodes\' Docker engine).',
            type=attributes.Schema.STRING),
        MASTER_ADDRESSES: attributes.Schema(
            'Addresses of the masters.', type=attributes.Schema.LIST),
        NODE_ADDRESSES: attributes.Schema(
            'Addresses of the worker nodes.', type=attributes.Schema.LIST),
        STATUS: attributes.Schema(
            'Status of the bay.', type=attributes.Schema.STRING),
        STATUS_REASON: attributes.Schema(
            'Why the bay has its status.', type=attributes.Schema.STRING),
        NODE_COUNT_ATTR: attributes.Schema(
            'Number of worker nodes.', type=attributes.Schema.INTEGER),
        MASTER_COUNT_ATTR: attributes.Schema(
            'Number of masters.', type=attributes.Schema.INTEGER),
        NAME_ATTR: attributes.Schema(
            'Name of the bay.', type=attributes.Schema.STRING),
        CLUSTER_TEMPLATE_ID: attributes.Schema(
            'UUID of the bay model.', type=attributes.Schema.STRING),
    }

    def translation_rules(self, props):
        return [
            # baymodel is cluster_template's older name
            translation.TranslationRule(
                props, translation.TranslationRule.REPLACE,
                [self.CLUSTER_TEMPLATE], value_path=[self.BAYMODEL]),
            translation.TranslationRule(
                props, translation.TranslationRule.RESOLVE,
                [self.CLUSTER_TEMPLATE],
                client_plugin=self.client_plugin(),
                finder='get_cluster_template'),
        ]

    def validate(self):
        super().validate()
        # after translation: baymodel, if given, is in cluster_template now
        if not self.properties[self.CLUSTER_TEMPLATE]:
            raise exception.StackValidationFailed(
                message='%s needs the property cluster_template (or its '
                        'older name, baymodel)' % self.name)

    def _bay(self, bay_id=None):
        return self.client().clusters.get(bay_id or self.resource_id)

    def _fail(self, bay):
        raise exception.Error('bay %s %s: %s' % (
            bay.name, bay.status,
            bay.status_reason or 'magnumlite gave no reason'))

    def _settled(self, bay_id, action, in_progress=()):
        """True once the bay reached ACTION_COMPLETE; fail on _FAILED."""
        bay = self._bay(bay_id)
        if bay.status == '%s_COMPLETE' % action:
            return True
        if bay.status.endswith('_FAILED'):
            self._fail(bay)
        if bay.status.endswith('_IN_PROGRESS') or bay.status in in_progress:
            return False
        raise exception.Error('bay %s is %s, not %s_COMPLETE (%s)' % (
            bay.name, bay.status, action, bay.status_reason or ''))

    def handle_create(self):
        props = self.properties
        args = {
            'name': props[self.NAME] or self.physical_resource_name(),
            'cluster_template_id': props[self.CLUSTER_TEMPLATE],
            'node_count': props[self.NODE_COUNT],
            'master_count': props[self.MASTER_COUNT],
            'create_timeout': props[self.CREATE_TIMEOUT],
        }
        for optional in (self.KEYPAIR, self.DISCOVERY_URL, self.LABELS):
            if props[optional] is not None:
                args[optional] = props[optional]
        bay = self.client().clusters.create(**args)
        self.resource_id_set(bay.uuid)
        return bay.uuid

    def check_create_complete(self, bay_id):
        return self._settled(bay_id, 'CREATE')

    def handle_update(self, json_snippet, tmpl_diff, prop_diff):
        if self.NODE_COUNT not in prop_diff:
            return None
        # the API sets UPDATE_IN_PROGRESS before it answers, so the poll
        # cannot see the previous UPDATE_COMPLETE as this update's
        self.client().clusters.update(self.resource_id, [{
            'op': 'replace', 'path': '/node_count',
            'value': prop_diff[self.NODE_COUNT]}])
        return self.resource_id

    def check_update_complete(self, bay_id):
        if bay_id is None:
            return True
        return self._settled(bay_id, 'UPDATE')

    def handle_delete(self):
        if not self.resource_id:
            return None
        try:
            self.client().clusters.delete(self.resource_id)
        except Exception as exc:
            _not_found(self.client_plugin(), exc)
            return None
        return self.resource_id

    def check_delete_complete(self, bay_id):
        if not bay_id:
            return True
        try:
            bay = self._bay(bay_id)
        except Exception as exc:
            return _not_found(self.client_plugin(), exc)
        if bay.status == 'DELETE_FAILED':
            self._fail(bay)
        return False

    def _resolve_attribute(self, name):
        if not self.resource_id:
            return None
        return getattr(self._bay(), name, None)

    def _show_resource(self):
        return self._bay().to_dict()


def resource_mapping():
    return {
        'OS::Magnumlite::BayModel': BayModel,
        'OS::Magnumlite::ClusterTemplate': BayModel,
        'OS::Magnumlite::Bay': Bay,
        'OS::Magnumlite::Cluster': Bay,
    }


def available_resource_mapping():
    # Heat's magnum client plugin needs python-magnumclient
    try:
        import magnumclient  # noqa: F401
    except ImportError:
        return {}
    return resource_mapping()
