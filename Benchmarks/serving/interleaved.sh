#!/usr/bin/env bash
# Serving side by side with the seed stack, interleaved: both servers up at once (the idle one takes no CPU), then
# RUNS rounds of one DUR-second wrk phase each for ours and the peer, plain and with the category filter (50
# categories of about 820 items, a request filtering on the user's), alternating who goes first. Each phase prints
# requests/s and the server's CPU per request (user+system of its process tree over the phase). The summary gives
# every run's ratio (ours / peer, same round) with its minimum and median. PROFILE=1 adds a sampled profile of our
# server under the plain load (perf), with the shares of the request layer, the ranking and the served-event fan-out.
#   Benchmarks/serving/interleaved.sh
# Env: GOWALLA_TRAIN, PEER_DIR (/tmp/peer), PORT (18090), PEER_PORT (18080), RUNS (5), DUR (30), WARM (5), CONN (32),
#      PROFILE (0), HISTORY_CAP (server default).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
TRAIN=${GOWALLA_TRAIN:-$ROOT/../shared/data/gowalla/train.txt}
PEER_DIR=${PEER_DIR:-/tmp/peer}
PORT=${PORT:-18090}
PEER_PORT=${PEER_PORT:-18080}
RUNS=${RUNS:-5}
DUR=${DUR:-30}
WARM=${WARM:-5}
CONN=${CONN:-32}
TOKEN=bench-operator-token-0123456789
BIN=.build/release/recommender
HZ=$(getconf CLK_TCK)
[ -f "$TRAIN" ] || { echo "no Gowalla training split at $TRAIN (see ../shared/data/README.md)" >&2; exit 1; }
swift build -c release --product recommender >/dev/null
WORK=$(mktemp -d /tmp/rec-serving-interleaved.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
source Benchmarks/serving/common.sh

# CPU ticks (user+system) of a process and its descendants.
tree_ticks() {
  local total=0 pid
  for pid in $1 $(pgrep -P "$1" || true); do
    [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}

# phase PORT PID MODE KEY: one wrk phase; prints "req/s cpu_us_per_request".
phase() {
  local port=$1 pid=$2 mode=$3 key=$4 out c0 c1 rps
  c0=$(tree_ticks "$pid")
  out=$(wrk -t1 -c"$CONN" -d"${DUR}s" -s "$PEER_DIR/seed_stack/rec.lua" "http://127.0.0.1:$port" -- "$mode" "$key")
  c1=$(tree_ticks "$pid")
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  local non2xx; non2xx=$(echo "$out" | awk '/Non-2xx/{print $NF}' | grep . || echo 0)
  local total; total=$(echo "$out" | awk '/requests in/{print $1}')
  echo "$rps $(echo "($c1 - $c0) * 1000000 / $HZ / $total" | bc) $non2xx"
}

echo "== interleaved serving benchmark $(date -u '+%F %T') UTC; $(nproc) cores; commit $(git rev-parse --short HEAD); load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the peer (set up on first use)
setup_peer

# ---- ours: Gowalla through the API, iALS with the peer's parameters
env RECOMMENDER_ADMIN_TOKEN=$TOKEN RECOMMENDER_RATE_LIMIT=off ${HISTORY_CAP:+RECOMMENDER_HISTORY_CAP=$HISTORY_CAP} \
  "$BIN" serve --data-dir "$WORK/data" --port "$PORT" >> "$WORK/server.log" 2>&1 &
OURS=$!; PIDS+=("$OURS")
for _ in $(seq 300); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 0.1; done
echo "ours: RSS $(awk '/VmRSS/{print $2}' /proc/$OURS/status) KiB at start"
load_gowalla "$IALS_REQUEST"
metric() { curl -sf "localhost:$PORT/metrics" | awk -v m="$1" '$1==m{print $2}'; }
echo "ours: RSS $(awk '/VmRSS/{print $2}' /proc/$OURS/status) KiB after loading; histories $(metric rec_serving_history_bytes) bytes, $(metric rec_serving_history_interactions) interactions (cap $(metric rec_serving_history_cap))"

# ---- the peer
(cd "$PEER_DIR/seed_stack" && exec env SEED_API_KEY=seed-bench-key OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 SEED_INDEX=auto \
  ../.venv/bin/uvicorn server:app --workers 2 --host 127.0.0.1 --port "$PEER_PORT" --no-access-log --log-level warning \
  --http httptools --loop uvloop > "$WORK/peer.log" 2>&1) &
PEER=$!; PIDS+=("$PEER")
for _ in $(seq 200); do curl -sf "localhost:$PEER_PORT/healthz" >/dev/null && break; sleep 0.1; done
sleep 3

# ---- warm both, then the interleaved rounds
for mode in plain filtered; do
  wrk -t1 -c"$CONN" -d"${WARM}s" -s "$PEER_DIR/seed_stack/rec.lua" "http://127.0.0.1:$PORT" -- "$mode" "$KEY" > /dev/null
  wrk -t1 -c"$CONN" -d"${WARM}s" -s "$PEER_DIR/seed_stack/rec.lua" "http://127.0.0.1:$PEER_PORT" -- "$mode" seed-bench-key > /dev/null
done
declare -A RESULTS
for run in $(seq "$RUNS"); do
  for mode in plain filtered; do
    if [ $((run % 2)) = 1 ]; then order="ours peer"; else order="peer ours"; fi
    for who in $order; do
      if [ "$who" = ours ]; then r=$(phase "$PORT" "$OURS" "$mode" "$KEY"); else r=$(phase "$PEER_PORT" "$PEER" "$mode" seed-bench-key); fi
      RESULTS[$run,$mode,$who]=$r
      printf "  run %d %-8s %-4s %9s req/s  %5s us CPU/request  non-2xx %s  load %s\n" "$run" "$mode" "$who" $r "$(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done

echo "== summary ($RUNS runs of ${DUR}s, $CONN connections)"
for mode in plain filtered; do
  ratios=() ours=() peer=() ocpu=() pcpu=()
  for run in $(seq "$RUNS"); do
    read -r o oc _ <<< "${RESULTS[$run,$mode,ours]}"; read -r p pc _ <<< "${RESULTS[$run,$mode,peer]}"
    ours+=("$o"); peer+=("$p"); ocpu+=("$oc"); pcpu+=("$pc")
    ratios+=("$(echo "scale=2; $o / $p" | bc)")
  done
  med() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
  low() { printf '%s\n' "$@" | sort -g | head -1; }
  printf "%-8s ours %s req/s (median %s)  peer %s (median %s)\n" "$mode" "${ours[*]}" "$(med "${ours[@]}")" "${peer[*]}" "$(med "${peer[@]}")"
  printf "%-8s ratio per run %s  min %s  median %s;  CPU/request median ours %s us, peer %s us\n" "$mode" "${ratios[*]}" "$(low "${ratios[@]}")" "$(med "${ratios[@]}")" "$(med "${ocpu[@]}")" "$(med "${pcpu[@]}")"
done
echo "ours: served-list batches recorded $(curl -sf "localhost:$PORT/metrics" | awk '/^rec_store_duration_seconds_count\{operation="record_served_lists"/{print $2}'); unrecorded $(metric rec_served_lists_unrecorded_total); RSS $(awk '/VmRSS/{print $2}' /proc/$OURS/status) KiB"
curl -sf "localhost:$PORT/metrics" | grep '^rec_ranking_deferred_total' || true

if [ "${PROFILE:-0}" = 1 ]; then
  echo "== profile of ours under plain load (perf, 20 s)"
  wrk -t1 -c"$CONN" -d25s -s "$PEER_DIR/seed_stack/rec.lua" "http://127.0.0.1:$PORT" -- plain "$KEY" > /dev/null &
  WRK=$!
  sleep 2
  perf record -F 2000 -g -p "$OURS" -o "$WORK/perf.data" -- sleep 20 2> /dev/null
  wait "$WRK"   # only wrk: the servers are children too
  python3 Benchmarks/serving/profile_share.py "$WORK/perf.data" \
    'RequestTelemetryMiddleware' \
    'ServingEngine|Ranker|ItemSearch|EmbeddingScorer|HistoryScorer|NormOrderedScan|VectorIndex|cfaiss|faiss' \
    'NormOrderedScan' 'cfaiss|faiss' \
    'ServedEventFanOut|ServedListRecorder|MonitorFeed|recordServed' \
    'MonitorService'
fi
echo "load at end $(cut -d' ' -f1-3 /proc/loadavg)"
