"""Clusters, their templates, their nodes (Nova servers) and quotas.

Revision ID: 5c1e0f7a9b21
Revises: d2534725fdd1
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa

revision = '5c1e0f7a9b21'
down_revision = 'd2534725fdd1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cluster_templates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=True),
        sa.Column('project_id', sa.String(length=255), nullable=True),
        sa.Column('user_id', sa.String(length=255), nullable=True),
        sa.Column('coe', sa.String(length=255), nullable=True),
        sa.Column('image_id', sa.String(length=255), nullable=True),
        sa.Column('flavor_id', sa.String(length=255), nullable=True),
        sa.Column('master_flavor_id', sa.String(length=255), nullable=True),
        sa.Column('keypair_id', sa.String(length=255), nullable=True),
        sa.Column('external_network_id', sa.String(length=255), nullable=True),
        sa.Column('fixed_network', sa.String(length=255), nullable=True),
        sa.Column('fixed_subnet', sa.String(length=255), nullable=True),
        sa.Column('network_driver', sa.String(length=255), nullable=True),
        sa.Column('volume_driver', sa.String(length=255), nullable=True),
        sa.Column('dns_nameserver', sa.String(length=255), nullable=True),
        sa.Column('docker_volume_size', sa.Integer(), nullable=True),
        sa.Column('docker_storage_driver', sa.String(length=255),
                  nullable=True),
        sa.Column('labels', sa.JSON(), nullable=False),
        sa.Column('tls_disabled', sa.Boolean(), nullable=False),
        sa.Column('public', sa.Boolean(), nullable=False),
        sa.Column('hidden', sa.Boolean(), nullable=False),
        sa.Column('server_type', sa.String(length=255), nullable=True),
        sa.Column('registry_enabled', sa.Boolean(), nullable=False),
        sa.Column('insecure_registry', sa.String(length=255), nullable=True),
        sa.Column('http_proxy', sa.String(length=255), nullable=True),
        sa.Column('https_proxy', sa.String(length=255), nullable=True),
        sa.Column('no_proxy', sa.String(length=255), nullable=True),
        sa.Column('master_lb_enabled', sa.Boolean(), nullable=False),
        sa.Column('floating_ip_enabled', sa.Boolean(), nullable=False),
        sa.Column('cluster_distro', sa.String(length=255), nullable=True),
        sa.Column('apiserver_port', sa.Integer(), nullable=True),
        sa.Column('tags', sa.String(length=255), nullable=True),
        sa.Column('driver', sa.String(length=255), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('uuid', name='uniq_cluster_templates0uuid'),
        mysql_engine='InnoDB',
        mysql_charset='utf8mb4',
    )
    op.create_table(
        'clusters',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=True),
        sa.Column('project_id', sa.String(length=255), nullable=True),
        sa.Column('user_id', sa.String(length=255), nullable=True),
        sa.Column('cluster_template_id', sa.String(length=255), nullable=True),
        sa.Column('keypair', sa.String(length=255), nullable=True),
        sa.Column('flavor_id', sa.String(length=255), nullable=True),
        sa.Column('master_flavor_id', sa.String(length=255), nullable=True),
        sa.Column('docker_volume_size', sa.Integer(), nullable=True),
        sa.Column('labels', sa.JSON(), nullable=False),
        sa.Column('master_count', sa.Integer(), nullable=False),
        sa.Column('node_count', sa.Integer(), nullable=False),
        sa.Column('create_timeout', sa.Integer(), nullable=False),
        sa.Column('discovery_url', sa.String(length=255), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=True),
        sa.Column('status_reason', sa.Text(), nullable=True),
        sa.Column('api_address', sa.String(length=255), nullable=True),
        sa.Column('coe_version', sa.String(length=255), nullable=True),
        sa.Column('container_version', sa.String(length=255), nullable=True),
        sa.Column('fixed_network', sa.String(length=255), nullable=True),
        sa.Column('fixed_subnet', sa.String(length=255), nullable=True),
        sa.Column('floating_ip_enabled', sa.Boolean(), nullable=False),
        sa.Column('master_lb_enabled', sa.Boolean(), nullable=False),
        sa.Column('health_status', sa.String(length=20), nullable=True),
        sa.Column('health_status_reason', sa.JSON(), nullable=False),
        sa.Column('stack_id', sa.String(length=255), nullable=True),
        sa.Column('trust_id', sa.String(length=255), nullable=True),
        sa.Column('trustee_user_id', sa.String(length=255), nullable=True),
        sa.Column('operation_started_at', sa.DateTime(), nullable=True),
        sa.Column('claimed_by', sa.String(length=255), nullable=True),
        sa.Column('claimed_until', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('uuid', name='uniq_clusters0uuid'),
        mysql_engine='InnoDB',
        mysql_charset='utf8mb4',
    )
    with op.batch_alter_table('clusters', schema=None) as batch_op:
        batch_op.create_index('clusters_project_id_idx', ['project_id'])
        batch_op.create_index('clusters_status_idx', ['status'])

    op.create_table(
        'quotas',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.String(length=255), nullable=False),
        sa.Column('resource', sa.String(length=255), nullable=False),
        sa.Column('hard_limit', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('project_id', 'resource',
                            name='uniq_quotas0project_id0resource'),
        mysql_engine='InnoDB',
        mysql_charset='utf8mb4',
    )
    op.create_table(
        'cluster_nodes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('cluster_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.Enum('master', 'worker',
                                  name='cluster_node_role',
                                  native_enum=False, create_constraint=True),
                  nullable=False),
        sa.Column('name', sa.String(length=255), nullable=True),
        sa.Column('server_id', sa.String(length=36), nullable=True),
        sa.Column('status', sa.String(length=255), nullable=True),
        sa.Column('addresses', sa.JSON(), nullable=False),
        sa.Column('fault', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'],
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('uuid', name='uniq_cluster_nodes0uuid'),
        mysql_engine='InnoDB',
        mysql_charset='utf8mb4',
    )
    with op.batch_alter_table('cluster_nodes', schema=None) as batch_op:
        batch_op.create_index('cluster_nodes_cluster_id_idx',
                              ['cluster_id'])
