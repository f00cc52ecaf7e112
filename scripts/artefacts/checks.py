#!/usr/bin/env python3
"""The checks behind scripts/check-artefacts.sh, one subcommand each.

Every subcommand prints its findings and exits 0 (pass) or 1 (fail); the shell script prints the PASS/FAIL line.
Needs PyYAML (and, for `kubernetes`, kubernetes-validate and jsonschema; for `trace`, nothing more): the script
runs it in the venv it creates.

  dashboards-structure               every dashboard's JSON shape (panels, datasources, targets, ids, grid, variables)
  rules-metadata                     every alert: severity, summary, description, runbook section that exists
  rules-tests-cover                  every alert fires in some promtool test, and is shown quiet in one
  promql-parse   PROM                every dashboard and variable query and every rule expression parses in PROM
  rules-health   PROM                every shipped rule evaluates in PROM without error
  core-panels    PROM METRICS_URL    the core panels (core-panels.json) return data
  metric-names   METRICS_URL         every metric a dashboard or rule uses is exported by the service
  trace          SPANS LOG STATE     server span, child spans and the log line share the request's trace id
  alert-delivered WEBHOOK_LOG ALERT  the webhook receiver got ALERT firing, in Alertmanager's payload shape
  collector                          otel/collector.yaml pipelines are complete
  compose                            referenced files of deploy/docker-compose.yml exist (the schema is checked by
                                     check-jsonschema in the shell script)
  kubernetes                         deploy/kubernetes/*.yaml against the Kubernetes schemas (CRDs against
                                     scripts/artefacts/schemas/), and the generated ones in sync
  render-prometheus OUT SVC AM       the test Prometheus config, derived from deploy/prometheus/prometheus.yml
  render-alertmanager OUT WEBHOOK    the test Alertmanager config, derived from deploy/alertmanager/alertmanager.yml
"""
import glob
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.dirname(os.path.abspath(__file__))


def rel(path):
    return os.path.relpath(path, ROOT)


def dashboards():
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "dashboards", "*.json"))):
        with open(path, encoding="utf-8") as f:
            out.append((path, json.load(f)))
    return out


def rule_files():
    """The rule files Prometheus loads: alerts/*.yml (alerts/slos.yaml is the SLO spec, not a rule file)."""
    return sorted(glob.glob(os.path.join(ROOT, "alerts", "*.yml")))


def rules():
    """(file, group, rule) for every rule of every shipped rule file."""
    out = []
    for path in rule_files():
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f) or {}
        for group in doc.get("groups", []):
            for rule in group.get("rules", []):
                out.append((path, group["name"], rule))
    return out


def fail_if(problems, ok_message):
    for problem in problems:
        print(f"  - {problem}")
    if problems:
        return 1
    print(f"  {ok_message}")
    return 0


# ------------------------------------------------------------------------------------------------ dashboards

def panels_of(board):
    """Every panel, including those nested in collapsed rows."""
    for panel in board.get("panels", []):
        yield panel
        for inner in panel.get("panels", []) or []:
            yield inner


