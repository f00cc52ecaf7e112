#!/usr/bin/env bash
# Serving benchmark, side by side with the seed stack (Python FastAPI + FAISS, ../shared/bench/seed_stack) in one run,
# with the same wrk script (the peer's rec.lua): POST /api/v1/recommendations for random Gowalla users, plain and with
# a category filter; one wrk thread; 32 connections for throughput, 4 for latency; REPS repetitions of DUR seconds.
# Ours: the Gowalla training split loaded through our own API (41k items in 50 categories, 30k users), iALS with the
# peer's parameters (128 factors, 15 iterations, regularization 0.01, alpha 1), SQLite, default telemetry (metrics,
# traces, JSON access logs at info to a file). Then similar items, and throughput with telemetry off.
#   Benchmarks/serving/run.sh                     # everything
#   PEER=0 Benchmarks/serving/run.sh              # ours only
#   PEER=0 TRAIN_BODY='{"model":"graph_filter"}' Benchmarks/serving/run.sh   # another model, ours only
# Env: GOWALLA_TRAIN (../shared/data/gowalla/train.txt), PEER_DIR (/tmp/peer), PORT (18090), PEER_PORT (18080),
#      DUR (10), REPS (3), WARM (3), LOG_LEVEL (info), TRAIN_BODY (the training request; default the iALS above).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
TRAIN=${GOWALLA_TRAIN:-$ROOT/../shared/data/gowalla/train.txt}
PEER=${PEER:-1}
PEER_DIR=${PEER_DIR:-/tmp/peer}
PORT=${PORT:-18090}
PEER_PORT=${PEER_PORT:-18080}
DUR=${DUR:-10}
REPS=${REPS:-3}
WARM=${WARM:-3}
TOKEN=bench-operator-token-0123456789
BIN=.build/release/recommender
[ -f "$TRAIN" ] || { echo "no Gowalla training split at $TRAIN (see ../shared/data/README.md)" >&2; exit 1; }
swift build -c release --product recommender >/dev/null
WORK=$(mktemp -d /tmp/rec-serving-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
source Benchmarks/serving/common.sh
TRAIN_REQUEST=${TRAIN_BODY:-$IALS_REQUEST}

start_ours() {  # start_ours EXTRA_ENV... ; sets OURS_PID
  env RECOMMENDER_ADMIN_TOKEN=$TOKEN RECOMMENDER_RATE_LIMIT=off RECOMMENDER_LOG_LEVEL=${LOG_LEVEL:-info} "$@" \
    "$BIN" serve --data-dir "$WORK/data" --port "$PORT" >> "$WORK/server.log" 2>&1 &
  OURS_PID=$!; PIDS+=("$OURS_PID")
  for _ in $(seq 300); do curl -sf "localhost:$PORT/health/ready" >/dev/null && return; sleep 0.1; done
  echo "our server did not start" >&2; exit 1
}
stop_ours() { kill -TERM "$OURS_PID"; wait "$OURS_PID" 2>/dev/null || true; }
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user+system ticks of one process

# wrk_case URL_PORT SCRIPT MODE KEY LABEL: prints one line per repetition and a median summary.
wrk_case() {
  local port=$1 script=$2 mode=$3 key=$4 label=$5 rps=() p50=() p99=() non2=0 out
  wrk -t1 -c32 -d"${WARM}s" -s "$script" "http://127.0.0.1:$port" -- "$mode" "$key" > /dev/null
  for rep in $(seq "$REPS"); do
    out=$(wrk -t1 -c32 -d"${DUR}s" -s "$script" "http://127.0.0.1:$port" -- "$mode" "$key")
    rps+=("$(echo "$out" | awk '/Requests\/sec/{print $2}')")
    non2=$((non2 + $(echo "$out" | awk '/Non-2xx/{print $NF}' | grep . || echo 0)))
    out=$(wrk -t1 -c4 -d"${DUR}s" --latency -s "$script" "http://127.0.0.1:$port" -- "$mode" "$key")
    p50+=("$(echo "$out" | awk '$1=="50%"{print $2}')"); p99+=("$(echo "$out" | awk '$1=="99%"{print $2}')")
    non2=$((non2 + $(echo "$out" | awk '/Non-2xx/{print $NF}' | grep . || echo 0)))
    printf "  %-28s rep %d: %9s req/s @32   p50 %8s  p99 %8s @4   load %s\n" "$label" "$rep" "${rps[-1]}" "${p50[-1]}" "${p99[-1]}" "$(cut -d' ' -f1 /proc/loadavg)"
  done
  printf "%-30s median %9s req/s @32 [%s]   p99 @4 [%s]   non-2xx %d\n" "$label" \
    "$(printf '%s\n' "${rps[@]}" | sort -g | sed -n "$(( (REPS + 1) / 2 ))p")" "${rps[*]}" "${p99[*]}" "$non2"
}

echo "== serving benchmark $(date -u '+%F %T') UTC; $(nproc) cores; load at start $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the peer
if [ "$PEER" = 1 ]; then setup_peer; fi

# ---- ours: load Gowalla through the API, train, promote
start_ours
load_gowalla "$TRAIN_REQUEST"
echo "ours: server RSS $(awk '/VmRSS/{print $2}' /proc/$OURS_PID/status) KiB after loading"
echo
echo "== recommendations (peer rec.lua), median of $REPS; ours first, then the peer; same wrk, same box"
C0=$(cpu_of "$OURS_PID")
wrk_case "$PORT" "$PEER_DIR/seed_stack/rec.lua" plain "$KEY" "ours plain"
wrk_case "$PORT" "$PEER_DIR/seed_stack/rec.lua" filtered "$KEY" "ours category filter"
echo "== similar items (Benchmarks/serving/similar.lua)"
wrk_case "$PORT" Benchmarks/serving/similar.lua plain "$KEY" "ours similar"
wrk_case "$PORT" Benchmarks/serving/similar.lua filtered "$KEY" "ours similar + category"
echo "ours: served lists recorded: $(curl -sf "localhost:$PORT/metrics" | awk '/^rec_store_duration_seconds_count\{operation="record_served_lists"/{print $2}') batches; unrecorded $(curl -sf "localhost:$PORT/metrics" | awk '/^rec_served_lists_unrecorded_total/{print $2}')"
echo "ours: server RSS $(awk '/VmRSS/{print $2}' /proc/$OURS_PID/status) KiB after the runs"
stop_ours

echo "== telemetry off (RECOMMENDER_TELEMETRY=off: no tracing, HTTP metrics or access log) vs on, plain, same data"
start_ours RECOMMENDER_TELEMETRY=off
curl -sf -XPOST "localhost:$PORT/api/v1/recommendations" -H "Authorization: Bearer $KEY" -d '{"user_id":"1"}' > /dev/null
wrk_case "$PORT" "$PEER_DIR/seed_stack/rec.lua" plain "$KEY" "ours plain, telemetry off"
stop_ours
start_ours
curl -sf -XPOST "localhost:$PORT/api/v1/recommendations" -H "Authorization: Bearer $KEY" -d '{"user_id":"1"}' > /dev/null
wrk_case "$PORT" "$PEER_DIR/seed_stack/rec.lua" plain "$KEY" "ours plain, telemetry on"
stop_ours

if [ "$PEER" = 1 ]; then
  echo "== the peer: uvicorn --workers 2 --http httptools --loop uvloop, SEED_INDEX=auto"
  (cd "$PEER_DIR/seed_stack" && exec env SEED_API_KEY=seed-bench-key OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 SEED_INDEX=auto \
    ../.venv/bin/uvicorn server:app --workers 2 --host 127.0.0.1 --port "$PEER_PORT" --no-access-log --log-level warning \
    --http httptools --loop uvloop > "$WORK/peer.log" 2>&1) &
  PIDS+=("$!")
  for _ in $(seq 200); do curl -sf "localhost:$PEER_PORT/healthz" >/dev/null && break; sleep 0.1; done
  sleep 3
  wrk_case "$PEER_PORT" "$PEER_DIR/seed_stack/rec.lua" plain seed-bench-key "peer plain"
  wrk_case "$PEER_PORT" "$PEER_DIR/seed_stack/rec.lua" filtered seed-bench-key "peer category filter"
fi
echo "load at end $(cut -d' ' -f1-3 /proc/loadavg)"
