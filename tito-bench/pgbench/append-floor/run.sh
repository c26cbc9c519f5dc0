#!/usr/bin/env bash
# The server's floor for an event-store append on PostgreSQL (issue 12): pgbench replays the SQL
# one Tito append sends (pipe: header, event row, position reference and $all entry; pipe2: a
# layout of two keys; pipe4: four appends merged into one commit; fn: pipe's statements inside one
# PL/pgSQL call) and an Axon-shaped INSERT, with no Java client, into a scratch schema `pgb`.
# Needs the local PostgreSQL of the tests (127.0.0.1:5432, user postgres, database test) and pgbench.
# Usage: tito-bench/pgbench/append-floor/run.sh [seconds per run, default 6] [rounds, default 3]
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
pgbench=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -1 || true)
if [[ -z "$pgbench" ]]; then
  echo "pgbench not found: install PostgreSQL's client programs (Debian: postgresql-client)" >&2
  exit 1
fi
conn=(-h 127.0.0.1 -U postgres)
seconds=${1:-6}
rounds=${2:-3}
psql -q "${conn[@]}" -d test -f "$dir/setup.sql"
trap 'psql -q "${conn[@]}" -d test -f "$dir/teardown.sql"' EXIT
export PGOPTIONS="-c default_transaction_isolation=repeatable\\ read"
for r in $(seq "$rounds"); do
  for run in pipe:1 pipe2:1 pipe4:1 fn:1 axon:1 pipe:4 pipe2:4 pipe4:2 axon:4; do
    script=${run%:*}; clients=${run#*:}
    tps=$("$pgbench" "${conn[@]}" -n -M prepared -c "$clients" -j "$clients" -T "$seconds" \
      -f "$dir/$script.sql" test 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
    echo "round $r $script clients=$clients tps=${tps:-failed}"
  done
done
