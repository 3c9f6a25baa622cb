"""Initial schema: the mservices table.

Revision ID: d2534725fdd1
Revises:
Create Date: 2025-11-24
"""

from alembic import op
import sqlalchemy as sa

revision = 'd2534725fdd1'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mservices',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('host', sa.String(255), nullable=False),
        sa.Column('binary', sa.String(255), nullable=False),
        sa.Column('report_count', sa.Integer(), nullable=False),
        sa.Column('disabled', sa.Boolean(), nullable=False),
        sa.Column('disabled_reason', sa.String(255), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.UniqueConstraint('host', 'binary',
                            name='uniq_mservices0host0binary'),
        mysql_engine='InnoDB',
        mysql_charset='utf8mb4',
    )
