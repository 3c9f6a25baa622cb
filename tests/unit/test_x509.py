"""The certificate authority of bays (magnumlite.common.x509)."""

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509 as crypto_x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID

from magnumlite.common import exception
from magnumlite.common import x509
from tests.unit import base


def _load(pem):
    return crypto_x509.load_pem_x509_certificate(pem.encode())


def _usages(cert):
    return list(cert.extensions.get_extension_for_class(
        crypto_x509.ExtendedKeyUsage).value)


def csr(common_name='admin', extensions=()):
    """A CSR as a client makes one (magnumclient: RSA, CN=admin)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    builder = crypto_x509.CertificateSigningRequestBuilder().subject_name(
        crypto_x509.Name([crypto_x509.NameAttribute(NameOID.COMMON_NAME,
                                                    common_name)]))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(key, hashes.SHA256()).public_bytes(
        serialization.Encoding.PEM).decode()


class TestAuthority(base.TestCase):

    def setUp(self):
        super().setUp()
        self.ca = x509.generate_ca('bay-1')
        self.ca_cert = _load(self.ca.cert)

    def test_ca_is_a_ca_that_signs_end_certificates_only(self):
        constraints = self.ca_cert.extensions.get_extension_for_class(
            crypto_x509.BasicConstraints).value
        self.assertEqual((True, 0), (constraints.ca,
                                     constraints.path_length))
        self.assertEqual(self.ca_cert.subject, self.ca_cert.issuer)

    def test_server_certificate_names_every_address(self):
        pair = x509.issue_server(self.ca, 'b-node-0',
                                 ['b-node-0', '10.0.0.5', '172.24.4.9',
                                  '10.0.0.5'])
        cert = _load(pair.cert)
        cert.verify_directly_issued_by(self.ca_cert)
        names = cert.extensions.get_extension_for_class(
            crypto_x509.SubjectAlternativeName).value
        self.assertEqual(['b-node-0'],
                         names.get_values_for_type(crypto_x509.DNSName))
        self.assertEqual(['10.0.0.5', '172.24.4.9'],
                         [str(ip) for ip in names.get_values_for_type(
                             crypto_x509.IPAddress)])
        self.assertEqual([ExtendedKeyUsageOID.SERVER_AUTH], _usages(cert))
        self.assertIn('PRIVATE KEY', pair.key)

    def test_signed_csr_is_a_client_certificate_whatever_it_asks(self):
        # A CSR asking to be a CA and a server for some address.
        greedy = csr(extensions=[
            (crypto_x509.BasicConstraints(ca=True, path_length=None), True),
            (crypto_x509.SubjectAlternativeName(
                [crypto_x509.DNSName('b-node-0')]), False),
            (crypto_x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH]), False)])
        cert = _load(x509.sign_csr(self.ca, greedy))
        cert.verify_directly_issued_by(self.ca_cert)
        self.assertEqual('admin', cert.subject.get_attributes_for_oid(
            NameOID.COMMON_NAME)[0].value)
        self.assertEqual([ExtendedKeyUsageOID.CLIENT_AUTH], _usages(cert))
        self.assertFalse(cert.extensions.get_extension_for_class(
            crypto_x509.BasicConstraints).value.ca)
        self.assertRaises(crypto_x509.ExtensionNotFound,
                          cert.extensions.get_extension_for_class,
                          crypto_x509.SubjectAlternativeName)

    def test_certificates_do_not_outlive_their_ca(self):
        self.conf_fixture.config(group='x509', term_of_validity=1)
        short_ca = x509.generate_ca('short')
        self.conf_fixture.config(group='x509', term_of_validity=3650)
        cert = _load(x509.issue_client(short_ca, 'c').cert)
        self.assertLessEqual(cert.not_valid_after_utc,
                             _load(short_ca.cert).not_valid_after_utc)

    def test_what_is_not_a_csr_is_refused(self):
        good = csr()
        # The body of a valid CSR with one byte changed: its signature no
        # longer matches.
        lines = good.splitlines()
        middle = lines[3]
        lines[3] = middle[:10] + ('A' if middle[10] != 'A' else 'B') + \
            middle[11:]
        for bad in ('', 'garbage', self.ca.cert, '\n'.join(lines) + '\n',
                    good.replace('REQUEST', 'REQUEST\u00e9')):
            self.assertRaises(exception.InvalidCsr, x509.sign_csr,
                              self.ca, bad)


class TestKeyEncryption(base.TestCase):

    def test_round_trip_and_key_rotation(self):
        token = x509.encrypt_key('secret key')
        self.assertNotIn('secret', token)
        self.assertEqual('secret key', x509.decrypt_key(token))
        # A new key goes first; what the old one encrypted still decrypts.
        old = base.X509_ENCRYPTION_KEY
        self.conf_fixture.config(
            group='x509',
            encryption_keys=[Fernet.generate_key().decode(), old])
        self.assertEqual('secret key', x509.decrypt_key(token))
        self.conf_fixture.config(
            group='x509', encryption_keys=[Fernet.generate_key().decode()])
        error = self.assertRaises(exception.CertificatesUnavailable,
                                  x509.decrypt_key, token)
        self.assertIn('no key in [x509] encryption_keys decrypts', str(error))

    def test_without_keys_nothing_is_stored_in_clear(self):
        self.conf_fixture.config(group='x509', encryption_keys=[])
        error = self.assertRaises(exception.CertificatesUnavailable,
                                  x509.encrypt_key, 'secret key')
        self.assertIn('[x509] encryption_keys is not set', str(error))