def check_dashboards_structure():
    problems = []
    boards = dashboards()
    if len(boards) < 6:
        problems.append(f"expected at least 6 dashboards in dashboards/, found {len(boards)}")
    uids = {}
    for path, board in boards:
        name = rel(path)
        uid = board.get("uid")
        if not uid or not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", uid):
            problems.append(f"{name}: uid {uid!r} is missing or not a stable Grafana uid (1-40 of A-Za-z0-9_-)")
        elif uid in uids:
            problems.append(f"{name}: uid {uid} is also used by {uids[uid]}")
        uids[uid] = name
        if not board.get("title"):
            problems.append(f"{name}: no title")
        if not isinstance(board.get("schemaVersion"), int) or board["schemaVersion"] < 36:
            problems.append(f"{name}: schemaVersion {board.get('schemaVersion')!r} (want >= 36)")
        variables = {v.get("name"): v for v in board.get("templating", {}).get("list", [])}
        ds = variables.get("datasource")
        if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
            problems.append(f"{name}: no `datasource` variable of type datasource for prometheus")
        for var in ("instance", "tenant"):
            if var not in variables:
                problems.append(f"{name}: no `{var}` variable")
        for var_name, var in variables.items():
            if var.get("type") == "query":
                if not var_query(var):
                    problems.append(f"{name}: variable {var_name} has no query")
                if (var.get("datasource") or {}).get("uid") not in ("${datasource}", "$datasource"):
                    problems.append(f"{name}: variable {var_name} does not use the ${{datasource}} variable")
        ids = set()
        boxes = []
        for panel in panels_of(board):
            title = panel.get("title") or "(untitled)"
            where = f"{name}: panel {panel.get('id')} {title!r}"
            if panel.get("type") == "row":
                continue
            if not panel.get("title"):
                problems.append(f"{where}: no title")
            pid = panel.get("id")
            if not isinstance(pid, int):
                problems.append(f"{where}: id is not an integer")
            elif pid in ids:
                problems.append(f"{where}: id {pid} is not unique")
            ids.add(pid)
            ds = panel.get("datasource") or {}
            if ds.get("type") != "prometheus" or ds.get("uid") not in ("${datasource}", "$datasource"):
                problems.append(f"{where}: datasource is not the prometheus ${{datasource}} variable: {ds}")
            grid = panel.get("gridPos") or {}
            if not all(isinstance(grid.get(k), int) for k in ("h", "w", "x", "y")):
                problems.append(f"{where}: gridPos needs integer h, w, x, y: {grid}")
            else:
                if grid["w"] < 1 or grid["h"] < 1 or grid["x"] < 0 or grid["x"] + grid["w"] > 24:
                    problems.append(f"{where}: gridPos out of the 24-column grid: {grid}")
                for other_title, other in boxes:
                    if (grid["x"] < other["x"] + other["w"] and other["x"] < grid["x"] + grid["w"]
                            and grid["y"] < other["y"] + other["h"] and other["y"] < grid["y"] + grid["h"]):
                        problems.append(f"{where}: overlaps panel {other_title!r}")
                boxes.append((title, grid))
            targets = panel.get("targets") or []
            if not targets:
                problems.append(f"{where}: no targets")
            refs = set()
            for target in targets:
                if not (target.get("expr") or "").strip():
                    problems.append(f"{where}: target {target.get('refId')} has no expr")
                if not target.get("refId") or target.get("refId") in refs:
                    problems.append(f"{where}: target refId {target.get('refId')!r} missing or repeated")
                refs.add(target.get("refId"))
            defaults = (panel.get("fieldConfig") or {}).get("defaults") or {}
            if not defaults.get("unit"):
                problems.append(f"{where}: no unit")
            steps = (defaults.get("thresholds") or {}).get("steps")
            if not steps:
                problems.append(f"{where}: no thresholds")
    return fail_if(problems, f"{len(boards)} dashboards, "
                   f"{sum(1 for _, b in boards for p in panels_of(b) if p.get('type') != 'row')} panels well formed")


def var_query(var):
    query = var.get("query")
    if isinstance(query, dict):
        query = query.get("query")
    return query or var.get("definition") or ""


# ------------------------------------------------------------------------------------------------ PromQL

def substitute(expr):
    """Grafana's variables replaced by values a real Prometheus accepts (All = .* for regex matchers)."""
    for name, value in (("__rate_interval", "1m"), ("__interval", "15s"), ("__range", "5m"),
                        ("__range_s", "300"), ("__interval_ms", "15000")):
        expr = re.sub(r"\$\{?" + name + r"\}?(?![A-Za-z0-9_])", value, expr)
    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)", ".*", expr)


def variable_expr(query):
    """The PromQL inside a Grafana variable query (label_values(SELECTOR, label), query_result(EXPR), ...)."""
    match = re.fullmatch(r"\s*label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*", query, re.S)
    if match:
        return match.group(1)
    match = re.fullmatch(r"\s*query_result\((.*)\)\s*", query, re.S)
    if match:
        return match.group(1)
    match = re.fullmatch(r"\s*label_values\(\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*", query)
    if match:
        return None  # label_values(label): no PromQL
    return query


