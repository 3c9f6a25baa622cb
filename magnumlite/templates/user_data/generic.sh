#!/bin/sh
# magnumlite user_data for a ${role} of a bay whose COE has
# no template of its own. Writes the bay's facts and nothing else.
mkdir -p /etc/magnumlite
cat > /etc/magnumlite/cluster.env <<'MAGNUMLITE_ENV'
COE=${coe}
${environment}
MAGNUMLITE_ENV
