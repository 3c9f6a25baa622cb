"""Database access functions.

Every function takes a RequestContext first: enginefacade opens the
session (or joins the caller's transaction) and exposes it as
context.session.
"""

import collections
import datetime
import functools
import json

from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_db.sqlalchemy import utils as db_utils
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from magnumlite.common import exception
from magnumlite.db import models
from magnumlite.db import sqlite_writers


def transaction_context():
    """An enginefacade manager for magnumlite's database.

    Configured from the [database] options of the global CONF when it
    starts (on first use).
    """
    manager = enginefacade.transaction_context()
    manager.append_on_engine_create(sqlite_writers.serialise_writers)
    return manager


context_manager = transaction_context()


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


# Clusters, cluster templates, their nodes and quotas.
#
# Scoping is the caller's: these functions return what their filters ask
# for, and the API puts the request's project into them.

# LIKE pattern of the statuses of an operation under way.
_IN_PROGRESS = '%\\_IN\\_PROGRESS'


def _not_found_for(model):
    return {
        models.Cluster: lambda key: exception.ClusterNotFound(cluster=key),
        models.ClusterTemplate: lambda key: exception.ClusterTemplateNotFound(
            clustertemplate=key),
        models.ClusterNode: lambda key: exception.ClusterNodeNotFound(
            node=key),
    }[model]


# Magnum's wording when a name is not unique.
_MULTIPLE_NAMES = {
    models.Cluster: ('Multiple clusters exist with same name. Please use '
                     'the cluster uuid instead.'),
    models.ClusterTemplate: ('Multiple ClusterTemplates exist with same '
                             'name. Please use the ClusterTemplate uuid '
                             'instead.'),
}


def _filtered(query, model, filters):
    """query restricted to rows whose columns equal filters' values.

    A list or tuple value matches any of its items.
    """
    for key, value in (filters or {}).items():
        column = model.__table__.columns[key]
        if isinstance(value, (list, tuple)):
            query = query.filter(column.in_(value))
        else:
            query = query.filter(column == value)
    return query


def _visible_templates(query, visible_to):
    """Templates visible_to a project: its own and the public ones."""
    if visible_to is None:
        return query
    return query.filter(sa.or_(
        models.ClusterTemplate.project_id == visible_to,
        models.ClusterTemplate.public.is_(True)))


def _get_by_uuid_or_name(query, model, uuid_or_name):
    if uuidutils.is_uuid_like(uuid_or_name):
        row = query.filter(model.uuid == uuid_or_name).one_or_none()
    else:
        rows = query.filter(model.name == uuid_or_name).limit(2).all()
        if len(rows) > 1:
            raise exception.Conflict(_MULTIPLE_NAMES[model])
        row = rows[0] if rows else None
    if row is None:
        raise _not_found_for(model)(uuid_or_name)
    return row


def _is_json(column):
    return isinstance(column.type, sa.JSON)


def _paginated(query, model, limit, marker, sort_key, sort_dir):
    """query sorted by sort_key (then id), after marker, at most limit.

    marker is the row after which the page starts, as Magnum's: the last
    row of the previous page.
    """
    # JSON columns have no order on every database (PostgreSQL's json).
    columns = model.__table__.columns
    if sort_key not in columns or _is_json(columns[sort_key]):
        raise exception.InvalidParameterValue(
            err='The sort_key value "%s" is an invalid field for sorting.'
            % sort_key)
    if sort_dir not in ('asc', 'desc'):
        raise exception.InvalidParameterValue(
            err="Invalid sort direction: %s. Acceptable values are 'asc' "
                "or 'desc'" % sort_dir)
    sort_keys = [sort_key] if sort_key == 'id' else [sort_key, 'id']
    return db_utils.paginate_query(query, model, limit, sort_keys,
                                   marker=marker, sort_dir=sort_dir)


def _create(context, model, values, already_exists):
    row = model(**values)
    if not row.uuid:
        row.uuid = uuidutils.generate_uuid()
    context.session.add(row)
    try:
        # Here, not at commit, so the duplicate is ours to translate.
        context.session.flush()
    except db_exc.DBDuplicateEntry:
        raise already_exists(uuid=row.uuid)
    return row


def _update(row, values):
    if 'uuid' in values or 'id' in values:
        raise exception.InvalidParameterValue(
            err='Cannot overwrite UUID for an existing %s.'
            % type(row).__name__)
    for key, value in values.items():
        setattr(row, key, value)
    return row


@context_manager.writer
def cluster_template_create(context, values):
    return _create(context, models.ClusterTemplate, values,
                   exception.ClusterTemplateAlreadyExists)


