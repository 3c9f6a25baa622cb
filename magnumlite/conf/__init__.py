"""The magnumlite configuration: every option group registered on CONF."""

from oslo_config import cfg

from magnumlite.conf import api
from magnumlite.conf import clients
from magnumlite.conf import conductor
from magnumlite.conf import database
from magnumlite.conf import default
from magnumlite.conf import quotas
from magnumlite.conf import trust
from magnumlite.conf import x509

CONF = cfg.CONF

default.register_opts(CONF)
api.register_opts(CONF)
conductor.register_opts(CONF)
database.register_opts(CONF)
clients.register_opts(CONF)
quotas.register_opts(CONF)
trust.register_opts(CONF)
x509.register_opts(CONF)
