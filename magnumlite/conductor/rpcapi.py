"""Client side of the conductor RPC API."""

import oslo_messaging as messaging

from magnumlite.common import rpc
from magnumlite.conf import CONF


class ConductorAPI:
    """Client side of the conductor RPC API.

    API version history:

    * 1.0 - Initial version: ping.
    """

    RPC_API_VERSION = '1.0'

    def __init__(self, topic=None):
        target = messaging.Target(topic=topic or CONF.conductor.topic,
                                  version=self.RPC_API_VERSION)
        self.client = rpc.get_client(target)

    def ping(self, context, timeout=None):
        """Ask any conductor on the topic who it is; waits for the answer.

        :returns: {'host': ..., 'binary': ...} of the answering conductor.
        """
        cctxt = self.client.prepare(timeout=timeout)
        return cctxt.call(context, 'ping')