@context_manager.reader
def cluster_template_get(context, uuid_or_name, visible_to=None):
    """The template, if visible_to (a project id) is None or may see it."""
    query = _visible_templates(
        context.session.query(models.ClusterTemplate), visible_to)
    return _get_by_uuid_or_name(query, models.ClusterTemplate, uuid_or_name)


@context_manager.reader
def cluster_template_list(context, filters=None, limit=None, marker=None,
                          sort_key='id', sort_dir='asc', visible_to=None):
    """Templates matching filters; marker is a uuid, as in the API."""
    query = _visible_templates(
        context.session.query(models.ClusterTemplate), visible_to)
    query = _filtered(query, models.ClusterTemplate, filters)
    if marker is not None:
        marker = _get_by_uuid_or_name(query, models.ClusterTemplate, marker)
    return _paginated(query, models.ClusterTemplate, limit, marker,
                      sort_key, sort_dir).all()


@context_manager.writer
def cluster_template_update(context, uuid, values):
    row = _get_by_uuid_or_name(
        context.session.query(models.ClusterTemplate),
        models.ClusterTemplate, uuid)
    return _update(row, values)


@context_manager.writer
def cluster_template_destroy(context, uuid):
    """Delete the template; ClusterTemplateReferenced if clusters use it."""
    row = _get_by_uuid_or_name(
        context.session.query(models.ClusterTemplate),
        models.ClusterTemplate, uuid)
    in_use = context.session.query(
        sa.exists().where(models.Cluster.cluster_template_id == row.uuid)
    ).scalar()
    if in_use:
        raise exception.ClusterTemplateReferenced(clustertemplate=uuid)
    context.session.delete(row)


@context_manager.writer
def cluster_create(context, values):
    return _create(context, models.Cluster, values,
                   exception.ClusterAlreadyExists)


@context_manager.reader
def cluster_get(context, uuid_or_name, project_id=None):
    """The cluster, if project_id is None or owns it."""
    query = _filtered(context.session.query(models.Cluster), models.Cluster,
                      {} if project_id is None else {'project_id': project_id})
    return _get_by_uuid_or_name(query, models.Cluster, uuid_or_name)


def _columns(model, names):
    """The columns of model's table named in names (None: every column).

    A JSON column is read as its text, the same on every database (the
    PostgreSQL driver would decode it, the others give text): _rows
    decodes a page's worth at once.
    """
    table = model.__table__
    columns = list(table.columns) if names is None else [
        table.columns[name] for name in names]
    return [sa.cast(column, sa.Text).label(column.name)
            if _is_json(column) else column for column in columns]


@functools.lru_cache(maxsize=64)
def _row_type(names):
    return collections.namedtuple('Row', names)


def _decoded(texts):
    """The JSON documents texts (None: SQL NULL), decoded in one call.

    One json.loads of the page's documents as one array instead of one
    per row: a detail list of 1,000 clusters decoded 4,000 values, a fifth
    of its time.
    """
    texts = ['null' if text is None else text for text in texts]
    values = json.loads('[%s]' % ','.join(texts)) if texts else []
    if len(values) != len(texts):
        # A stored document that is not one value: say which.
        return [json.loads(text) for text in texts]
    return values


def _rows(result, model):
    """result's rows as read-only named tuples, JSON columns decoded."""
    names = tuple(result.keys())
    rows = result.all()
    if not rows:
        return []
    columns = list(zip(*rows))
    table = model.__table__.columns
    for i, name in enumerate(names):
        if name in table and _is_json(table[name]):
            columns[i] = _decoded(columns[i])
    return list(map(_row_type(names)._make, zip(*columns)))


@context_manager.reader
def cluster_list(context, filters=None, limit=None, marker=None,
                 sort_key='id', sort_dir='asc', columns=None):
    """Clusters matching filters (column -> value or list of values).

    One query for the page, and one for the marker when there is one. The
    page's rows are read-only named tuples of the columns named in
    columns, in that order (default: every column), not ORM objects:
    building a thousand ORM instances was half the time of a list, and
    every column read is one more to convert.
    """
    query = _filtered(context.session.query(models.Cluster), models.Cluster,
                      filters)
    if marker is not None:
        marker = _get_by_uuid_or_name(query, models.Cluster, marker)
    page = _paginated(query, models.Cluster, limit, marker,
                      sort_key, sort_dir).with_entities(
                          *_columns(models.Cluster, columns))
    return _rows(context.session.execute(page.statement), models.Cluster)


@context_manager.writer
def cluster_update(context, uuid, values):
    row = _get_by_uuid_or_name(
        context.session.query(models.Cluster), models.Cluster, uuid)
    return _update(row, values)


