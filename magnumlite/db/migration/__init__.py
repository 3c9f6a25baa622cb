"""Schema migrations (alembic), run by magnumlite-db-manage."""

import os

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration

from magnumlite.db import api as db_api

_SCRIPT_LOCATION = os.path.join(os.path.dirname(__file__), 'alembic')


def upgrade(version='head'):
    """Migrate the configured database up to revision version."""
    config = alembic_config.Config()
    config.set_main_option('script_location', _SCRIPT_LOCATION)
    with db_api.get_engine().begin() as connection:
        config.attributes['connection'] = connection
        command.upgrade(config, version)


def version():
    """The revision the configured database is at, None if unmigrated."""
    with db_api.get_engine().connect() as connection:
        context = alembic_migration.MigrationContext.configure(connection)
        return context.get_current_revision()
