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


class ClusterTemplate(Base):
    """A cluster template: how the clusters made from it look."""

    __tablename__ = 'cluster_templates'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_cluster_templates0uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    name = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    user_id = sa.Column(sa.String(255))
    coe = sa.Column(sa.String(255))
    image_id = sa.Column(sa.String(255))
    flavor_id = sa.Column(sa.String(255))
    master_flavor_id = sa.Column(sa.String(255))
    keypair_id = sa.Column(sa.String(255))
    external_network_id = sa.Column(sa.String(255))
    fixed_network = sa.Column(sa.String(255))
    fixed_subnet = sa.Column(sa.String(255))
    network_driver = sa.Column(sa.String(255))
    volume_driver = sa.Column(sa.String(255))
    dns_nameserver = sa.Column(sa.String(255))
    docker_volume_size = sa.Column(sa.Integer)
    docker_storage_driver = sa.Column(sa.String(255))
    labels = sa.Column(sa.JSON, nullable=False, default=dict)
    tls_disabled = sa.Column(sa.Boolean, nullable=False, default=False)
    public = sa.Column(sa.Boolean, nullable=False, default=False)
    hidden = sa.Column(sa.Boolean, nullable=False, default=False)
    server_type = sa.Column(sa.String(255))
    registry_enabled = sa.Column(sa.Boolean, nullable=False, default=False)
    insecure_registry = sa.Column(sa.String(255))
    http_proxy = sa.Column(sa.String(255))
    https_proxy = sa.Column(sa.String(255))
    no_proxy = sa.Column(sa.String(255))
    master_lb_enabled = sa.Column(sa.Boolean, nullable=False, default=False)
    floating_ip_enabled = sa.Column(sa.Boolean, nullable=False, default=True)
    cluster_distro = sa.Column(sa.String(255))
    apiserver_port = sa.Column(sa.Integer)
    tags = sa.Column(sa.String(255))
    driver = sa.Column(sa.String(255))


class Cluster(Base):
    """A cluster: its Nova servers are its cluster_nodes."""

    __tablename__ = 'clusters'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_clusters0uuid'),
        sa.Index('clusters_project_id_idx', 'project_id'),
        sa.Index('clusters_status_idx', 'status'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    name = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    user_id = sa.Column(sa.String(255))
    # The template's uuid, as in Magnum (no foreign key there either: the
    # API refuses to delete a template that clusters use).
    cluster_template_id = sa.Column(sa.String(255))
    keypair = sa.Column(sa.String(255))
    flavor_id = sa.Column(sa.String(255))
    master_flavor_id = sa.Column(sa.String(255))
    docker_volume_size = sa.Column(sa.Integer)
    labels = sa.Column(sa.JSON, nullable=False, default=dict)
    master_count = sa.Column(sa.Integer, nullable=False, default=1)
    node_count = sa.Column(sa.Integer, nullable=False, default=1)
    # Minutes, as Magnum's; 0 means no timeout.
    create_timeout = sa.Column(sa.Integer, nullable=False, default=60)
    discovery_url = sa.Column(sa.String(255))
    status = sa.Column(sa.String(20))
    status_reason = sa.Column(sa.Text)
    api_address = sa.Column(sa.String(255))
    coe_version = sa.Column(sa.String(255))
    container_version = sa.Column(sa.String(255))
    fixed_network = sa.Column(sa.String(255))
    fixed_subnet = sa.Column(sa.String(255))
    floating_ip_enabled = sa.Column(sa.Boolean, nullable=False,
                                    default=True)
    master_lb_enabled = sa.Column(sa.Boolean, nullable=False, default=False)
    health_status = sa.Column(sa.String(20))
    health_status_reason = sa.Column(sa.JSON, nullable=False, default=dict)
    # Always NULL: there is no Heat stack; kept because clients show it.
    stack_id = sa.Column(sa.String(255))
    trust_id = sa.Column(sa.String(255))
    trustee_user_id = sa.Column(sa.String(255))
    # When the current CREATE/UPDATE/DELETE/ROLLBACK began; the conductor
    # measures create_timeout from it.
    operation_started_at = sa.Column(sa.DateTime)
    # A resize asked with ?rollback=True: the node count to go back to if
    # it fails (NULL otherwise); then, while and after rolling back, why
    # the resize failed.
    rollback_node_count = sa.Column(sa.Integer)
    rollback_reason = sa.Column(sa.Text)
    # The conductor worker (host/worker) working the cluster, until
    # claimed_until (see db.api.cluster_claim).
    claimed_by = sa.Column(sa.String(255))
    claimed_until = sa.Column(sa.DateTime)


class ClusterNode(Base):
    """One Nova server of a cluster, as the conductor last saw it."""

    __tablename__ = 'cluster_nodes'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_cluster_nodes0uuid'),
        sa.Index('cluster_nodes_cluster_id_idx', 'cluster_id'),
        sa.Index('cluster_nodes_server_id_idx', 'server_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    cluster_id = sa.Column(
        sa.Integer, sa.ForeignKey('clusters.id', ondelete='CASCADE'),
        nullable=False)
    role = sa.Column(sa.Enum('master', 'worker', name='cluster_node_role',
                             native_enum=False, create_constraint=True),
                     nullable=False)
    name = sa.Column(sa.String(255))
    server_id = sa.Column(sa.String(36))
    status = sa.Column(sa.String(255))
    addresses = sa.Column(sa.JSON, nullable=False, default=list)
    fault = sa.Column(sa.Text)


class Quota(Base):
    """A project's hard limit on a resource ('Cluster')."""

    __tablename__ = 'quotas'
    __table_args__ = (
        sa.UniqueConstraint('project_id', 'resource',
                            name='uniq_quotas0project_id0resource'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    project_id = sa.Column(sa.String(255), nullable=False)
    resource = sa.Column(sa.String(255), nullable=False)
    hard_limit = sa.Column(sa.Integer, nullable=False)


class ClusterCertificates(Base):
    """A TLS cluster's CA and the conductor's client certificate.

    The private keys are encrypted with [x509] encryption_keys. A CA
    rotation first writes the new pair into the pending_* columns, hands
    the nodes their new certificates, then makes it current: a conductor
    that dies half way finds both and can still reach every node.
    """

    __tablename__ = 'cluster_certificates'
    __table_args__ = (
        sa.UniqueConstraint('cluster_id',
                            name='uniq_cluster_certificates0cluster_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    cluster_id = sa.Column(
        sa.Integer, sa.ForeignKey('clusters.id', ondelete='CASCADE'),
        nullable=False)
    ca_cert = sa.Column(sa.Text, nullable=False)
    ca_key = sa.Column(sa.Text, nullable=False)
    client_cert = sa.Column(sa.Text, nullable=False)
    client_key = sa.Column(sa.Text, nullable=False)
    pending_ca_cert = sa.Column(sa.Text)
    pending_ca_key = sa.Column(sa.Text)
    pending_client_cert = sa.Column(sa.Text)
    pending_client_key = sa.Column(sa.Text)
