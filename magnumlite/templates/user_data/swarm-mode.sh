#!/bin/sh
# magnumlite user_data for a ${role} of a swarm-mode bay.
# The node image's init runs it once at boot, before it starts the node's
# engine: the bay's facts, the engine's TLS identity (signed by the bay's
# CA; with it the engine listens on 2376 and accepts only clients of that
# CA) and its settings. The conductor then drives the engine over TLS.
set -e
umask 077
mkdir -p /etc/magnumlite /etc/docker/tls
cat > /etc/magnumlite/cluster.env <<'MAGNUMLITE_ENV'
COE=swarm-mode
${environment}
MAGNUMLITE_ENV
cat > /etc/magnumlite/node.env <<'MAGNUMLITE_ENV'
REGISTRY_MIRROR=${registry_mirror}
NODE_LABELS=${node_labels}
MAGNUMLITE_ENV
if [ -n "${tls}" ]; then
cat > /etc/docker/tls/ca.pem <<'MAGNUMLITE_PEM'
${ca_cert}
MAGNUMLITE_PEM
cat > /etc/docker/tls/cert.pem <<'MAGNUMLITE_PEM'
${server_cert}
MAGNUMLITE_PEM
cat > /etc/docker/tls/key.pem <<'MAGNUMLITE_PEM'
${server_key}
MAGNUMLITE_PEM
fi
