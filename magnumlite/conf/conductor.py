"""Options for the conductor service."""

from oslo_config import cfg

conductor_group = cfg.OptGroup(
    'conductor',
    title='Conductor options',
    help='Options for the magnumlite-conductor service.')

conductor_opts = [
    cfg.StrOpt(
        'topic',
        default='magnumlite-conductor',
        help='RPC topic the conductor listens on and the API sends to.'),
    cfg.IntOpt(
        'report_interval',
        default=10,
        min=1,
        help='Seconds between conductor heartbeats to the database.'),
    cfg.IntOpt(
        'service_down_time',
        default=60,
        min=1,
        help="""
Seconds since its last heartbeat after which a service is reported "down".
Keep it comfortably above report_interval.
"""),
    cfg.IntOpt(
        'workers',
        default=1,
        min=1,
        help="""
Number of conductor worker processes to run. Each claims the clusters it
drives as host/worker number, so no cluster is driven by two workers (or
two hosts) at once; a cluster whose worker died is taken over when its
claim_lease ends, or as soon as its host's heartbeats are
service_down_time old.
"""),
    cfg.IntOpt(
        'sync_threads',
        default=8,
        min=1,
        help="""
Clusters one conductor worker drives at the same time in a sync pass. Each
cluster is driven by one thread at a time; their work is mostly waiting on
Nova, Neutron and keystone, so a few threads let many clusters created at
once progress together.
"""),
    cfg.IntOpt(
        'cluster_request_threads',
        default=8,
        min=1,
        help="""
Requests one cluster's sync pass has in flight at the same time: the
creates of its new servers, and the Nova, Glance and Neutron requests
before them that do not wait on each other (image and flavor lookups,
server groups, the network beside the security group). Each of the
sync_threads clusters has its own.
"""),
    cfg.IntOpt(
        'group_placement_wait',
        default=60,
        min=0,
        max=3600,
        help="""
Seconds the create of a server waits, at most, for Nova to have placed the
server of the same server group asked for before it. Nova weighs and
filters a group's members by the hosts it has already chosen for the
others, so members asked for all at once stack on one host (the soft
policies) or are refused by the compute host's late check (the hard ones).
The servers of different groups (masters, workers) are still asked for at
the same time. 0 asks for all of them at once.
"""),
    cfg.IntOpt(
        'sync_interval',
        default=60,
        min=1,
        help="""
Seconds between passes over the clusters in progress when nothing asks for
one sooner: each pass reads their servers from Nova, updates node and
cluster status, and renews this conductor's claim on them. Nova's
notifications about a cluster's servers (nova_notifications) start a pass at
once, so this is the safety net for a lost notification or an unreachable
service.
"""),
    cfg.IntOpt(
        'coe_poll_interval',
        default=2,
        min=1,
        help="""
Seconds between passes while a cluster's servers are all there and it waits
for its COE to come up on them (no notification announces that).
"""),
    cfg.BoolOpt(
        'nova_notifications',
        default=True,
        help="""
Listen to Nova's versioned notifications (instance.create.end,
instance.update, instance.delete.end, instance.create.error...) and act on
the clusters whose servers they are about at once: a pass for a cluster in
progress, a health check for a cluster at rest. Nova must send them:
[oslo_messaging_notifications] driver = messagingv2 and [notifications]
notification_format = versioned (or both) in nova.conf. They are read from
the [oslo_messaging_notifications] transport_url (default: transport_url).
"""),
    cfg.StrOpt(
        'nova_notification_topic',
        default='versioned_notifications',
        help="Nova's [notifications] versioned_notifications_topics."),
    cfg.StrOpt(
        'nova_control_exchange',
        default='nova',
        help="The exchange Nova's services publish on (Nova's "
             "control_exchange)."),
    cfg.IntOpt(
        'health_interval',
        default=60,
        min=0,
        help="""
Seconds between health checks of the clusters at rest (CREATE_COMPLETE,
UPDATE_COMPLETE): a cluster is HEALTHY while all its servers are ACTIVE in
Nova, UNHEALTHY otherwise, with each node's server status (or fault) in
health_status_reason; UNKNOWN when Nova cannot be asked. 0 disables the
checks. Checks run between sync passes, so the actual interval is rounded
up to sync_interval.
"""),
    cfg.IntOpt(
        'claim_lease',
        default=180,
        min=1,
        help="""
Seconds a conductor's claim on a cluster lasts unless renewed by its next
sync pass. When a conductor worker dies, another one takes its clusters over
after this; when a whole conductor host stops heartbeating, the conductors
of the other hosts take its clusters over once it is reported down
(service_down_time). Keep it comfortably above sync_interval.
"""),
]


def register_opts(conf):
    conf.register_group(conductor_group)
    conf.register_opts(conductor_opts, group=conductor_group)


def list_opts():
    return {conductor_group: conductor_opts}
