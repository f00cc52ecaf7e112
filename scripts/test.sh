#!/usr/bin/env bash
# The project's test command. Runs `swift test` against SQLite and PostgreSQL: uses RECOMMENDER_TEST_DATABASE_URL when
# set, otherwise starts a throwaway PostgreSQL cluster on a free loopback port (and removes it afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."

cleanup() { :; }
trap 'cleanup' EXIT

if [ -z "${RECOMMENDER_TEST_DATABASE_URL:-}" ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ]; then
    PGDIR=$(mktemp -d /tmp/rec-pg.XXXXXX)
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    AS=()
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$PGDIR"
      AS=(runuser -u postgres --)
    fi
    "${AS[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust --no-locale -E UTF8 >"$PGDIR/initdb.log"
    cleanup() {
      "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
      rm -rf "$PGDIR"
    }
    "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -w -l "$PGDIR/server.log" \
      -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null
    "${AS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres recommender_test
    export RECOMMENDER_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/recommender_test"
  elif [ -z "${CI:-}" ]; then
    echo "note: no PostgreSQL server binaries found; the PostgreSQL test cases are skipped (apt-get install postgresql)" >&2
  fi
fi
echo "PostgreSQL for tests: ${RECOMMENDER_TEST_DATABASE_URL:-none}" | sed -E 's#//([^:@/]+):[^@]*@#//\1:***@#'

status=0
swift test "$@" || status=$?
exit "$status"