def expressions():
    """(where, expr, core) for every dashboard target, variable query and rule expression."""
    with open(os.path.join(HERE, "core-panels.json"), encoding="utf-8") as f:
        core = {k: set(v) for k, v in json.load(f).items() if not k.startswith("_")}
    out = []
    for path, board in dashboards():
        for panel in panels_of(board):
            for target in panel.get("targets") or []:
                if target.get("expr"):
                    is_core = panel.get("title") in core.get(board.get("uid"), set())
                    out.append((f"{rel(path)}: {panel.get('title')!r} {target.get('refId')}",
                                substitute(target["expr"]), is_core))
        for var in board.get("templating", {}).get("list", []):
            if var.get("type") == "query":
                expr = variable_expr(var_query(var))
                if expr:
                    out.append((f"{rel(path)}: variable {var.get('name')}", substitute(expr), False))
    for path, group, rule in rules():
        name = rule.get("alert") or rule.get("record")
        out.append((f"{rel(path)}: {group}/{name}", str(rule.get("expr")), False))
    return out


def query(prom, expr):
    data = urllib.parse.urlencode({"query": expr}).encode()
    request = urllib.request.Request(prom.rstrip("/") + "/api/v1/query", data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            return error.code, json.loads(body)
        except ValueError:
            return error.code, {"error": body.decode(errors="replace")}


def check_promql_parse(prom):
    problems = []
    exprs = expressions()
    for where, expr, _ in exprs:
        status, body = query(prom, expr)
        if status != 200 or body.get("status") != "success":
            problems.append(f"{where}: HTTP {status} {body.get('errorType', '')}: {body.get('error')}\n      {expr}")
    return fail_if(problems, f"{len(exprs)} expressions (panels, variables, rules) accepted by Prometheus")


def check_rules_health(prom):
    with urllib.request.urlopen(prom.rstrip("/") + "/api/v1/rules", timeout=30) as response:
        groups = json.loads(response.read())["data"]["groups"]
    problems, count = [], 0
    for group in groups:
        for rule in group["rules"]:
            count += 1
            if rule.get("health") != "ok":
                problems.append(f"{group['file']}: {group['name']}/{rule['name']}: health {rule.get('health')}: "
                                f"{rule.get('lastError', '')}")
    shipped = sum(1 for _ in rules())
    if count != shipped:
        problems.append(f"Prometheus loaded {count} rules, alerts/*.yml has {shipped}")
    return fail_if(problems, f"{count} rules loaded and evaluated without error")


PROM_KEYWORDS = {
    "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
    "quantile", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
    "offset", "atan2", "inf", "nan", "start", "end", "limitk", "limit_ratio",
}
BUILTIN_SERIES = {"up", "ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds", "scrape_samples_scraped",
                  "scrape_samples_post_metric_relabeling", "scrape_series_added"}


def metric_names(expr):
    """Metric names a PromQL expression selects (strings, matchers, ranges and grouping lists stripped)."""
    s = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)
    names = set()
    s = re.sub(r"\{[^}]*\}", " ", s)
    s = re.sub(r"\[[^\]]*\]", " ", s)
    s = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", s)
    for match in re.finditer(r"(?<![A-Za-z0-9_:.])[A-Za-z_:][A-Za-z0-9_:]*", s):
        token = match.group(0)
        if s[match.end():].lstrip().startswith("("):
            continue  # a function or an aggregation
        if token.lower() in PROM_KEYWORDS:
            continue
        names.add(token)
    return names


def exported_metrics(metrics_url):
    with urllib.request.urlopen(metrics_url, timeout=30) as response:
        text = response.read().decode()
    names = set()
    for line in text.splitlines():
        if line.startswith("# TYPE ") or line.startswith("# HELP "):
            names.add(line.split()[2])
        elif line and not line.startswith("#"):
            names.add(re.match(r"[A-Za-z_:][A-Za-z0-9_:]*", line).group(0))
    return names


def recorded_names():
    return {rule["record"] for _, _, rule in rules() if rule.get("record")}


def check_metric_names(metrics_url):
    exported = exported_metrics(metrics_url)
    recorded = recorded_names()
    used = {}
    for where, expr, _ in expressions():
        for name in metric_names(expr):
            used.setdefault(name, []).append(where.split(":")[0])
    missing = {}
    for name, places in sorted(used.items()):
        if name in exported or name in recorded or name in BUILTIN_SERIES:
            continue
        missing[name] = sorted(set(places))
    problems = [f"{name} (used in {', '.join(places)}) is not exported by the service nor recorded by a rule"
                for name, places in missing.items()]
    if problems:
        print(f"  {len(missing)} of {len(used)} metric names are missing:")
    return fail_if(problems, f"all {len(used)} metric names used by dashboards and rules are exported or recorded")


