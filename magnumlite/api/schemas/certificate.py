"""Request bodies of /v1/certificates."""

from magnumlite.api.schemas import common
from magnumlite.common import x509

# POST /v1/certificates: a CSR for the CA of a cluster to sign.
CREATE = {
    'type': 'object',
    'properties': {
        'cluster_uuid': common.STRING,
        'csr': {'type': 'string', 'minLength': 1,
                'maxLength': x509.MAX_CSR_LENGTH},
        # Magnum's kubernetes clusters have several CAs; ours one.
        'ca_cert_type': common.nullable(common.STRING),
    },
    'required': ['cluster_uuid', 'csr'],
    'additionalProperties': False,
}
