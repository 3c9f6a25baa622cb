"""/v1/bays and /v1/baymodels: Magnum's old names for clusters and templates.

Bays are clusters and baymodels cluster templates: the same rows, under
other collection names and the attribute names they had before Magnum
renamed them (Magnum removed them in 1.11; they are served at every
microversion, since clients that still use them ask for "latest"). Their
handlers are those of clusters and templates, through a View that
translates; this module is the only place that knows the legacy
representation:

- the collection names, in paths, links, Location and list bodies;
- the attributes clusters renamed (baymodel_id, bay_create_timeout,
  bay_faults), in answers and in the create request;
- what else they show and take: a baymodel has no hidden, tags or
  driver; a bay create takes only what BAY_CREATE lists; a bay keeps
  stack_id at every microversion, where a cluster shows cluster_id from
  1.13;
- a bay create before 1.2 answers 201 and the bay, as Magnum's
  synchronous create did;
- the schemas of their create requests (BAY_CREATE, BAYMODEL_CREATE),
  here rather than in schemas/ since their names are the legacy ones.

Their update and delete are those of clusters and templates: nothing in
the request or the answer names a bay.
"""

import copy
import functools

from magnumlite.api.handlers import cluster
from magnumlite.api.handlers import cluster_template
from magnumlite.api import microversion
from magnumlite.api import response
from magnumlite.api.schemas import cluster as cluster_schema
from magnumlite.api.schemas import cluster_template as template_schema
from magnumlite.api.schemas import common
from magnumlite.api import validation


# Bays

# Cluster attribute -> its name in a bay.
_BAY_NAMES = {'cluster_template_id': 'baymodel_id',
              'create_timeout': 'bay_create_timeout',
              'faults': 'bay_faults'}
_CLUSTER_NAMES = {bay: name for name, bay in _BAY_NAMES.items()}
# What a list (not /detail) shows of each bay, as Magnum's.
BAY_SUMMARY_FIELDS = ('uuid', 'name', 'baymodel_id', 'node_count',
                      'status', 'bay_create_timeout', 'master_count',
                      'stack_id', 'links')

# POST /v1/bays (1.1): the attributes bays had, under their old names.
BAY_CREATE = {
    'type': 'object',
    'properties': {
        name: common.nullable(cluster_schema.PROPERTIES[name]) for name in (
            'name', 'node_count', 'master_count', 'discovery_url',
            'docker_volume_size', 'labels', 'master_flavor_id',
            'flavor_id', 'keypair')},
    'required': ['baymodel_id'],
    'additionalProperties': False,
}
BAY_CREATE['properties'].update(
    baymodel_id=common.STRING,
    bay_create_timeout=common.nullable(
        cluster_schema.PROPERTIES['create_timeout']))


class BayView(cluster.View):
    """Clusters as /v1/bays shows them, and its create request."""

    collection = 'bays'
    names = _BAY_NAMES
    summary_fields = tuple(_CLUSTER_NAMES.get(field, field)
                           for field in BAY_SUMMARY_FIELDS)

    def shows_cluster_id(self, req):
        # Bays keep stack_id at every microversion.
        return False

    def create_values(self, req):
        body = validation.validated_body(req, BAY_CREATE)
        return {_CLUSTER_NAMES.get(key, key): value
                for key, value in body.items()}

    def created(self, req, row):
        if not microversion.at_least(req, '1.2'):
            # Bays were created synchronously before 1.2: the answer was
            # the bay.
            return response.json_response(self.body(req, row), status=201)
        return super().created(req, row)


BAYS = BayView()

list_bays = functools.partial(cluster.list_collection, view=BAYS,
                              detail=False)
list_bays_detail = functools.partial(cluster.list_collection, view=BAYS,
                                     detail=True)
show_bay = functools.partial(cluster.show, view=BAYS)
create_bay = functools.partial(cluster.create, view=BAYS)
update_bay = cluster.update_cluster
delete_bay = cluster.delete_cluster


# Baymodels

# Template attributes added after bays were renamed.
_NEWER_THAN_BAYMODELS = ('hidden', 'tags', 'driver')

# POST /v1/baymodels (1.1): a template's, without the newer attributes.
BAYMODEL_CREATE = copy.deepcopy(template_schema.CREATE)
for _newer in _NEWER_THAN_BAYMODELS:
    del BAYMODEL_CREATE['properties'][_newer]


class BaymodelView(cluster_template.View):
    """Cluster templates as /v1/baymodels shows them and creates them."""

    collection = 'baymodels'
    fields = tuple(field for field in cluster_template.FIELDS
                   if field not in _NEWER_THAN_BAYMODELS)
    create_schema = BAYMODEL_CREATE


BAYMODELS = BaymodelView()

list_baymodels = functools.partial(cluster_template.list_collection,
                                   view=BAYMODELS, detail=False)
list_baymodels_detail = functools.partial(cluster_template.list_collection,
                                          view=BAYMODELS, detail=True)
show_baymodel = functools.partial(cluster_template.show, view=BAYMODELS)
create_baymodel = functools.partial(cluster_template.create, view=BAYMODELS)
update_baymodel = functools.partial(cluster_template.update,
                                    view=BAYMODELS)
delete_baymodel = cluster_template.delete_cluster_template