def check_core_panels(prom, metrics_url):
    exported = exported_metrics(metrics_url) | recorded_names() | BUILTIN_SERIES
    with open(os.path.join(HERE, "core-panels.json"), encoding="utf-8") as f:
        core = {k: v for k, v in json.load(f).items() if not k.startswith("_")}
    titles = {(board.get("uid"), panel.get("title")) for _, board in dashboards() for panel in panels_of(board)}
    problems, checked, skipped = [], 0, []
    for uid, panel_titles in core.items():
        for title in panel_titles:
            if (uid, title) not in titles:
                problems.append(f"core panel {uid} / {title!r} does not exist")
    for where, expr, is_core in expressions():
        if not is_core:
            continue
        absent = sorted(n for n in metric_names(expr) if n not in exported)
        if absent:
            skipped.append(f"{where} (not exported yet: {', '.join(absent)})")
            continue
        checked += 1
        status, body = query(prom, expr)
        if status != 200 or not body.get("data", {}).get("result"):
            problems.append(f"{where}: no data\n      {expr}")
    if skipped:
        print(f"  {len(skipped)} core queries skipped because their metrics are missing "
              "(the metric-names check reports them):")
        for line in skipped:
            print(f"    . {line}")
    return fail_if(problems, f"{checked} core panel queries return data")


# ------------------------------------------------------------------------------------------------ rules

def github_anchor(heading):
    anchor = heading.strip().lower()
    anchor = re.sub(r"[^\w\- ]", "", anchor)
    return anchor.replace(" ", "-")


def anchors(path):
    out = set()
    with open(path, encoding="utf-8") as f:
        in_code = False
        for line in f:
            if line.startswith("```"):
                in_code = not in_code
            if not in_code and re.match(r"#{1,6} ", line):
                out.add(github_anchor(line.lstrip("#")))
    return out


def check_rules_metadata():
    problems = []
    alerts = [(path, group, rule) for path, group, rule in rules() if rule.get("alert")]
    seen = {}
    for path, group, rule in alerts:
        name = rule["alert"]
        where = f"{rel(path)}: {name}"
        if name in seen and seen[name] != rel(path):
            problems.append(f"{where}: also defined in {seen[name]}")
        seen[name] = rel(path)
        labels, notes = rule.get("labels") or {}, rule.get("annotations") or {}
        if not labels.get("severity"):
            problems.append(f"{where}: no severity label")
        for key in ("summary", "description", "runbook_url"):
            if not str(notes.get(key, "")).strip():
                problems.append(f"{where}: no {key} annotation")
        url = str(notes.get("runbook_url", ""))
        match = re.search(r"((?:docs/[\w./-]+|README)\.md)#([\w-]+)$", url)
        if url and not match:
            problems.append(f"{where}: runbook_url {url} does not point at a section of a Markdown file in docs/")
        elif match:
            doc = os.path.join(ROOT, match.group(1))
            if not os.path.exists(doc):
                problems.append(f"{where}: runbook {match.group(1)} does not exist")
            elif match.group(2) not in anchors(doc):
                problems.append(f"{where}: {match.group(1)} has no section #{match.group(2)}")
    return fail_if(problems, f"{len(alerts)} alerts have severity, summary, description and an existing runbook section")


def check_rules_tests_cover():
    fired, quiet = set(), set()
    tests = sorted(glob.glob(os.path.join(ROOT, "alerts", "tests", "*.yml")))
    for path in tests:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f) or {}
        for test in doc.get("tests", []):
            for case in test.get("alert_rule_test", []) or []:
                (fired if case.get("exp_alerts") else quiet).add(case.get("alertname"))
    problems = []
    alerts = {}
    for _, _, rule in rules():
        if rule.get("alert"):
            always = re.fullmatch(r"\s*vector\(\s*1\s*\)\s*", str(rule.get("expr"))) is not None
            alerts[rule["alert"]] = alerts.get(rule["alert"], True) and always
    for name, always in sorted(alerts.items()):
        if name not in fired:
            problems.append(f"{name}: no promtool test where it fires")
        if name not in quiet and not always:
            problems.append(f"{name}: no promtool test where it stays quiet")
    return fail_if(problems, f"{len(alerts)} alerts fire in a test (and, unless always firing, stay quiet in one)")


# ------------------------------------------------------------------------------------------------ trace

