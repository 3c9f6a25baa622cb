"""The CA of each TLS cluster and the conductor's client certificate.

Revision ID: 8f3a2d6c41e0
Revises: 5c1e0f7a9b21
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

revision = '8f3a2d6c41e0'
down_revision = '5c1e0f7a9b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cluster_certificates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cluster_id', sa.Integer(), nullable=False),
        sa.Column('ca_cert', sa.Text(), nullable=False),
        sa.Column('ca_key', sa.Text(), nullable=False),
        sa.Column('client_cert', sa.Text(), nullable=False),
        sa.Column('client_key', sa.Text(), nullable=False),
        sa.Column('pending_ca_cert', sa.Text(), nullable=True),
        sa.Column('pending_ca_key', sa.Text(), nullable=True),
        sa.Column('pending_client_cert', sa.Text(), nullable=True),
        sa.Column('pending_client_key', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'],
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('cluster_id',
                            name='uniq_cluster_certificates0cluster_id'),
    )
