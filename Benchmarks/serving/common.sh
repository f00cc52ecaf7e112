# Shared by run.sh and interleaved.sh (sourced, not run): setting up the seed-stack peer, and loading the Gowalla
# tenant into our server through its API. Both read the caller's ROOT, TRAIN, PEER_DIR, PORT, TOKEN and WORK.

# The training request with the peer's iALS parameters (128 factors, 15 iterations, regularization 0.01, alpha 1).
IALS_REQUEST='{"model":"ials","params":{"factors":128,"iterations":15,"regularization":0.01,"alpha":1}}'

# Copies the seed stack to PEER_DIR, installs its packages into a virtualenv there and builds its artifacts from
# TRAIN; does nothing when they are there already.
setup_peer() {
  [ -f "$PEER_DIR/seed_stack/artifacts/items_hnsw.faiss" ] && return
  mkdir -p "$PEER_DIR" && cp -r "$ROOT/../shared/bench/seed_stack" "$PEER_DIR/"
  [ -x "$PEER_DIR/.venv/bin/python" ] || python3 -m venv "$PEER_DIR/.venv"
  "$PEER_DIR/.venv/bin/pip" install -q implicit==0.7.3 faiss-cpu==1.15.1 numpy scipy fastapi==0.165.0 uvicorn==0.54.0 uvloop==0.23.0 httptools==0.9.0
  (cd "$PEER_DIR/seed_stack" && GOWALLA_TRAIN="$TRAIN" OPENBLAS_NUM_THREADS=1 ../.venv/bin/python prepare.py)
}

# Prints a job's final status once it has one (KEY: the tenant's key).
wait_job() {
  local job=$1 status
  while :; do
    status=$(curl -sf "localhost:$PORT/api/v1/jobs/$job" -H "Authorization: Bearer $KEY")
    echo "$status" | grep -qE '"status":"(succeeded|failed|cancelled)"' && break
    sleep 0.5
  done
  echo "$status"
}

# load_gowalla TRAIN_REQUEST: into the server on PORT, a tenant (its key in KEY) with the Gowalla catalogue in 50
# categories and its interactions (one CSV import), trained by the JSON request TRAIN_REQUEST and promoted; prints the
# import and training times, then checks 200 answers (check.py).
load_gowalla() {
  local request=$1 job t0 t1 t2
  python3 Benchmarks/serving/prepare_gowalla.py "$TRAIN" "$WORK/input"
  KEY=$(curl -sf -XPOST "localhost:$PORT/admin/v1/tenants" -H "Authorization: Bearer $TOKEN" -d '{"name":"gowalla"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
  for f in "$WORK"/input/items-*.json; do
    curl -sf -XPOST "localhost:$PORT/api/v1/items" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary @"$f" > /dev/null
  done
  t0=$(date +%s.%N)
  job=$(curl -sf -XPOST "localhost:$PORT/api/v1/imports?type=interactions" -H "Authorization: Bearer $KEY" -H 'Content-Type: text/csv' \
    --data-binary @"$WORK/input/interactions.csv" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')
  wait_job "$job" | python3 -c 'import json,sys; j=json.load(sys.stdin); print("ours: import", j["status"], j["accepted"], "interactions")'
  t1=$(date +%s.%N)
  job=$(curl -sf -XPOST "localhost:$PORT/api/v1/models/train" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d "$request" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')
  wait_job "$job" | python3 -c 'import json,sys; j=json.load(sys.stdin); r=j.get("result",{}); print("ours: training", j["status"], r.get("model_version"), "holdout recall@20 %.4f" % r.get("metrics",{}).get("recall@20",0))'
  t2=$(date +%s.%N)
  echo "ours: import $(echo "$t1 - $t0" | bc) s, training (snapshot, train, evaluate, refit, index build, save) $(echo "$t2 - $t1" | bc) s"
  sleep 2   # the swap and the first load of the tenant's activity
  python3 Benchmarks/serving/check.py "$PORT" "$KEY" "$TRAIN"
}