def check_trace(spans_path, log_path, state_path):
    with open(state_path, encoding="utf-8") as f:
        state = json.load(f)
    trace_id, route = state["trace_id"], state["traced_route"]
    deadline = time.time() + 20
    while True:
        spans = []
        with open(spans_path, encoding="utf-8") as f:
            spans = [json.loads(line) for line in f if line.strip()]
        in_trace = [s for s in spans if s["trace_id"] == trace_id]
        servers = [s for s in in_trace if s["kind"] == "SPAN_KIND_SERVER"]
        if servers or time.time() > deadline:
            break
        time.sleep(1)
    problems = []
    print(f"  {len(spans)} spans received over OTLP/HTTP; {len(in_trace)} in trace {trace_id}")
    if not servers:
        return fail_if([f"no server span with trace id {trace_id} reached the OTLP receiver"], "")
    server = servers[0]
    if server.get("attributes", {}).get("http.route") not in (route, None) and server["name"] != route:
        problems.append(f"the server span is {server['name']!r}, not {route}")
    children = [s for s in in_trace if s["parent_span_id"] == server["span_id"]]
    if not children:
        problems.append(f"the server span {server['span_id']} has no child span in the trace")
    resource = server.get("resource", {})
    if not resource.get("service.name"):
        problems.append("the spans carry no service.name resource attribute")
    logs = []
    with open(log_path, encoding="utf-8") as f:
        for line in f:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("trace_id") == trace_id:
                logs.append(entry)
    request_logs = [e for e in logs if e.get("http.route") == route]
    if not request_logs:
        problems.append(f"no JSON log line with trace_id {trace_id} for {route} (found {len(logs)} lines with it)")
    elif request_logs[0].get("span_id") != server["span_id"]:
        problems.append(f"the log line's span_id {request_logs[0].get('span_id')} is not the server span's "
                        f"{server['span_id']}")
    # Beyond the traced request: every server span of the route has its log line and at least one child.
    others = [s for s in spans if s["kind"] == "SPAN_KIND_SERVER"
              and (s.get("attributes", {}).get("http.route") == route or s["name"] == route)]
    with open(log_path, encoding="utf-8") as f:
        logged = set()
        for line in f:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("trace_id"):
                logged.add((entry.get("trace_id"), entry.get("span_id")))
    parents = {s["parent_span_id"] for s in spans}
    unlogged = [s for s in others if (s["trace_id"], s["span_id"]) not in logged]
    childless = [s for s in others if s["span_id"] not in parents]
    if unlogged:
        problems.append(f"{len(unlogged)} of {len(others)} {route} server spans have no log line with their ids")
    if childless:
        problems.append(f"{len(childless)} of {len(others)} {route} server spans have no child span")
    names = sorted({c["name"] for c in children})
    return fail_if(problems, f"trace {trace_id}: server span {server['name']!r} with children {names}; "
                   f"log line {request_logs[0]['msg'] if request_logs else ''!r} carries the same trace and span id; "
                   f"{len(others)} {route} server spans all logged and with children")


# ------------------------------------------------------------------------------------------------ alerts

def check_alert_delivered(webhook_log, alertname, timeout=90):
    deadline = time.time() + float(timeout)
    payloads = []
    while time.time() < deadline:
        with open(webhook_log, encoding="utf-8") as f:
            payloads = [entry["payload"] for entry in map(json.loads, filter(str.strip, f))
                        if entry.get("path", "").startswith("/alerts")]
        for payload in payloads:
            for alert in payload.get("alerts", []):
                if alert.get("labels", {}).get("alertname") == alertname and alert.get("status") == "firing":
                    problems = []
                    if payload.get("version") != "4":
                        problems.append(f"payload version {payload.get('version')!r}, expected \"4\"")
                    for key in ("startsAt", "fingerprint", "annotations"):
                        if not alert.get(key):
                            problems.append(f"the alert has no {key}")
                    names = sorted({a.get("labels", {}).get("alertname") for p in payloads for a in p.get("alerts", [])})
                    return fail_if(problems, f"{alertname} delivered firing to the test webhook by Alertmanager "
                                   f"(received so far: {', '.join(names)})")
        time.sleep(1)
    names = sorted({a.get("labels", {}).get("alertname") for p in payloads for a in p.get("alerts", [])})
    return fail_if([f"{alertname} not delivered within {timeout}s; received: {names or 'nothing'}"], "")


