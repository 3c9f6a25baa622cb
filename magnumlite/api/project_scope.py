"""Which projects' rows a request works on.

Everyone works in the project of their token; an admin whom the
resource's *_all_projects rule allows works across projects, as in
Magnum. Rows of another project are then simply not found (404), so a
project cannot even learn that they exist.
"""

from magnumlite.common import exception
from magnumlite.db import api as db_api


def project_id_filter(context, all_projects_rule):
    """None (every project) or the one project the request may see."""
    if context.is_admin:
        try:
            context.can(all_projects_rule)
        except exception.PolicyNotAuthorized:
            pass
        else:
            return None
    return context.project_id


def visible_cluster(req, ident=None):
    """The cluster ident (default: the path's), if the request may see it.

    Not found (404) when it is another project's and the request may not
    work across projects; the caller checks its own rule next.
    """
    context = req.context
    project_id = project_id_filter(context, 'cluster:get_one_all_projects')
    return db_api.cluster_get(context, ident or req.urlvars['cluster_ident'],
                              project_id=project_id)
