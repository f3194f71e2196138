#!/bin/sh
# PostgreSQL for the compose stack: a cluster made at first start with the superuser's
# password from the setup job, password (SCRAM) authentication from the stack's network
# only, Debian's durable defaults (fsync, synchronous_commit, full_page_writes on).
set -eu
password_file=/run/qinqing/postgres-password
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  initdb --username=postgres --pwfile="$password_file" --auth-local=scram-sha-256 \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 "$PGDATA" >/dev/null
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
fi
exec postgres -c listen_addresses='*' -c max_connections=200 "$@"
