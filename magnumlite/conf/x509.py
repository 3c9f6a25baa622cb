"""[x509] options: the certificate authority of every cluster.

Only the conductor signs and decrypts: the API reads CA certificates (which
are public) and asks a conductor to sign a CSR.
"""

from oslo_config import cfg

x509_group = cfg.OptGroup(
    'x509', title='Cluster certificates',
    help='The certificate authority each TLS cluster gets: it signs the '
         'nodes\' server certificates, the conductor\'s client certificate '
         'and the client certificates users ask for (openstack coe ca sign, '
         'openstack coe cluster config).')

x509_opts = [
    cfg.IntOpt('term_of_validity', default=365 * 5, min=1, max=365 * 30,
               help='Days a certificate signed by a cluster\'s CA (and the CA '
                    'itself) is valid.'),
    cfg.ListOpt('encryption_keys', default=[], secret=True,
                help='Fernet keys (as made by '
                     'cryptography.fernet.Fernet.generate_key()) that '
                     'encrypt the private keys of cluster CAs and of the '
                     'conductor\'s client certificates in the database. '
                     'The first encrypts; every one decrypts, so a new key '
                     'goes first and an old one stays until nothing uses it. '
                     'Every conductor needs the same list. Without a key, '
                     'TLS clusters cannot be created (their create fails and '
                     'says so).'),
]


def register_opts(conf):
    conf.register_group(x509_group)
    conf.register_opts(x509_opts, group=x509_group)


def list_opts():
    return {x509_group: x509_opts}
