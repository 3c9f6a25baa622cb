"""A stand-in for the Neutron API, for servers booted with ``--nic none``.

Nova talks to Neutron even for servers without networks: it lists their
ports on delete and when refreshing their network info. Until the all-in-one
runs a real Neutron, this answers those reads with empty collections so that
Nova works; every write is refused with Neutron's error body, so nothing can
pretend to create a network. It listens on 127.0.0.1 only.

    python neutron_standin.py [PORT]
"""

import http.server
import json
import sys


class NeutronStandin(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def _reply(self, status, body=None):
        data = json.dumps(body).encode() if body is not None else b''
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status, kind, message):
        self._reply(status, {'NeutronError': {
            'type': kind, 'message': message, 'detail': ''}})

    def do_GET(self):
        parts = [p for p in self.path.split('?')[0].split('/') if p]
        if parts[:1] == ['v2.0']:
            parts = parts[1:]
        elif not parts:
            return self._reply(200, {'versions': [{
                'id': 'v2.0', 'status': 'CURRENT', 'links': []}]})
        if len(parts) == 1:
            # a collection: ports, networks, extensions, security-groups...
            name = parts[0].removesuffix('.json').replace('-', '_')
            return self._reply(200, {name: []})
        self._error(404, 'NotFound', 'The Neutron stand-in has no resources')

    def _refuse(self):
        self._error(501, 'NotImplemented',
                    'The all-in-one runs a Neutron stand-in that only '
                    'answers reads; boot servers with --nic none')

    do_POST = do_PUT = do_DELETE = do_PATCH = _refuse

    def log_message(self, fmt, *args):
        sys.stderr.write('neutron-standin: %s\n' % (fmt % args))


if __name__ == '__main__':
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9696
    http.server.ThreadingHTTPServer(('127.0.0.1', port),
                                    NeutronStandin).serve_forever()
