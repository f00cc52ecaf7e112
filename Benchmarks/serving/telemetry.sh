#!/usr/bin/env bash
# Telemetry on vs off, interleaved server restarts on the same data (drift on a shared machine is larger than the
# difference, so pairs alternate): plain recommendations with the peer's rec.lua, 32 connections, 10 s each.
#   Benchmarks/serving/telemetry.sh DATA_DIR API_KEY [REC_LUA]      # ORDER="off on" to start with off; REPS (3)
# DATA_DIR holds a tenant with a promoted model (e.g. the Gowalla tenant `run.sh` loads, kept with a copy of its data dir).
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=$1 KEY=$2 LUA=${3:-/tmp/peer/seed_stack/rec.lua} PORT=${PORT:-18090}
swift build -c release --product recommender >/dev/null
for rep in $(seq "${REPS:-3}"); do
  for mode in ${ORDER:-on off}; do
    RECOMMENDER_TELEMETRY=$mode RECOMMENDER_RATE_LIMIT=off RECOMMENDER_LOG_LEVEL=info \
      .build/release/recommender serve --data-dir "$DATA" --port "$PORT" > "$DATA/telemetry-$mode.log" 2>&1 &
    PID=$!
    for _ in $(seq 300); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 0.1; done
    curl -sf -XPOST "localhost:$PORT/api/v1/recommendations" -H "Authorization: Bearer $KEY" -d '{"user_id":"1"}' > /dev/null
    wrk -t1 -c32 -d3s -s "$LUA" "http://127.0.0.1:$PORT" -- plain "$KEY" > /dev/null
    a=$(awk '{print $14+$15}' "/proc/$PID/stat")
    r=$(wrk -t1 -c32 -d10s -s "$LUA" "http://127.0.0.1:$PORT" -- plain "$KEY" | awk '/Requests\/sec/{print $2}')
    b=$(awk '{print $14+$15}' "/proc/$PID/stat")
    echo "telemetry $mode rep $rep: $r req/s; server CPU $(echo "scale=1; ($b - $a) * 1000000 / $(getconf CLK_TCK) / ($r * 10)" | bc) µs/request; load $(cut -d' ' -f1 /proc/loadavg)"
    kill -TERM "$PID"; wait "$PID" 2>/dev/null || true
  done
done