@context_manager.writer
def cluster_update_unless_in_progress(context, uuid, values):
    """cluster_update, refused while an operation is under way.

    One conditional UPDATE, so of two requests racing to start an
    operation only one does.

    :raises: ClusterOperationInProgress, with the status that refused it.
    """
    cluster = models.Cluster
    updated = context.session.execute(
        sa.update(cluster)
        .where(cluster.uuid == uuid,
               sa.or_(cluster.status.is_(None),
                      sa.not_(cluster.status.like(_IN_PROGRESS,
                                                  escape='\\'))))
        .values(**values)
        .execution_options(synchronize_session=False))
    row = _get_by_uuid_or_name(context.session.query(cluster), cluster, uuid)
    if updated.rowcount == 0:
        raise exception.ClusterOperationInProgress(status=row.status)
    return row


@context_manager.writer
def cluster_destroy(context, uuid):
    row = _get_by_uuid_or_name(
        context.session.query(models.Cluster), models.Cluster, uuid)
    # The foreign key cascades on MySQL and PostgreSQL; SQLite does not
    # enforce foreign keys, so the nodes go explicitly.
    for dependent in (models.ClusterNode, models.ClusterCertificates):
        context.session.execute(sa.delete(dependent).where(
            dependent.cluster_id == row.id))
    context.session.delete(row)


@context_manager.writer
def cluster_claim(context, uuid, claimant, lease_seconds, dead_hosts=()):
    """Let claimant work the cluster for lease_seconds, unless another does.

    A claimant is one conductor worker process (host/worker).

    One UPDATE, so of several conductors racing for a cluster exactly one
    wins; the holder renews by claiming again. A lease that ran out (its
    conductor died), or held by a worker of one of dead_hosts (conductor
    hosts whose heartbeats stopped), is free for anyone.

    :returns: whether claimant now holds the cluster.
    """
    now = timeutils.utcnow()
    cluster = models.Cluster
    claimed = context.session.execute(
        sa.update(cluster)
        .where(cluster.uuid == uuid,
               sa.or_(cluster.claimed_by.is_(None),
                      cluster.claimed_by == claimant,
                      cluster.claimed_until < now,
                      *[cluster.claimed_by.startswith(host + '/',
                                                      autoescape=True)
                        for host in dead_hosts]))
        # A claim is not a change clients see: updated_at stays.
        .values(claimed_by=claimant,
                claimed_until=now + datetime.timedelta(seconds=lease_seconds),
                updated_at=cluster.updated_at)
        .execution_options(synchronize_session=False))
    return claimed.rowcount == 1


@context_manager.writer
def cluster_release(context, uuid, claimant):
    """Give up claimant's claim on the cluster, if it holds it."""
    cluster = models.Cluster
    context.session.execute(
        sa.update(cluster)
        .where(cluster.uuid == uuid, cluster.claimed_by == claimant)
        .values(claimed_by=None, claimed_until=None,
                updated_at=cluster.updated_at)
        .execution_options(synchronize_session=False))


@context_manager.reader
def clusters_in_progress(context):
    """Clusters of every project with an operation under way."""
    return context.session.scalars(
        sa.select(models.Cluster)
        .where(models.Cluster.status.like(_IN_PROGRESS, escape='\\'))
        .order_by(models.Cluster.id)).all()


@context_manager.reader
def clusters_with_status(context, statuses):
    """Clusters of every project in one of statuses."""
    return context.session.scalars(
        sa.select(models.Cluster)
        .where(models.Cluster.status.in_(statuses))
        .order_by(models.Cluster.id)).all()


@context_manager.reader
def cluster_stats(context, project_id=None):
    """(clusters, nodes) of project_id, or of every project if None.

    Nodes are counted as Magnum does: masters plus workers as requested;
    the API holds projects to their quotas with the same counts.
    """
    query = sa.select(
        sa.func.count(models.Cluster.id),
        sa.func.coalesce(sa.func.sum(models.Cluster.master_count), 0),
        sa.func.coalesce(sa.func.sum(models.Cluster.node_count), 0))
    if project_id is not None:
        query = query.where(models.Cluster.project_id == project_id)
    clusters, masters, workers = context.session.execute(query).one()
    return clusters, masters + workers


@context_manager.writer
def node_create(context, cluster_uuid, values):
    cluster = _get_by_uuid_or_name(
        context.session.query(models.Cluster), models.Cluster, cluster_uuid)
    return _create(context, models.ClusterNode,
                   dict(values, cluster_id=cluster.id),
                   exception.ClusterNodeAlreadyExists)


