"""The request context passed through the API, RPC and the database."""

from oslo_context import context
from oslo_db.sqlalchemy import enginefacade

from magnumlite.common import policy


# The provider decorator lets enginefacade hang a session on the context for
# the duration of a @reader/@writer function (see magnumlite.db.api).
@enginefacade.transaction_context_provider
class RequestContext(context.RequestContext):

    def __init__(self, is_admin=None, **kwargs):
        super().__init__(is_admin=is_admin, **kwargs)
        # A context from keystone headers does not say whether it is an
        # admin; the context_is_admin policy rule decides, so that operators
        # can redefine "admin" in one place.
        if self.is_admin is None:
            self.is_admin = policy.check_is_admin(self)

    def can(self, action, target=None):
        """Raise PolicyNotAuthorized unless this context may do action."""
        policy.authorize(self, action, target)


def get_admin_context():
    """A context for work a service does on its own behalf."""
    return RequestContext(is_admin=True, overwrite=False)
