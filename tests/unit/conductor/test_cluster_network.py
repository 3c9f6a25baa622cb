"""What a cluster's Neutron resources should be (the pure part)."""

from magnumlite.conductor import cluster_network
from tests.unit import base

CLUSTER = {'uuid': 'c-1', 'name': 'b', 'labels': {}, 'fixed_network': None,
           'fixed_subnet': None, 'floating_ip_enabled': True}
TEMPLATE = {'coe': 'swarm-mode', 'external_network_id': 'public',
            'dns_nameserver': '8.8.8.8'}


def plan(cluster=None, template=None):
    return cluster_network.plan(dict(CLUSTER, **(cluster or {})),
                                dict(TEMPLATE, **(template or {})))


class TestPlan(base.TestCase):

    def test_without_fixed_network_the_cluster_has_its_own(self):
        wanted = plan()
        self.assertEqual((True, '10.0.0.0/24', ['8.8.8.8'], 'public', True),
                         (wanted.own_network, wanted.cidr,
                          wanted.dns_nameservers, wanted.external_network,
                          wanted.floating_ips))

    def test_fixed_network_or_subnet_is_used(self):
        self.assertFalse(plan({'fixed_network': 'private'}).own_network)
        self.assertFalse(plan({'fixed_subnet': 'private-subnet'}).own_network)

    def test_label_sets_the_cidr_and_no_dns_server_is_none(self):
        wanted = plan({'labels': {'fixed_network_cidr': '10.9.0.0/24'}},
                      {'dns_nameserver': None})
        self.assertEqual(('10.9.0.0/24', []),
                         (wanted.cidr, wanted.dns_nameservers))

    def test_floating_ips_need_the_flag_and_an_external_network(self):
        self.assertFalse(plan({'floating_ip_enabled': False}).floating_ips)
        self.assertFalse(plan(template={'external_network_id': ''})
                         .floating_ips)

    def test_rules_follow_the_coe(self):
        swarm = plan().rules
        # ICMP, SSH and the TLS Docker API from anywhere; everything
        # between nodes; published services on unprivileged ports
        for rule in (('icmp', None, None, 'anywhere'),
                     ('tcp', 22, 22, 'anywhere'),
                     ('tcp', 2376, 2376, 'anywhere'),
                     ('tcp', None, None, 'group'),
                     ('udp', None, None, 'group'),
                     ('tcp', 1024, 65535, 'anywhere'),
                     ('udp', 1024, 65535, 'anywhere')):
            self.assertIn(rule, swarm)
        self.assertIn(('tcp', 6443, 6443, 'anywhere'),
                      plan(template={'coe': 'kubernetes'}).rules)
        self.assertEqual(cluster_network.DEFAULT_RULES,
                         plan(template={'coe': 'other'}).rules)


class TestRules(base.TestCase):

    def test_bodies(self):
        self.assertEqual(
            {'security_group_id': 'g', 'direction': 'ingress',
             'ethertype': 'IPv4', 'protocol': 'udp', 'port_range_min': None,
             'port_range_max': None, 'remote_group_id': 'g'},
            cluster_network.rule_body(('udp', None, None, 'group'), 'g'))
        self.assertEqual(
            '0.0.0.0/0',
            cluster_network.rule_body(('tcp', 22, 22, 'anywhere'),
                                      'g')['remote_ip_prefix'])

    def test_only_missing_rules_are_made(self):
        rules = (('icmp', None, None, 'anywhere'),
                 ('tcp', 22, 22, 'anywhere'))
        # Neutron's default egress rules are not ours and do not count.
        existing = [{'direction': 'egress', 'ethertype': 'IPv4',
                     'protocol': None},
                    cluster_network.rule_body(rules[0], 'g')]
        self.assertEqual([cluster_network.rule_body(rules[1], 'g')],
                         cluster_network.missing_rules(rules, existing, 'g'))
        self.assertEqual([], cluster_network.missing_rules(
            rules, existing + [cluster_network.rule_body(rules[1], 'g')], 'g'))
