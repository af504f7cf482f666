#!/usr/bin/env bash
# Make sure PostgreSQL server binaries exist for the test suite (tests start their own
# throwaway cluster on 127.0.0.1). Installs Debian's postgresql package when missing.
set -euo pipefail
if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing PostgreSQL server (Debian package postgresql)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q postgresql
else
    echo "PostgreSQL server binaries not found; install the 'postgresql' package" \
         "(or set FRONTLINES_TEST_PG_URL) to run the PostgreSQL tests" >&2
fi
