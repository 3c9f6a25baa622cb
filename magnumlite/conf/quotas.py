"""Options for the default quotas."""

from oslo_config import cfg

quotas_group = cfg.OptGroup(
    'quotas',
    title='Quota options',
    help='Limits on what projects may have: the default cluster quota of '
         'projects that have no quota of their own, and node limits.')

quotas_opts = [
    cfg.IntOpt(
        'max_clusters_per_project',
        default=20,
        min=0,
        help="""
Clusters a project may have when no quota for its 'Cluster' resource was
set through /v1/quotas (Magnum's option of the same name and default).
"""),
    cfg.IntOpt(
        'max_nodes_per_cluster',
        default=100,
        min=1,
        help="""
Nodes (Nova servers: masters plus workers) one cluster may have. A create,
update or resize asking for more is refused with 400 before anything is
recorded, and a conductor drops a request for more, so no request can make
a conductor allocate in proportion to an unchecked count.
"""),
    cfg.IntOpt(
        'max_nodes_per_project',
        default=200,
        min=1,
        help="""
Nodes (Nova servers) the clusters of one project may have together:
masters plus workers of every cluster, as each cluster's row counts them.
A create, update or resize that would go above it is refused with 403
(Magnum's "Resource Limit Exceeded") before it reaches a conductor.
"""),
]


def register_opts(conf):
    conf.register_group(quotas_group)
    conf.register_opts(quotas_opts, group=quotas_group)


def list_opts():
    return {quotas_group: quotas_opts}
