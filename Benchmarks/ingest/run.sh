#!/usr/bin/env bash
# Ingestion benchmark: single events and batches of 1,000 through the API (wrk), and a 1,000,000-row CSV import,
# on SQLite (default) or PostgreSQL (REC_BENCH_DATABASE_URL). Prints one line per figure.
#   Benchmarks/ingest/run.sh            # builds release, runs everything on SQLite
#   REC_BENCH_DATABASE_URL=postgres://... Benchmarks/ingest/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${REC_BENCH_DURATION:-10s}
PORT=${REC_BENCH_PORT:-18080}
TOKEN=bench-operator-token-0123456789
BIN=.build/release/recommender
[ -x "$BIN" ] || swift build -c release --product recommender
DATA=$(mktemp -d)
export RECOMMENDER_ADMIN_TOKEN=$TOKEN RECOMMENDER_LOG_LEVEL=${REC_BENCH_LOG_LEVEL:-warning} RECOMMENDER_RATE_LIMIT=off
ARGS=(serve --data-dir "$DATA" --port "$PORT")
[ -n "${REC_BENCH_DATABASE_URL:-}" ] && ARGS+=(--database-url "$REC_BENCH_DATABASE_URL")
"$BIN" "${ARGS[@]}" > "$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 0.1; done
STORE=${REC_BENCH_DATABASE_URL:+postgresql}; STORE=${STORE:-sqlite}
new_key() { curl -sf -XPOST "localhost:$PORT/admin/v1/tenants" -H "Authorization: Bearer $TOKEN" -d "{\"name\":\"bench-$1-$RANDOM$RANDOM\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])'; }
echo "store: $STORE; load before: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"

export REC_KEY; REC_KEY=$(new_key single)
echo "== single events, 32 connections, $DURATION"
wrk -t1 -c32 -d"$DURATION" --latency -s Benchmarks/ingest/single.lua "http://127.0.0.1:$PORT" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"

REC_KEY=$(new_key batch)
echo "== batches of 1,000 events, 4 connections, $DURATION"
REC_BATCH=1000 wrk -t1 -c4 -d"$DURATION" --latency -s Benchmarks/ingest/batch.lua "http://127.0.0.1:$PORT" | grep -E "events/s|Requests/sec|50%|99%|Non-2xx|Socket errors"

REC_KEY=$(new_key import)
ROWS=${REC_BENCH_IMPORT_ROWS:-1000000}
CSV="$DATA/import.csv"
python3 - "$CSV" "$ROWS" <<'PY'
import random, sys
random.seed(7)
path, rows = sys.argv[1], int(sys.argv[2])
types = ["view", "view", "view", "click", "add_to_cart", "purchase"]
with open(path, "w") as f:
    f.write("user_id,item_id,interaction_type,timestamp\n")
    for n in range(rows):
        f.write(f"u{random.randrange(50000)},i{int(random.paretovariate(1.2)) % 40000},{random.choice(types)},{1700000000 + n}\n")
PY
echo "== import of $ROWS CSV rows ($(du -h "$CSV" | cut -f1))"
START=$(date +%s.%N)
JOB=$(curl -sf -XPOST "localhost:$PORT/api/v1/imports?type=interactions" -H "Authorization: Bearer $REC_KEY" -H 'Content-Type: text/csv' --data-binary @"$CSV" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')
while :; do
  STATUS=$(curl -sf "localhost:$PORT/api/v1/jobs/$JOB" -H "Authorization: Bearer $REC_KEY")
  echo "$STATUS" | grep -qE '"status":"(succeeded|failed|cancelled)"' && break
  sleep 0.2
done
END=$(date +%s.%N)
echo "$STATUS" | python3 -c '
import datetime, json, sys
job, wall = json.load(sys.stdin), float(sys.argv[1])
seconds = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
took = seconds(job["finished_at"]) - seconds(job["started_at"])
print("import: {} {:,} rows; {:,.0f} rows/s from the first upload byte to the job finished ({:.1f} s)".format(job["status"], job["accepted"], job["accepted"] / wall, wall))
print("import job alone (spooled upload excluded): {:,.0f} rows/s ({:.1f} s)".format(job["accepted"] / took, took))
' "$(python3 -c "print($END - $START)")"
echo "peak resident memory of the server: $(grep VmHWM /proc/$PID/status | awk '{printf "%.0f MiB", $2/1024}')"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
