"""A cluster's CA: made with it, used to sign, rotated through a sync."""

from cryptography import x509 as crypto_x509
import fixtures

from magnumlite.common import exception
from magnumlite.conductor import certificates
from magnumlite.conductor import clusters
from magnumlite.conductor.coe import base as coe_base
from magnumlite.db import api as db_api
from tests.unit.conductor import test_clusters
from tests.unit import test_x509


def _load(pem):
    return crypto_x509.load_pem_x509_certificate(pem.encode())


class TestClusterCertificates(test_clusters.ClusterTestCase):
    """Swarm clusters (a COE with a TLS API), whose engines are not asked."""

    def setUp(self):
        super().setUp()
        db_api.cluster_template_update(self.admin, test_clusters.TEMPLATE,
                                       {'coe': 'swarm-mode'})
        done = coe_base.Outcome(coe_base.COMPLETE, 'swarm Ready', {})
        self.rotate_ca = self.useFixture(fixtures.MockPatch(
            'magnumlite.conductor.coe.swarm_mode.rotate_ca',
            return_value=done)).mock
        for name, value in (('converge', done),
                            ('health', ('HEALTHY', {}))):
            self.useFixture(fixtures.MockPatch(
                'magnumlite.conductor.coe.swarm_mode.' + name,
                return_value=value))

    def test_create_gives_a_tls_cluster_its_ca_and_client_certificate(self):
        uuid = self._complete_cluster()
        row = db_api.certificates_get(self.admin, uuid)
        ca = _load(row.ca_cert)
        _load(row.client_cert).verify_directly_issued_by(ca)
        # Stored encrypted; the conductor can decrypt them.
        self.assertNotIn('PRIVATE KEY', row.ca_key + row.client_key)
        [(ca_pair, client_pair)] = certificates.authorities(uuid)
        self.assertIn('PRIVATE KEY', ca_pair.key)
        self.assertEqual(row.ca_cert, certificates.ca_certificate(uuid))

    def test_create_of_a_second_conductor_keeps_the_first_ca(self):
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        first = certificates.ca_certificate(uuid)
        certificates.ensure(db_api.cluster_get(self.admin, uuid))
        self.assertEqual(first, certificates.ca_certificate(uuid))

    def test_a_cluster_without_a_coe_api_has_no_ca(self):
        db_api.cluster_template_update(self.admin, test_clusters.TEMPLATE,
                                       {'coe': 'kubernetes'})
        uuid = self._complete_cluster()
        self.assertIsNone(db_api.certificates_get(self.admin, uuid))
        self.assertRaises(exception.NotSupported,
                          certificates.ca_certificate, uuid)

    def test_create_without_encryption_keys_fails_saying_so(self):
        self.conf_fixture.config(group='x509', encryption_keys=[])
        uuid = self._new_cluster()
        clusters.start_create(self.user, uuid)
        cluster = db_api.cluster_get(self.admin, uuid)
        self.assertEqual('CREATE_FAILED', cluster.status)
        self.assertIn("could not create the cluster's CA",
                      cluster.status_reason)
        self.assertIn('[x509] encryption_keys is not set',
                      cluster.status_reason)
        self.assertEqual([], db_api.node_list(self.admin, uuid))

    def test_sign_makes_a_client_certificate_of_the_cluster(self):
        uuid = self._complete_cluster()
        cert = _load(certificates.sign(uuid, test_x509.csr()))
        cert.verify_directly_issued_by(
            _load(certificates.ca_certificate(uuid)))
        self.assertRaises(exception.InvalidCsr, certificates.sign, uuid,
                          'not a csr')

    def test_rotation_keeps_both_cas_until_the_sync_finishes_it(self):
        uuid = self._complete_cluster()
        old_ca = certificates.ca_certificate(uuid)
        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')
        clusters.start_ca_rotation(uuid)
        # Both usable while the nodes move over.
        authorities = certificates.authorities(uuid)
        self.assertEqual(2, len(authorities))
        self.assertEqual(old_ca, authorities[0][0].cert)
        new_ca = authorities[1][0].cert
        self.assertNotEqual(old_ca, new_ca)
        self.assertEqual(old_ca, certificates.ca_certificate(uuid))
        # A second request while one is under way changes nothing.
        clusters.start_ca_rotation(uuid)
        self.assertEqual(new_ca, certificates.authorities(uuid)[1][0].cert)

        cluster = self._sync(uuid)
        self.assertEqual('UPDATE_COMPLETE', cluster.status)
        self.assertEqual(new_ca, certificates.ca_certificate(uuid))
        self.assertEqual(1, len(certificates.authorities(uuid)))
        self.assertFalse(certificates.rotation_pending(uuid))

    def test_rotation_waits_for_the_servers_then_the_engines(self):
        uuid = self._complete_cluster()
        self._start_operation(uuid, 'UPDATE_IN_PROGRESS')
        clusters.start_ca_rotation(uuid)
        self.nova.servers.by_name('b-node-0').status = 'REBOOT'
        self.assertEqual('UPDATE_IN_PROGRESS', self._sync(uuid).status)
        self.rotate_ca.assert_not_called()
        self.nova.servers.by_name('b-node-0').status = 'ACTIVE'
        self.rotate_ca.return_value = coe_base.Outcome(
            coe_base.IN_PROGRESS, 'rotating the CA: b-node-0: given the new '
            'certificate', {})
        cluster = self._sync(uuid)
        self.assertEqual(('UPDATE_IN_PROGRESS', 'rotating the CA: b-node-0: '
                          'given the new certificate'),
                         (cluster.status, cluster.status_reason))
        self.assertTrue(certificates.rotation_pending(uuid))

    def test_delete_takes_the_certificates_along(self):
        uuid = self._complete_cluster()
        self._start_operation(uuid, 'DELETE_IN_PROGRESS')
        self._sync(uuid)
        self.nova.servers.finish_deletes()
        self.assertIsNone(self._sync(uuid))
        self.assertIsNone(db_api.certificates_get(self.admin, uuid))
