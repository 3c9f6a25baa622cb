"""Options in [DEFAULT] that belong to magnumlite itself."""

import socket

from oslo_config import cfg

default_opts = [
    cfg.StrOpt(
        'host',
        default=socket.gethostname(),
        sample_default='<current_hostname>',
        help="""
Name of this node. The conductor registers itself under this name in the
mservices table and listens for RPC on a queue with this server name, so it
must be unique per conductor sharing a message bus and database.
"""),
    cfg.StrOpt(
        'state_path',
        default='/var/lib/magnumlite',
        help="""
Top-level directory for magnumlite's local state. The default SQLite
database lives here (see [database] connection).
"""),
]


def register_opts(conf):
    conf.register_opts(default_opts)


def list_opts():
    return {'DEFAULT': default_opts}
