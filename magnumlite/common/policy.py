"""Policy enforcement: oslo.policy with the defaults from policies/."""

from oslo_policy import policy

from magnumlite.common import exception
from magnumlite.common import policies
from magnumlite.conf import CONF

_ENFORCER = None


def init():
    global _ENFORCER
    if _ENFORCER is None:
        _ENFORCER = policy.Enforcer(CONF)
        _ENFORCER.register_defaults(policies.list_rules())
    return _ENFORCER


def reset():
    global _ENFORCER
    if _ENFORCER is not None:
        _ENFORCER.clear()
    _ENFORCER = None


def get_enforcer():
    """Entry point oslo.policy.enforcer = magnumlite, for oslopolicy-* tools.

    Those tools run outside any service, so the configuration has not been
    parsed yet.
    """
    CONF([], project='magnumlite')
    return init()


def authorize(context, action, target=None):
    """Raise PolicyNotAuthorized unless context may perform action."""
    if target is None:
        target = {'project_id': context.project_id,
                  'user_id': context.user_id}
    try:
        allowed = init().authorize(action, target, context)
    except policy.InvalidScope:
        # [oslo_policy] enforce_scope: a token of another scope (system,
        # domain) than the rule's is refused like any other.
        allowed = False
    if not allowed:
        raise exception.PolicyNotAuthorized(action=action)


def check_is_admin(context):
    return init().authorize('context_is_admin', {}, context)
