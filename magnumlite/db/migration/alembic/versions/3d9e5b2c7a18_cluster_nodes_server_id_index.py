"""Index cluster_nodes.server_id: Nova's notifications name a server.

Revision ID: 3d9e5b2c7a18
Revises: b7e4c9a1d305
Create Date: 2026-12-01
"""

from alembic import op

revision = '3d9e5b2c7a18'
down_revision = 'b7e4c9a1d305'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('cluster_nodes_server_id_idx', 'cluster_nodes',
                    ['server_id'])
