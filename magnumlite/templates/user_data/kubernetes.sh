#!/bin/sh
# magnumlite user_data for a kubernetes bay (one ${role}).
# Writes the bay's facts where the node's bootstrap can read them, then, if
# the image carries kubeadm, initialises the control plane on the first
# master. Joining workers needs the master's join token, which a later
# step hands out; an image without kubeadm just keeps the facts.
mkdir -p /etc/magnumlite
cat > /etc/magnumlite/cluster.env <<'MAGNUMLITE_ENV'
COE=kubernetes
${environment}
MAGNUMLITE_ENV
if [ ${role} = master ] && [ ${index} = 0 ] && command -v kubeadm >/dev/null; then
    kubeadm init --pod-network-cidr=${pod_network_cidr}
fi
