"""Which projects' rows a request works on.

Everyone works in the project of their token; an admin whom the
resource's *_all_projects rule allows works across projects, as in
Magnum. Rows of another project are then simply not found (404), so a
project cannot even learn that they exist.
"""

from magnumlite.common import exception


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
