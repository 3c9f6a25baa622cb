"""SQLAlchemy models. Schema changes also need an alembic revision."""

from oslo_db.sqlalchemy import models
import sqlalchemy as sa
from sqlalchemy import orm


class Base(models.TimestampMixin, models.ModelBase, orm.DeclarativeBase):
    """created_at/updated_at on every table, dict-style access to columns."""


class MService(Base):
    """A magnumlite service process, kept alive by its heartbeats."""

    __tablename__ = 'mservices'
    __table_args__ = (
        sa.UniqueConstraint('host', 'binary',
                            name='uniq_mservices0host0binary'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    host = sa.Column(sa.String(255), nullable=False)
    binary = sa.Column(sa.String(255), nullable=False)
    report_count = sa.Column(sa.Integer, nullable=False, default=0)
    disabled = sa.Column(sa.Boolean, nullable=False, default=False)
    disabled_reason = sa.Column(sa.String(255), nullable=True)
