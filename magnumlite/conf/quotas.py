"""Options for the default quotas."""

from oslo_config import cfg

quotas_group = cfg.OptGroup(
    'quotas',
    title='Quota options',
    help='Limits applied to projects that have no quota of their own.')

quotas_opts = [
    cfg.IntOpt(
        'max_clusters_per_project',
        default=20,
        min=0,
        help="""
Clusters a project may have when no quota for its 'Cluster' resource was
set through /v1/quotas (Magnum's option of the same name and default).
"""),
]


def register_opts(conf):
    conf.register_group(quotas_group)
    conf.register_opts(quotas_opts, group=quotas_group)


def list_opts():
    return {quotas_group: quotas_opts}
