"""What a resize asked to roll back to (Magnum's ?rollback=True, API 1.3).

Revision ID: b7e4c9a1d305
Revises: 8f3a2d6c41e0
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

revision = 'b7e4c9a1d305'
down_revision = '8f3a2d6c41e0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('clusters') as batch:
        batch.add_column(sa.Column('rollback_node_count', sa.Integer(),
                                   nullable=True))
        batch.add_column(sa.Column('rollback_reason', sa.Text(),
                                   nullable=True))
