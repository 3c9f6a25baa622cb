"""Entry points for oslo-config-generator (namespace magnumlite.conf)."""

from oslo_config import cfg
from oslo_db import options as db_options

from magnumlite.conf import api
from magnumlite.conf import clients
from magnumlite.conf import conductor
from magnumlite.conf import database
from magnumlite.conf import default
from magnumlite.conf import quotas
from magnumlite.conf import trust
from magnumlite.conf import x509

_MODULES = (default, api, clients, conductor, database, quotas,
            trust, x509)


def list_opts():
    """oslo.config.opts: every option magnumlite itself defines."""
    return [(group, opts)
            for module in _MODULES
            for group, opts in module.list_opts().items()]


def set_lib_defaults():
    """oslo.config.opts.defaults: our defaults for library options.

    register_opts() sets them on CONF only; the generator reads them from
    the library's option objects, so they are set there for the sample.
    """
    cfg.set_defaults(db_options.database_opts,
                     connection=database.DEFAULT_CONNECTION)
