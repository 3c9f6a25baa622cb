"""/v1/quotas: per-project limits on resources (only 'Cluster' so far).

A project without a quota of its own gets [quotas]
max_clusters_per_project (see handlers/cluster.py). Projects are checked
against keystone, as Magnum does: a quota for a project that does not
exist is a 404, not a row nobody can use.
"""

import webob

from magnumlite.api import collection
from magnumlite.api import references
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


def _path(req):
    """(project_id, resource) of the path, both valid ones (else 400)."""
    path = {'project_id': req.urlvars['project_id'],
            'resource': req.urlvars['resource']}
    validation.validate(schema.PATH, path)
    return path['project_id'], path['resource']


def show_quota(req):
    context = req.context
    project_id, resource = _path(req)
    context.can('quota:get', {'project_id': project_id})
    if not context.is_admin and project_id != context.project_id:
        # As in Magnum: a project reads only its own.
        raise exception.NotAuthorized()
    try:
        row = db_api.quota_get(context, project_id, resource)
    except exception.QuotaNotFound:
        references.check_project(req, project_id)
        # As Magnum: a project without a quota of its own is shown the
        # default it is held to (the dashboard draws "Used n of <limit>").
        return response.json_response({
            'project_id': project_id, 'resource': resource,
            'hard_limit': CONF.quotas.max_clusters_per_project})
    return response.json_response(_body(row))


def create_quota(req):
    context = req.context
    context.can('quota:create')
    body = validation.validated_body(req, schema.CREATE)
    references.check_project(req, body['project_id'])
    row = db_api.quota_create(context, body)
    return response.json_response(_body(row), status=201)


def update_quota(req):
    context = req.context
    body = validation.validated_body(req, schema.UPDATE)
    project_id, resource = _path(req)
    context.can('quota:update', {'project_id': project_id})
    row = db_api.quota_update(context, project_id, resource,
                              body['hard_limit'])
    # 202, as Magnum answers, though the change is already made.
    return response.json_response(_body(row), status=202)


def delete_quota(req):
    context = req.context
    project_id, resource = _path(req)
    context.can('quota:delete', {'project_id': project_id})
    db_api.quota_destroy(context, project_id, resource)
    return webob.Response(status=204)
