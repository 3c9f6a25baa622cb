"""The magnumlite configuration: every option group registered on CONF."""

from oslo_config import cfg

from magnumlite.conf import api
from magnumlite.conf import conductor
from magnumlite.conf import database
from magnumlite.conf import default

CONF = cfg.CONF

default.register_opts(CONF)
api.register_opts(CONF)
conductor.register_opts(CONF)
database.register_opts(CONF)
