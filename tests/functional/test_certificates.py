"""The certificates API through a real conductor over RabbitMQ.

The API (noauth) passes the CSR to the conductor, which alone can decrypt
the bay's CA key; what comes back is verified with the CA's certificate.
"""

import os

from cryptography.fernet import Fernet
from cryptography import x509 as crypto_x509
from oslo_config import fixture as config_fixture

from magnumlite.common import context
from magnumlite.common import x509
from magnumlite.conf import CONF
from magnumlite.db import api as db_api
from tests.functional import test_api_conductor
from tests.unit import test_x509

KEY = Fernet.generate_key().decode()


class TestCertificates(test_api_conductor.ServicesTestCase):

    EXTRA_CONFIG = '[x509]\nencryption_keys = %s\n' % KEY

    def setUp(self):
        super().setUp()
        conf = self.useFixture(config_fixture.Config(CONF))
        conf.config(group='database', connection='sqlite:///%s' % (
            os.path.join(self.tempdir, 'magnumlite.sqlite')))
        conf.config(group='x509', encryption_keys=[KEY])
        manager = db_api.transaction_context()
        self.addCleanup(db_api.context_manager.patch_factory(manager))
        self.addCleanup(manager.dispose_pool)
        admin = context.get_admin_context()
        db_api.cluster_template_create(admin, {
            'uuid': 'c2b4ad1e-3a9e-4f7d-9b5a-1d8e6f0a2b3c', 'name': 't',
            'coe': 'swarm-mode', 'project_id': 'p1'})
        self.cluster = db_api.cluster_create(admin, {
            'name': 'c1', 'project_id': 'p1', 'status': 'CREATE_COMPLETE',
            'cluster_template_id': 'c2b4ad1e-3a9e-4f7d-9b5a-1d8e6f0a2b3c'})
        self.ca = x509.generate_ca('c1')
        db_api.certificates_create(admin, self.cluster.uuid, {
            'ca_cert': self.ca.cert, 'ca_key': x509.encrypt_key(self.ca.key),
            'client_cert': 'unused', 'client_key': 'unused'})
        # The conductor listens before a test calls it: a call sent before
        # its queue exists is dropped by RabbitMQ and only times out (seen
        # in CI as "none answered in time").
        self._ping()

    def _post(self, csr):
        return test_api_conductor.requests.post(
            self.base_url + '/v1/certificates', timeout=70,
            json={'cluster_uuid': self.cluster.uuid, 'csr': csr},
            headers={'X-Project-Id': 'p1', 'X-Roles': 'member'})

    def test_conductor_signs_a_csr_with_the_bay_ca(self):
        resp = self._post(test_x509.csr())
        self.assertEqual(201, resp.status_code, resp.text)
        cert = crypto_x509.load_pem_x509_certificate(
            resp.json()['pem'].encode())
        cert.verify_directly_issued_by(
            crypto_x509.load_pem_x509_certificate(self.ca.cert.encode()))

    def test_conductor_errors_arrive_as_themselves(self):
        # A CA key the conductor's keys cannot decrypt: the conductor's
        # CertificatesUnavailable reaches the client as its 503.
        db_api.certificates_update(
            context.get_admin_context(), self.cluster.uuid,
            {'ca_key': Fernet(Fernet.generate_key()).encrypt(b'x').decode()})
        resp = self._post(test_x509.csr())
        self.assertEqual(503, resp.status_code, resp.text)
        self.assertIn('no key in [x509] encryption_keys decrypts',
                      resp.json()['errors'][0]['detail'])
