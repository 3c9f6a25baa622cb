#!/bin/bash
# The database servers the functional tests prove magnumlite's migrations
# and queries on, besides SQLite: MariaDB and PostgreSQL from Debian, both
# on 127.0.0.1 only, each with OpenStack's test account (user and password
# openstack_citest, allowed to create databases). Idempotent; run as root
# by tools/run-tests.
set -euo pipefail

CITEST=openstack_citest
PACKAGES=(mariadb-server postgresql)

missing=()
for package in "${PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# MariaDB. Debian's packages do not start services where policy-rc.d
# forbids it (containers, CI); its init script does.
cat > /etc/mysql/mariadb.conf.d/99-magnumlite-tests.cnf <<CNF
[mysqld]
bind-address = 127.0.0.1
CNF
mysqladmin ping >/dev/null 2>&1 || /etc/init.d/mariadb start
mysql -u root <<SQL
CREATE USER IF NOT EXISTS '$CITEST'@'localhost' IDENTIFIED BY '$CITEST';
CREATE USER IF NOT EXISTS '$CITEST'@'127.0.0.1' IDENTIFIED BY '$CITEST';
GRANT ALL PRIVILEGES ON *.* TO '$CITEST'@'localhost';
GRANT ALL PRIVILEGES ON *.* TO '$CITEST'@'127.0.0.1';
SQL

# PostgreSQL: its default listen_addresses is localhost already.
read -r pg_version pg_cluster < <(pg_lsclusters -h | awk '{print $1, $2; exit}')
pg_ctlcluster "$pg_version" "$pg_cluster" status >/dev/null 2>&1 \
    || pg_ctlcluster "$pg_version" "$pg_cluster" start
if ! runuser -u postgres -- psql -tAc \
        "SELECT 1 FROM pg_roles WHERE rolname = '$CITEST'" | grep 1 >/dev/null; then
    runuser -u postgres -- psql -qc \
        "CREATE ROLE $CITEST LOGIN CREATEDB PASSWORD '$CITEST'"
fi