# ------------------------------------------------------------------------------------------------ collector

def check_collector():
    path = os.path.join(ROOT, "otel", "collector.yaml")
    with open(path, encoding="utf-8") as f:
        config = yaml.safe_load(f)
    problems = []
    sections = {k: config.get(k) or {} for k in ("receivers", "processors", "exporters", "extensions", "connectors")}
    otlp = sections["receivers"].get("otlp", {}).get("protocols", {})
    for protocol in ("grpc", "http"):
        if protocol not in otlp:
            problems.append(f"the otlp receiver does not accept {protocol}")
    pipelines = (config.get("service") or {}).get("pipelines") or {}
    for kind in ("traces", "metrics"):
        if not any(name.split("/")[0] == kind for name in pipelines):
            problems.append(f"no {kind} pipeline")
    for name, pipeline in pipelines.items():
        for part, section in (("receivers", "receivers"), ("processors", "processors"), ("exporters", "exporters")):
            for component in pipeline.get(part, []):
                if component not in sections[section] and component not in sections["connectors"]:
                    problems.append(f"pipeline {name}: {part[:-1]} {component} is not defined")
        if "batch" not in " ".join(pipeline.get("processors", [])):
            problems.append(f"pipeline {name} does not batch")
    for extension in (config.get("service") or {}).get("extensions", []):
        if extension not in sections["extensions"]:
            problems.append(f"extension {extension} is not defined")
    exporters = " ".join(
        e for n, p in pipelines.items() if n.startswith("traces") for e in p.get("exporters", []))
    if not re.search(r"jaeger|tempo", exporters):
        problems.append("no traces pipeline exports to Jaeger or Tempo (exporter named otlp/jaeger or otlp/tempo)")
    metric_exporters = " ".join(
        e for n, p in pipelines.items() if n.startswith("metrics") for e in p.get("exporters", []))
    if "prometheus" not in metric_exporters:
        problems.append("no metrics pipeline exports to Prometheus")
    if not any(k.startswith("resource") for k in sections["processors"]):
        problems.append("no resource processor setting the service's resource attributes")
    return fail_if(problems, "otlp (grpc + http) -> batch -> traces to Jaeger, metrics to Prometheus; resource set")


# ------------------------------------------------------------------------------------------------ compose

def check_compose():
    path = os.path.join(ROOT, "deploy", "docker-compose.yml")
    with open(path, encoding="utf-8") as f:
        compose = yaml.safe_load(f)
    problems = []
    services = compose.get("services", {})
    for wanted in ("recommender", "postgres", "prometheus", "alertmanager", "grafana", "otel-collector", "jaeger"):
        if wanted not in services:
            problems.append(f"no {wanted} service")
    base = os.path.dirname(path)
    for name, service in services.items():
        for volume in service.get("volumes", []) or []:
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source", "")
            if source.startswith((".", "/")) and not os.path.exists(os.path.normpath(os.path.join(base, source))):
                problems.append(f"{name}: mounted {source} does not exist")
        build = service.get("build")
        if isinstance(build, dict):
            dockerfile = os.path.join(base, build.get("context", "."), build.get("dockerfile", "Dockerfile"))
            if not os.path.exists(os.path.normpath(dockerfile)):
                problems.append(f"{name}: {rel(dockerfile)} does not exist")
    env = services.get("recommender", {}).get("environment", {})
    if "RECOMMENDER_DATABASE_URL" not in str(env):
        problems.append("the recommender service does not use PostgreSQL (RECOMMENDER_DATABASE_URL)")
    return fail_if(problems, f"{len(services)} services; every mounted file and the Dockerfile exist")


# ------------------------------------------------------------------------------------------------ kubernetes

