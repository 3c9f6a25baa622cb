"""The message bus: one transport per process, shared by clients and servers.

Contexts travel as RequestContext.to_dict() and come back as
magnumlite RequestContext objects; payloads are JSON primitives.
"""

import oslo_messaging as messaging

from magnumlite.common import context
from magnumlite.common import exception
from magnumlite.conf import CONF

_TRANSPORT = None


class RequestContextSerializer(messaging.Serializer):

    def __init__(self, base=None):
        self._base = base or messaging.JsonPayloadSerializer()

    def serialize_entity(self, ctxt, entity):
        return self._base.serialize_entity(ctxt, entity)

    def deserialize_entity(self, ctxt, entity):
        return self._base.deserialize_entity(ctxt, entity)

    def serialize_context(self, ctxt):
        return ctxt.to_dict()

    def deserialize_context(self, ctxt):
        return context.RequestContext.from_dict(ctxt)


def get_transport():
    global _TRANSPORT
    if _TRANSPORT is None:
        messaging.set_transport_defaults(control_exchange='magnumlite')
        # A conductor's MagnumliteException reaches the API as itself
        # (with its HTTP code), not as a RemoteError.
        _TRANSPORT = messaging.get_rpc_transport(
            CONF, allowed_remote_exmods=[exception.__name__])
    return _TRANSPORT


def cleanup():
    global _TRANSPORT
    if _TRANSPORT is not None:
        _TRANSPORT.cleanup()
    _TRANSPORT = None


def get_client(target):
    return messaging.get_rpc_client(
        get_transport(), target, serializer=RequestContextSerializer())


def get_server(target, endpoints):
    # Explicitly threading: magnumlite never monkey-patches with eventlet,
    # and oslo.messaging would otherwise guess from the environment.
    return messaging.get_rpc_server(
        get_transport(), target, endpoints, executor='threading',
        serializer=RequestContextSerializer())
