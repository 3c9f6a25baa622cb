"""Database access functions.

Every function takes a RequestContext first: enginefacade opens the
session (or joins the caller's transaction) and exposes it as
context.session.
"""

from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_utils import timeutils
import sqlalchemy as sa

from magnumlite.db import models

# Configured from the [database] options of the global CONF on first use.
context_manager = enginefacade.transaction_context()


def get_engine():
    return context_manager.writer.get_engine()


# Two workers of the same service may race to insert its first row; the
# loser retries and then finds the row to update.
@oslo_db_api.wrap_db_retry(
    max_retries=5, retry_interval=0.1,
    exception_checker=lambda exc: isinstance(exc, db_exc.DBDuplicateEntry))
@context_manager.writer
def mservice_heartbeat(context, host, binary):
    """Record that binary on host is alive: bump report_count, updated_at.

    The UPDATE sets updated_at through the column's onupdate; the INSERT
    sets it explicitly, so that every heartbeat leaves its time there.
    """
    updated = context.session.execute(
        sa.update(models.MService)
        .where(models.MService.host == host,
               models.MService.binary == binary)
        .values(report_count=models.MService.report_count + 1))
    if updated.rowcount == 0:
        context.session.add(models.MService(
            host=host, binary=binary, report_count=1,
            updated_at=timeutils.utcnow()))


@context_manager.reader
def mservice_list(context):
    return context.session.scalars(
        sa.select(models.MService).order_by(models.MService.id)).all()
