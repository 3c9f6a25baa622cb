"""/v1/stats (1.4): how many clusters and nodes a project has."""

from magnumlite.api import response
from magnumlite.common import exception
from magnumlite.db import api as db_api

# What ?type= may ask for, as in Magnum.
STATS_TYPES = ('cluster',)


def show_stats(req):
    context = req.context
    context.can('stats:get_all')
    if req.GET.get('type', 'cluster').lower() not in STATS_TYPES:
        raise exception.InvalidParameterValue(
            err="Invalid stats type. Allowed values are '%s'"
            % ','.join(STATS_TYPES))
    project_id = req.GET.get('project_id')
    if not context.is_admin:
        # Others' stats are refused, as in Magnum; without ?project_id=
        # a project gets its own, an admin those of every project.
        if project_id and project_id != context.project_id:
            raise exception.NotAuthorized()
        project_id = context.project_id
    clusters, nodes = db_api.cluster_stats(context, project_id)
    return response.json_response({'clusters': clusters, 'nodes': nodes})
