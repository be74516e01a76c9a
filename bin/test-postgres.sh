#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests and prints `export GROUNDWORK_TEST_PG_URL=...`;
# `bin/test-postgres.sh stop DIR` stops it and deletes its data. Installs PostgreSQL from the
# distribution's packages when it is missing. Used by .ci/run; run it yourself to test the
# PostgreSQL store locally:  eval "$(bin/test-postgres.sh)"
set -euo pipefail
if [ "${1:-}" = stop ]; then
  dir="$2"
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  echo "test-postgres: installing PostgreSQL from the distribution's packages" >&2
  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql) >&2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
port="${GROUNDWORK_TEST_PG_PORT:-54329}"
# the first free port from there (another test server may be running)
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
dir=$(mktemp -d /tmp/groundwork-pg.XXXXXX)
chown postgres "$dir"
runuser -u postgres -- "$bin/initdb" -D "$dir/data" -A trust -U groundwork >/dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
echo "export GROUNDWORK_TEST_PG_URL='jdbc:postgresql://127.0.0.1:$port/postgres?user=groundwork'"
echo "export GROUNDWORK_TEST_PG_DIR='$dir'"
