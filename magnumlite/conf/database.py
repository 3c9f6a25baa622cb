"""[database] options: owned by oslo.db, only the default is ours."""

from oslo_db import options

# oslo.config interpolates $state_path when the option is read, so moving
# state_path moves the default database with it.
DEFAULT_CONNECTION = 'sqlite:///$state_path/magnumlite.sqlite'


def register_opts(conf):
    options.set_defaults(conf, connection=DEFAULT_CONNECTION)


def list_opts():
    # The options themselves are listed by the oslo.db namespace of the
    # config generator; listing them here too would duplicate them.
    return {}
