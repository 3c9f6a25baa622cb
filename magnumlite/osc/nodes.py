"""`openstack coe cluster node list|show`: the Nova servers of a bay.

Magnum's CLI shows a cluster's addresses; these show the nodes behind
them (GET /v1/clusters/{cluster}/nodes, magnumlite's own): role, Nova
server, state and the fault Nova reported.
"""

from osc_lib.command import command

COLUMNS = ('uuid', 'name', 'role', 'status', 'server_id', 'addresses',
           'fault')


def _row(node, columns):
    return tuple(', '.join(node[c]) if c == 'addresses' else node[c]
                 for c in columns)


class ListNode(command.Lister):
    """List the nodes (Nova servers) of a cluster."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('cluster', metavar='<cluster>',
                            help='ID or name of the cluster')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.magnumlite
        nodes = client.get('/clusters/%s/nodes' % parsed_args.cluster)
        return COLUMNS, [_row(node, COLUMNS) for node in nodes['nodes']]


class ShowNode(command.ShowOne):
    """Show one node of a cluster."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('cluster', metavar='<cluster>',
                            help='ID or name of the cluster')
        parser.add_argument('node', metavar='<node>',
                            help="The node's ID or name, or its server's ID")
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.magnumlite
        node = client.get('/clusters/%s/nodes/%s' % (parsed_args.cluster,
                                                     parsed_args.node))
        columns = COLUMNS + ('cluster_uuid',)
        return columns, _row(node, columns)
