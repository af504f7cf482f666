#!/usr/bin/env bash
# Make sure PostgreSQL server binaries and PostGIS exist for the test suite (tests start their
# own throwaway cluster on 127.0.0.1). Installs Debian's postgresql package when missing, then
# the PostGIS package built for the installed PostgreSQL major version.
set -euo pipefail
can_install() { [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; }
updated=""
apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "$updated" ]; then apt-get update -q; updated=1; fi
    apt-get install -y -q "$@"
}
if ! { command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }; then
    if can_install; then
        echo "installing PostgreSQL server (Debian package postgresql)" >&2
        apt_install postgresql
    else
        echo "PostgreSQL server binaries not found; install the 'postgresql' package" \
             "(or set FRONTLINES_TEST_PG_URL) to run the PostgreSQL tests" >&2
        exit 0
    fi
fi
for bindir in /usr/lib/postgresql/*/bin; do
    major=$(basename "$(dirname "$bindir")")
    if ls "/usr/share/postgresql/$major/extension/postgis.control" >/dev/null 2>&1; then
        continue
    fi
    if can_install; then
        echo "installing PostGIS for PostgreSQL $major (Debian package postgresql-$major-postgis-3)" >&2
        apt_install "postgresql-$major-postgis-3"
    else
        echo "PostGIS not found for PostgreSQL $major; install postgresql-$major-postgis-3" \
             "to run the spatial tests" >&2
    fi
done
