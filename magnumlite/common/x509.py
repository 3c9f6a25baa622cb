"""Certificates of clusters: one CA per cluster and what it signs.

A cluster's CA signs three kinds of certificate, each with fixed extensions:

* the server certificate of each node's engine (serverAuth, with the
  node's names and addresses as subject alternative names);
* the conductor's own client certificate, with which it drives the cluster;
* client certificates for users' CSRs (`openstack coe ca sign`,
  `openstack coe cluster config`): clientAuth only, whatever the CSR asks
  for, so a user can never obtain a certificate a node would present.

Keys are ECDSA P-256: making one takes well under a millisecond where
RSA-2048 takes tens, and a cluster needs a key per node. Users' CSRs may
carry RSA keys; they are signed as they come.

Private keys are stored encrypted with the [x509] encryption_keys
(Fernet); only the conductor holds those keys.
"""

import collections
import datetime
import ipaddress

from cryptography import fernet
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.oid import NameOID

from magnumlite.common import exception
from magnumlite.conf import CONF

# A certificate and its private key, both PEM text; key is None where the
# holder of the private key is someone else (a signed CSR).
KeyPair = collections.namedtuple('KeyPair', 'cert key')

# A CSR larger than this is not a CSR (a 16384-bit RSA key makes ~5 KiB).
MAX_CSR_LENGTH = 16384
# Certificates are valid from a little before they were made: a node's
# clock may be behind the conductor's.
_CLOCK_SKEW = datetime.timedelta(hours=1)


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _new_key():
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()


def _cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _builder(subject, issuer, public_key, not_after=None):
    now = datetime.datetime.now(datetime.timezone.utc)
    validity = datetime.timedelta(days=CONF.x509.term_of_validity)
    return (x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _CLOCK_SKEW)
            .not_valid_after(min(now + validity, not_after or now + validity))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(
                public_key), critical=False))


def generate_ca(common_name):
    """A new self-signed CA for a cluster (it signs end certificates only)."""
    key = _new_key()
    cert = (_builder(_name(common_name), _name(common_name), key.public_key())
            .add_extension(x509.BasicConstraints(ca=True, path_length=0),
                           critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=False,
                key_encipherment=False, data_encipherment=False,
                key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return KeyPair(_cert_pem(cert), _key_pem(key))


def _sign(ca, subject, public_key, usage, alt_names=()):
    ca_cert = x509.load_pem_x509_certificate(ca.cert.encode())
    ca_key = serialization.load_pem_private_key(ca.key.encode(), None)
    builder = (
        _builder(subject, ca_cert.subject, public_key,
                 not_after=ca_cert.not_valid_after_utc)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                       critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False,
            key_encipherment=True, data_encipherment=False,
            key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            ca_key.public_key()), critical=False))
    if alt_names:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(list(alt_names)), critical=False)
    return _cert_pem(builder.sign(ca_key, hashes.SHA256()))


def _alt_name(name):
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def issue_server(ca, common_name, names):
    """A new key and server certificate for a node's engine.

    names (host names and IP addresses) are what clients may connect to;
    they all go into the subject alternative names, which is what TLS
    clients check.
    """
    key = _new_key()
    alt_names = [_alt_name(name) for name in dict.fromkeys(names)]
    cert = _sign(ca, _name(common_name), key.public_key(),
                 ExtendedKeyUsageOID.SERVER_AUTH, alt_names)
    return KeyPair(cert, _key_pem(key))


def issue_client(ca, common_name):
    """A new key and client certificate (the conductor's own)."""
    key = _new_key()
    cert = _sign(ca, _name(common_name), key.public_key(),
                 ExtendedKeyUsageOID.CLIENT_AUTH)
    return KeyPair(cert, _key_pem(key))


def load_csr(csr_pem):
    """The parsed CSR; InvalidCsr unless it is one, correctly self-signed."""
    try:
        csr = x509.load_pem_x509_csr(csr_pem.encode())
        valid = csr.is_signature_valid
    except (ValueError, UnicodeEncodeError, TypeError):
        valid = False
    if not valid:
        raise exception.InvalidCsr()
    return csr


def sign_csr(ca, csr_pem):
    """A client certificate for a user's CSR (its subject, its key).

    The CSR's own extensions are ignored: whatever it asks for, the
    result is a client certificate of this cluster and nothing more.
    """
    csr = load_csr(csr_pem)
    return _sign(ca, csr.subject, csr.public_key(),
                 ExtendedKeyUsageOID.CLIENT_AUTH)


def _fernet():
    keys = CONF.x509.encryption_keys
    if not keys:
        raise exception.CertificatesUnavailable(
            reason='[x509] encryption_keys is not set in the conductor\'s '
                   'configuration')
    try:
        return fernet.MultiFernet([fernet.Fernet(key) for key in keys])
    except ValueError as exc:
        raise exception.CertificatesUnavailable(
            reason='[x509] encryption_keys holds a key that is not a Fernet '
                   'key: %s' % exc)


def encrypt_key(key_pem):
    return _fernet().encrypt(key_pem.encode()).decode()


def decrypt_key(token):
    try:
        return _fernet().decrypt(token.encode()).decode()
    except fernet.InvalidToken:
        raise exception.CertificatesUnavailable(
            reason='no key in [x509] encryption_keys decrypts the stored '
                   'private key')
