"""Server side of the conductor RPC API: the endpoint the RPC server calls."""

import oslo_messaging as messaging

BINARY = 'magnumlite-conductor'


class ConductorManager:

    # Keep in step with ConductorAPI.RPC_API_VERSION.
    target = messaging.Target(version='1.0')

    def __init__(self, host):
        self.host = host

    def ping(self, context):
        return {'host': self.host, 'binary': BINARY}
