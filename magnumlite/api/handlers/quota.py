"""/v1/quotas: per-project limits on resources (only 'Cluster' so far).

A project without a quota of its own gets [quotas]
max_clusters_per_project (see handlers/cluster.py).
"""

import webob

from magnumlite.api import collection
from magnumlite.api import response
from magnumlite.api.schemas import quota as schema
from magnumlite.api import validation
from magnumlite.common import exception
from magnumlite.conf import CONF
from magnumlite.db import api as db_api


def _body(row):
    return {
        'id': row.id,
        'project_id': row.project_id,
        'resource': row.resource,
        'hard_limit': row.hard_limit,
        'created_at': response.isotime(row.created_at),
        'updated_at': response.isotime(row.updated_at),
    }


def list_quotas(req):
    context = req.context
    context.can('quota:get_all')
    all_tenants = req.GET.get('all_tenants', '').lower() in ('true', '1')
    filters = {}
    if not (context.is_admin and all_tenants):
        filters['project_id'] = context.project_id
    page = collection.paging(req, marker_is_int=True)
    rows = db_api.quota_list(context, filters, **page)
    query = {'all_tenants': 'True'} if 'project_id' not in filters else {}
    return response.json_response(collection.collection(
        req, 'quotas', [_body(row) for row in rows], rows, page, 'quotas',
        marker_attribute='id', query=query))


def _target(req):
    return {'project_id': req.urlvars['project_id']}


def show_quota(req):
    req.context.can('quota:get', _target(req))
    project_id, resource = (req.urlvars['project_id'],
                            req.urlvars['resource'])
    try:
        row = db_api.quota_get(req.context, project_id, resource)
    except exception.QuotaNotFound:
        # As Magnum: a project without a quota of its own is shown the
        # default it is held to (the dashboard draws "Used n of <limit>").
        return response.json_response({
            'project_id': project_id, 'resource': resource,
            'hard_limit': CONF.quotas.max_clusters_per_project})
    return response.json_response(_body(row))


def create_quota(req):
    req.context.can('quota:create')
    body = validation.validated_body(req, schema.CREATE)
    row = db_api.quota_create(req.context, body)
    return response.json_response(_body(row), status=201)


def update_quota(req):
    req.context.can('quota:update', _target(req))
    body = validation.validated_body(req, schema.UPDATE)
    row = db_api.quota_update(req.context, req.urlvars['project_id'],
                              req.urlvars['resource'], body['hard_limit'])
    # 202, as Magnum answers, though the change is already made.
    return response.json_response(_body(row), status=202)


def delete_quota(req):
    req.context.can('quota:delete', _target(req))
    db_api.quota_destroy(req.context, req.urlvars['project_id'],
                         req.urlvars['resource'])
    return webob.Response(status=204)
