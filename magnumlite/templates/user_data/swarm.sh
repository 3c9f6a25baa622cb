#!/bin/sh
# magnumlite user_data for a swarm bay (one ${role}).
# Writes the bay's facts, then, if the image carries docker, makes the first
# master a swarm manager. Workers join with the manager's token, which a
# later step hands out; an image without docker just keeps the facts.
mkdir -p /etc/magnumlite
cat > /etc/magnumlite/cluster.env <<'MAGNUMLITE_ENV'
COE=swarm
${environment}
MAGNUMLITE_ENV
if [ ${role} = master ] && [ ${index} = 0 ] && command -v docker >/dev/null; then
    docker swarm init
fi