@context_manager.reader
def node_list(context, cluster_uuid):
    """The cluster's nodes, oldest first ([] for an unknown cluster)."""
    return context.session.scalars(
        sa.select(models.ClusterNode)
        .join(models.Cluster)
        .where(models.Cluster.uuid == cluster_uuid)
        .order_by(models.ClusterNode.id)).all()


@context_manager.reader
def cluster_of_server(context, server_id):
    """The cluster one of whose nodes is Nova server server_id, or None."""
    return context.session.scalars(
        sa.select(models.Cluster)
        .join(models.ClusterNode)
        .where(models.ClusterNode.server_id == server_id)).first()


@context_manager.reader
def node_list_by_cluster(context, cluster_ids, columns=None):
    """{cluster id: its nodes, oldest first} in one query.

    The nodes are read-only named tuples of columns (see cluster_list),
    followed by their cluster's id.
    """
    nodes = {cluster_id: [] for cluster_id in cluster_ids}
    node = models.ClusterNode
    for row in _rows(context.session.execute(
            sa.select(*_columns(node, columns),
                      node.cluster_id.label('of_cluster'))
            .where(node.cluster_id.in_(list(cluster_ids)))
            .order_by(node.id)), node):
        nodes[row[-1]].append(row)
    return nodes


@context_manager.writer
def node_update(context, node_uuid, values):
    row = _get_by_uuid_or_name(
        context.session.query(models.ClusterNode), models.ClusterNode,
        node_uuid)
    return _update(row, values)


@context_manager.writer
def node_destroy(context, node_uuid):
    row = _get_by_uuid_or_name(
        context.session.query(models.ClusterNode), models.ClusterNode,
        node_uuid)
    context.session.delete(row)


def _certificates_query(context, cluster_uuid):
    return (context.session.query(models.ClusterCertificates)
            .join(models.Cluster)
            .filter(models.Cluster.uuid == cluster_uuid))


@context_manager.reader
def certificates_get(context, cluster_uuid):
    """The cluster's certificates row, or None if it has none (yet)."""
    return _certificates_query(context, cluster_uuid).one_or_none()


# Two conductors may race to give a cluster its first certificates: the
# loser's insert fails, and its retry finds the winner's row.
@oslo_db_api.wrap_db_retry(
    max_retries=1, exception_checker=lambda exc: isinstance(
        exc, db_exc.DBDuplicateEntry))
@context_manager.writer
def certificates_create(context, cluster_uuid, values):
    """Give the cluster its certificates, unless it has them already.

    Returns the row that is stored: this one, or the one stored before
    (the first CA stays the cluster's CA).
    """
    existing = _certificates_query(context, cluster_uuid).one_or_none()
    if existing is not None:
        return existing
    cluster = _get_by_uuid_or_name(
        context.session.query(models.Cluster), models.Cluster, cluster_uuid)
    row = models.ClusterCertificates(cluster_id=cluster.id, **values)
    context.session.add(row)
    context.session.flush()
    return row


@context_manager.writer
def certificates_update(context, cluster_uuid, values):
    row = _certificates_query(context, cluster_uuid).one_or_none()
    if row is None:
        raise exception.ClusterNotFound(cluster=cluster_uuid)
    return _update(row, values)


def _quota_not_found(project_id, resource):
    return exception.QuotaNotFound(
        msg='project_id %s resource %s.' % (project_id, resource))


def _get_quota(context, project_id, resource):
    row = context.session.query(models.Quota).filter_by(
        project_id=project_id, resource=resource).one_or_none()
    if row is None:
        raise _quota_not_found(project_id, resource)
    return row


@context_manager.reader
def quota_get(context, project_id, resource):
    return _get_quota(context, project_id, resource)


@context_manager.writer
def quota_create(context, values):
    row = models.Quota(**values)
    context.session.add(row)
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry:
        raise exception.QuotaAlreadyExists(project_id=row.project_id,
                                           resource=row.resource)
    return row


@context_manager.writer
def quota_update(context, project_id, resource, hard_limit):
    row = _get_quota(context, project_id, resource)
    row.hard_limit = hard_limit
    return row


@context_manager.writer
def quota_destroy(context, project_id, resource):
    context.session.delete(_get_quota(context, project_id, resource))


@context_manager.reader
def quota_list(context, filters=None, limit=None, marker=None,
               sort_key='id', sort_dir='asc'):
    """Quotas matching filters; marker is a quota id, as in Magnum."""
    query = _filtered(context.session.query(models.Quota), models.Quota,
                      filters)
    marker_row = None
    if marker is not None:
        marker_row = query.filter(models.Quota.id == marker).one_or_none()
        if marker_row is None:
            raise exception.QuotaNotFound(msg='id %s.' % marker)
    return _paginated(query, models.Quota, limit, marker_row,
                      sort_key, sort_dir).all()
