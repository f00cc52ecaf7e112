#!/usr/bin/env bash
# Proves the shipped observability and deployment artefacts (dashboards/, alerts/, otel/, deploy/) against the real
# service. See docs/artefacts.md.
#
#   RECOMMENDER_BIN=.build/debug/recommender ./scripts/check-artefacts.sh
#
# Static checks: dashboard structure; alert metadata and runbook sections; promtool check rules / test rules (and
# every alert covered by a test); promtool check config on deploy/prometheus/prometheus.yml with alerts/ as its
# rules; amtool check-config; the compose file against the Compose specification schema; the collector config; the
# Kubernetes manifests against the Kubernetes schemas (kubernetes-validate, offline) and the generated ones in sync.
#
# Live checks: starts PostgreSQL (a throwaway cluster, unless RECOMMENDER_TEST_DATABASE_URL is set), a Python OTLP/HTTP
# receiver, the service (PostgreSQL backend, spans exported to that receiver, logs to a file), a webhook receiver,
# Alertmanager (deploy/alertmanager/alertmanager.yml with its webhooks pointed at the receiver) and Prometheus
# (deploy/prometheus/prometheus.yml, scraping the service every second, loading alerts/*.yml), all on loopback; drives
# traffic through every module; then checks that every PromQL expression of every panel, variable and rule parses,
# that the core panels return data, that every metric name used is exported, that a real alert from the shipped rules
# reaches the webhook, and that a request's server span, child spans and JSON log line share one trace id.
#
# Prints PASS/FAIL per check and "N passed, N failed"; exits 1 when any check fails. Everything it starts is stopped
# and its temporary folder removed on exit. Python packages come from PyPI into a venv in that folder (or
# ARTEFACTS_VENV, an existing venv to reuse).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${RECOMMENDER_BIN:-.build/debug/recommender}
[ -x "$BIN" ] || { echo "error: no service binary at $BIN (build it, or set RECOMMENDER_BIN)" >&2; exit 1; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

WORK=$(mktemp -d /tmp/recommender-artefacts.XXXXXX)
chmod 755 "$WORK"
PIDS=()
PGBIN=""
PGDIR=""
DROP_DB=()

as_pg() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ ${#DROP_DB[@]} = 2 ]; then dropdb --maintenance-db="${DROP_DB[0]}" "${DROP_DB[1]}" >/dev/null 2>&1 || true; fi
  if [ -n "$PGDIR" ]; then as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true; fi
  if [ -n "${KEEP_ARTEFACTS_WORK:-}" ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Waits up to $2 seconds for URL $1 to answer 2xx.
wait_http() {
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.3
  done
}

# Waits up to $2 seconds for a TCP listener on 127.0.0.1:$1.
wait_port() {
  local deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

PASSED=0
FAILED=0
FAILED_NAMES=()
# check NAME COMMAND...: runs the command, prints PASS/FAIL NAME and the command's output indented.
check() {
  local name=$1; shift
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ $rc = 0 ]; then
    echo "PASS  $name"; PASSED=$((PASSED + 1))
  else
    echo "FAIL  $name"; FAILED=$((FAILED + 1)); FAILED_NAMES+=("$name")
  fi
  [ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/      /'
}
# fatal MESSAGE [LOG]: a setup step failed; nothing after it can be checked.
fatal() {
  echo "FAIL  setup: $1"
  [ -z "${2:-}" ] || { echo "      last lines of $2:"; tail -n 30 "$2" | sed 's/^/      /'; }
  FAILED=$((FAILED + 1))
  echo "$PASSED passed, $FAILED failed"
  exit 1
}

echo "== Artefacts check (service binary $BIN)"

# ------------------------------------------------------------------ Python tools (PyPI, into a venv)
if [ -n "${ARTEFACTS_VENV:-}" ] && [ -x "$ARTEFACTS_VENV/bin/python" ]; then
  VENV=$ARTEFACTS_VENV
else
  VENV=$WORK/venv
  python3 -m venv "$VENV" >"$WORK/venv.log" 2>&1 || fatal "python3 -m venv failed (install python3-venv)" "$WORK/venv.log"
fi
PY=$VENV/bin/python
PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore "$PY" -m pip install --quiet \
  'opentelemetry-proto>=1.20' 'kubernetes-validate>=1.29' 'check-jsonschema>=0.28' 'PyYAML>=6' 'jsonschema>=4.18' \
  >"$WORK/pip.log" 2>&1 || fatal "pip install of the check's Python packages failed" "$WORK/pip.log"
CHECKS=(env PYTHONDONTWRITEBYTECODE=1 "$PY" scripts/artefacts/checks.py)

# ------------------------------------------------------------------ static checks
echo "-- static checks"
check "dashboards: structure (datasource, targets, unique ids, grid, units, thresholds, variables)" \
  "${CHECKS[@]}" dashboards-structure
check "alerts: severity, summary, description and runbook section of every alert" "${CHECKS[@]}" rules-metadata
check "promtool check rules alerts/*.yml" promtool check rules alerts/*.yml
check "promtool test rules alerts/tests/*.yml" promtool test rules alerts/tests/*.yml
check "alerts: every alert fires in a unit test and stays quiet in one" "${CHECKS[@]}" rules-tests-cover
mkdir -p "$WORK/promconfig/rules"
cp deploy/prometheus/prometheus.yml "$WORK/promconfig/" && cp alerts/*.yml "$WORK/promconfig/rules/"
check "promtool check config deploy/prometheus/prometheus.yml (with alerts/ as rules/)" \
  promtool check config "$WORK/promconfig/prometheus.yml"
check "amtool check-config deploy/alertmanager/alertmanager.yml" amtool check-config deploy/alertmanager/alertmanager.yml
check "compose: deploy/docker-compose.yml against the Compose specification schema" \
  "$VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec deploy/docker-compose.yml
check "compose: services, mounted files and Dockerfile" "${CHECKS[@]}" compose
check "otel/collector.yaml: receivers, batching, exporters, resource attributes" "${CHECKS[@]}" collector
check "kubernetes: manifests against the schemas; PrometheusRule and dashboards ConfigMap in sync" \
  "${CHECKS[@]}" kubernetes

# ------------------------------------------------------------------ the running stack
echo "-- starting PostgreSQL, the OTLP receiver, the service, Alertmanager and Prometheus on loopback"
DATABASE_URL=${RECOMMENDER_TEST_DATABASE_URL:-}
if [ -n "$DATABASE_URL" ]; then
  # A database of our own on that server when we may create one (dropped on exit), else the given one as it is.
  OWN_DB=recommender_artefacts_$$
  OWN_URL=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$DATABASE_URL" "$OWN_DB")
  if command -v createdb >/dev/null && createdb --maintenance-db="$DATABASE_URL" "$OWN_DB" >/dev/null 2>&1; then
    DROP_DB=("$DATABASE_URL" "$OWN_DB")
    DATABASE_URL=$OWN_URL
  fi
else
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || fatal "no PostgreSQL server binaries and RECOMMENDER_TEST_DATABASE_URL unset"
  PGDIR=$WORK/pg
  mkdir -p "$PGDIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$PGDIR"
  PGPORT=$(free_port)
  as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust --no-locale -E UTF8 >"$WORK/initdb.log" 2>&1 \
    || fatal "initdb failed" "$WORK/initdb.log"
  as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -w -l "$PGDIR/log" \
    -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || fatal "PostgreSQL did not start" "$PGDIR/log"
  as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres recommender_artefacts \
    || fatal "createdb failed"
  DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/recommender_artefacts"
fi

OTLP_PORT=$(free_port)
"$PY" scripts/artefacts/otlp_receiver.py "$OTLP_PORT" "$WORK/spans.jsonl" >"$WORK/otlp.log" 2>&1 &
PIDS+=($!)
HOOK_PORT=$(free_port)
"$PY" scripts/artefacts/webhook_receiver.py "$HOOK_PORT" "$WORK/webhook.jsonl" >"$WORK/webhook.log" 2>&1 &
PIDS+=($!)

wait_port "$OTLP_PORT" 20 || fatal "the OTLP receiver did not start" "$WORK/otlp.log"
wait_port "$HOOK_PORT" 20 || fatal "the webhook receiver did not start" "$WORK/webhook.log"

# The service's environment for the check. RECOMMENDER_WEBHOOK_ALLOW_PRIVATE lets the tenant register a loopback
# alert webhook (the test receiver); settings that make the monitors cycle quickly belong here too.
# Monitors, alerts and experiments every second, and served lists evaluated at once (no attribution wait), so their
# series exist and the traffic's canary rollout is decided within seconds.
SERVICE_ENV=(RECOMMENDER_WEBHOOK_ALLOW_PRIVATE=1 RECOMMENDER_MONITOR_INTERVAL_MS=1000 RECOMMENDER_ALERT_INTERVAL_MS=1000
  RECOMMENDER_EXPERIMENT_INTERVAL_MS=1000 RECOMMENDER_ATTRIBUTION_MINUTES=0)
SVC_PORT=$(free_port)
ADMIN_TOKEN=artefacts-$(python3 -c 'import secrets; print(secrets.token_hex(16))')
mkdir -p "$WORK/data"
(
  cd "$WORK/data" && exec env RECOMMENDER_DATABASE_URL="$DATABASE_URL" RECOMMENDER_ADMIN_TOKEN="$ADMIN_TOKEN" \
    RECOMMENDER_DATA_DIR="$WORK/data" RECOMMENDER_LOG_LEVEL=info "${SERVICE_ENV[@]}" \
    OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$OTLP_PORT" OTEL_SERVICE_NAME=recommender \
    "$BIN" serve --host 127.0.0.1 --port "$SVC_PORT"
) >"$WORK/service.log" 2>"$WORK/service.err" &
PIDS+=($!)
wait_http "http://127.0.0.1:$SVC_PORT/health/ready" 90 \
  || fatal "the service did not become ready on port $SVC_PORT" "$WORK/service.err"

AM_BIN=$(command -v prometheus-alertmanager || command -v alertmanager || true)
[ -n "$AM_BIN" ] || fatal "no Alertmanager binary (apt-get install prometheus-alertmanager)"
AM_PORT=$(free_port)
"${CHECKS[@]}" render-alertmanager "$WORK/alertmanager.yml" "http://127.0.0.1:$HOOK_PORT/alerts" \
  || fatal "could not derive the test Alertmanager config"
check "amtool check-config on the test Alertmanager config (shipped routes, test webhook)" \
  amtool check-config "$WORK/alertmanager.yml"
"$AM_BIN" --config.file="$WORK/alertmanager.yml" --storage.path="$WORK/alertmanager" \
  --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= >"$WORK/alertmanager.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$AM_PORT/-/ready" 30 || fatal "Alertmanager did not start" "$WORK/alertmanager.log"

PROM_PORT=$(free_port)
"${CHECKS[@]}" render-prometheus "$WORK/prometheus.yml" "127.0.0.1:$SVC_PORT" "127.0.0.1:$AM_PORT" \
  || fatal "could not derive the test Prometheus config"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prometheus" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --rules.alert.resend-delay=2s >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$PROM_PORT/-/ready" 30 || fatal "Prometheus did not start" "$WORK/prometheus.log"
PROM=http://127.0.0.1:$PROM_PORT
METRICS=http://127.0.0.1:$SVC_PORT/metrics

echo "-- traffic: ingest, import, train (one failing, one iALS), canary, A/B experiment, recommend, similar, 4xx, unauthorised"
"$PY" scripts/artefacts/traffic.py --base "http://127.0.0.1:$SVC_PORT" --admin-token "$ADMIN_TOKEN" \
  --state "$WORK/state.json" --tenant-webhook "http://127.0.0.1:$HOOK_PORT/tenant-webhook" --steady "${ARTEFACTS_STEADY_SECONDS:-20}" >"$WORK/traffic.log" 2>&1 \
  || fatal "the traffic generator failed" "$WORK/traffic.log"
sed 's/^/      /' "$WORK/traffic.log"
# Two more scrapes after the last request, so every counter's latest value is in Prometheus.
sleep 3

# ------------------------------------------------------------------ live checks
echo "-- live checks (Prometheus $PROM, service $METRICS)"
check "PromQL: every dashboard panel, variable and rule expression parses in Prometheus" \
  "${CHECKS[@]}" promql-parse "$PROM"
check "rules: every shipped rule evaluates in Prometheus without error" "${CHECKS[@]}" rules-health "$PROM"
check "PromQL: the core panels return data" "${CHECKS[@]}" core-panels "$PROM" "$METRICS"
check "metrics: every name a dashboard or rule uses is exported by the service (live /metrics)" \
  "${CHECKS[@]}" metric-names "$METRICS"
check "alerting: a shipped rule fires against the service and Alertmanager delivers it (RecommenderTrainingFailed)" \
  "${CHECKS[@]}" alert-delivered "$WORK/webhook.jsonl" RecommenderTrainingFailed 60
check "tracing: server span, child spans and the request's JSON log line share one trace id (OTLP/HTTP protobuf)" \
  "${CHECKS[@]}" trace "$WORK/spans.jsonl" "$WORK/service.log" "$WORK/state.json"

echo
if [ "$FAILED" -gt 0 ]; then
  echo "failed checks:"
  printf '  - %s\n' "${FAILED_NAMES[@]}"
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
