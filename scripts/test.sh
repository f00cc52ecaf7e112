#!/usr/bin/env bash
# The project's test command: runs `swift test` against SQLite and PostgreSQL.
# PostgreSQL: uses RECOMMENDER_TEST_DATABASE_URL when set; otherwise starts a throwaway cluster on a free loopback
# port when the server binaries are installed (and removes it on exit); otherwise the PostgreSQL cases are skipped
# (and fail under CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."

# Runs a PostgreSQL binary as `postgres` when we are root (initdb refuses root), else as ourselves.
as_pg() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

if [ -z "${RECOMMENDER_TEST_DATABASE_URL:-}" ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ]; then
    PGDIR=$(mktemp -d /tmp/recommender-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres: "$PGDIR"
    # Stop the cluster and remove its directory however the script ends.
    cleanup() {
      as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
      rm -rf "$PGDIR"
    }
    trap cleanup EXIT
    PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust --no-locale -E UTF8 >"$PGDIR/initdb.log" 2>&1 \
      || { cat "$PGDIR/initdb.log" >&2; echo "error: initdb failed" >&2; exit 1; }
    as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -w -l "$PGDIR/log" \
      -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null \
      || { cat "$PGDIR/log" >&2; echo "error: the throwaway PostgreSQL did not start" >&2; exit 1; }
    as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres recommender_test
    export RECOMMENDER_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/recommender_test"
  elif [ -z "${CI:-}" ]; then
    echo "note: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) and RECOMMENDER_TEST_DATABASE_URL" \
      "is unset: the PostgreSQL test cases will be skipped (apt-get install postgresql to run them)" >&2
  fi
fi

# Which PostgreSQL the tests use, with any password masked.
echo "PostgreSQL for tests: ${RECOMMENDER_TEST_DATABASE_URL:-none (skipped)}" \
  | sed -E 's#//([^:@/]+):[^@/]*@#//\1:***@#; s#(password=)[^&]*#\1***#'

# Swift Testing runs the tests in parallel by itself; keep swift test's exit code (the EXIT trap does not change it).
status=0
swift test "$@" || status=$?

# The artefacts (dashboards, rules, collector, deploy manifests) proven against the real service, Prometheus and
# Alertmanager (docs/artefacts.md). Only for a full run (no swift test arguments); skipped locally without the tools.
if [ $# = 0 ]; then
  if command -v promtool >/dev/null && { command -v prometheus-alertmanager >/dev/null || command -v alertmanager >/dev/null; } \
     && [ -n "${RECOMMENDER_TEST_DATABASE_URL:-}" ]; then
    RECOMMENDER_BIN="$(swift build --show-bin-path)/recommender" ./scripts/check-artefacts.sh || status=$?
  elif [ -n "${CI:-}" ]; then
    echo "error: the artefacts check needs prometheus, prometheus-alertmanager and PostgreSQL (see .ci/run)" >&2
    status=1
  else
    echo "note: prometheus, prometheus-alertmanager or PostgreSQL missing: the artefacts check was skipped" >&2
  fi
fi
exit "$status"