def check_kubernetes():
    import jsonschema
    import kubernetes_validate

    problems = []
    version = "1.29.0"
    schemas = {}
    for path in glob.glob(os.path.join(HERE, "schemas", "*.json")):
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        schemas[(schema["x-apiVersion"], schema["x-kind"])] = schema
    counted = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "deploy", "kubernetes", "*.yaml"))):
        with open(path, encoding="utf-8") as f:
            documents = [d for d in yaml.safe_load_all(f) if d]
        for doc in documents:
            kind = doc.get("kind")
            where = f"{rel(path)}: {kind}/{(doc.get('metadata') or {}).get('name')}"
            counted[kind] = counted.get(kind, 0) + 1
            custom = schemas.get((doc.get("apiVersion"), kind))
            try:
                if custom:
                    jsonschema.validate(doc, custom)
                else:
                    kubernetes_validate.validate(doc, version, strict=True)
            except jsonschema.ValidationError as error:
                location = "/".join(str(p) for p in error.absolute_path)
                problems.append(f"{where}: {error.message} (at {location or 'top level'})")
            except kubernetes_validate.SchemaNotFoundError as error:
                problems.append(f"{where}: {error.message}")
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ConfigMap", "Secret",
                 "ServiceMonitor", "PrometheusRule"):
        if kind not in counted:
            problems.append(f"no {kind} manifest")
    sys.path.insert(0, HERE)
    import sync_kubernetes

    problems += sync_kubernetes.out_of_sync()
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counted.items()))
    return fail_if(problems, f"valid against Kubernetes {version} (strict) and the Prometheus Operator CRD schemas: "
                   f"{summary}; generated PrometheusRule and dashboard ConfigMap in sync")


# ------------------------------------------------------------------------------------------------ rendering

def render_prometheus(out, service, alertmanager):
    with open(os.path.join(ROOT, "deploy", "prometheus", "prometheus.yml"), encoding="utf-8") as f:
        config = yaml.safe_load(f)
    config["global"]["scrape_interval"] = "1s"
    config["global"]["evaluation_interval"] = "1s"
    config["global"]["scrape_timeout"] = "1s"
    config["rule_files"] = [os.path.join(ROOT, "alerts", "*.yml")]
    config["alerting"] = {"alertmanagers": [{"static_configs": [{"targets": [alertmanager]}]}]}
    jobs = [job for job in config["scrape_configs"] if job["job_name"] == "recommender"]
    if not jobs:
        sys.exit("deploy/prometheus/prometheus.yml has no `recommender` scrape job")
    job = jobs[0]
    for key in ("dns_sd_configs", "kubernetes_sd_configs", "file_sd_configs", "scrape_interval", "scrape_timeout"):
        job.pop(key, None)
    job["static_configs"] = [{"targets": [service]}]
    config["scrape_configs"] = [job]
    with open(out, "w", encoding="utf-8") as f:
        yaml.safe_dump(config, f, sort_keys=False)
    return 0


def render_alertmanager(out, webhook):
    """The shipped routing tree and receivers, every webhook pointed at the test receiver, waits shortened."""
    with open(os.path.join(ROOT, "deploy", "alertmanager", "alertmanager.yml"), encoding="utf-8") as f:
        config = yaml.safe_load(f)

    def shorten(route):
        route["group_wait"] = "1s"
        route["group_interval"] = "1s"
        for child in route.get("routes", []) or []:
            for key in ("group_wait", "group_interval"):
                child.pop(key, None)
            shorten_children(child)

    def shorten_children(route):
        for child in route.get("routes", []) or []:
            for key in ("group_wait", "group_interval"):
                child.pop(key, None)
            shorten_children(child)

    shorten(config["route"])
    for receiver in config.get("receivers", []):
        for hook in receiver.get("webhook_configs", []) or []:
            hook["url"] = webhook
            hook.pop("url_file", None)
    config.setdefault("global", {}).pop("resolve_timeout", None)
    with open(out, "w", encoding="utf-8") as f:
        yaml.safe_dump(config, f, sort_keys=False)
    return 0


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    command, args = argv[0], argv[1:]
    table = {
        "dashboards-structure": check_dashboards_structure,
        "rules-metadata": check_rules_metadata,
        "rules-tests-cover": check_rules_tests_cover,
        "promql-parse": check_promql_parse,
        "rules-health": check_rules_health,
        "core-panels": check_core_panels,
        "metric-names": check_metric_names,
        "trace": check_trace,
        "alert-delivered": check_alert_delivered,
        "collector": check_collector,
        "compose": check_compose,
        "kubernetes": check_kubernetes,
        "render-prometheus": render_prometheus,
        "render-alertmanager": render_alertmanager,
    }
    if command not in table:
        print(f"unknown check {command}\n{__doc__}", file=sys.stderr)
        return 2
    try:
        return table[command](*args)
    except Exception as error:  # a crash of a check is its failure, with the reason
        print(f"  - {command} crashed: {type(error).__name__}: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
