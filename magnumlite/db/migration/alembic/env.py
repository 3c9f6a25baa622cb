"""Alembic environment: runs migrations on the connection it is handed.

magnumlite.db.migration passes a connection from the oslo.db engine in
config.attributes; run from the alembic CLI instead, the engine comes from
the [database] options of the global configuration.
"""

from alembic import context

from magnumlite.db import api as db_api
from magnumlite.db import models


def run_migrations(connection):
    context.configure(connection=connection,
                      target_metadata=models.Base.metadata,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError('Offline (SQL script) migrations are not supported.')

connection = context.config.attributes.get('connection')
if connection is not None:
    run_migrations(connection)
else:
    with db_api.get_engine().begin() as connection:
        run_migrations(connection)
