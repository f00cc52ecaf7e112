#!/usr/bin/env python3
"""Drives traffic through every module of a running recommender, for scripts/check-artefacts.sh.

Creates a tenant through the operator API, ingests items, users and interactions over the API, uploads a CSV import
(with a few bad rows), fails one training on purpose (EASE with max_items below the catalogue: a real training
failure, which the shipped RecommenderTrainingFailed alert must report), trains and promotes iALS, asks for
recommendations (model, fold-in and fallback users, filters), similar items, and sends a few requests that fail:
bad input (400), unknown ids (404), a conflicting operator call (409), a missing or wrong key (401) and a key
without the scope (403). It runs a canary rollout of the popularity version (rolled back as inconclusive after one
list per arm) and leaves an A/B experiment of iALS against popularity running, with enough users for its test, so
the experiment and rollout series exist (the service exports them only then). One recommendation request carries a
W3C traceparent whose trace id is written to the state file, so the trace check knows which trace to look for. Then
it keeps a light, steady load for --steady seconds so that rates over the scrape window are non-zero. Standard library
only; deterministic data.

Usage: traffic.py --base http://127.0.0.1:PORT --admin-token TOKEN --state STATE.json [--steady SECONDS]
"""
import argparse
import json
import random
import secrets
import sys
import time
import urllib.error
import urllib.request

CATEGORIES = ["books", "garden", "kitchen", "toys", "music"]


class Client:
    def __init__(self, base, token):
        self.base = base.rstrip("/")
        self.token = token
        self.counts = {}

    def call(self, method, path, body=None, *, token=None, headers=None, content_type="application/json",
             expect=None):
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        auth = self.token if token is None else token
        if auth:
            request.add_header("Authorization", f"Bearer {auth}")
        if data is not None:
            request.add_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        self.counts[status] = self.counts.get(status, 0) + 1
        if expect is not None and status not in (expect if isinstance(expect, tuple) else (expect,)):
            raise SystemExit(f"traffic: {method} {path} answered {status}, expected {expect}: {payload[:300]!r}")
        try:
            return status, json.loads(payload) if payload else None
        except ValueError:
            return status, payload


def wait_job(client, job_id, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        _, job = client.call("GET", f"/api/v1/jobs/{job_id}", expect=200)
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        time.sleep(0.3)
    raise SystemExit(f"traffic: job {job_id} did not finish within {timeout}s")


def wait_for(client, path, done, timeout=60):
    """GETs `path` until `done(body)` or `timeout` seconds; returns the last body."""
    deadline = time.time() + timeout
    while True:
        _, body = client.call("GET", path, expect=200)
        if done(body) or time.time() > deadline:
            return body
        time.sleep(0.5)


def experiments(api, rng, baseline, candidate, item_ids):
    """A canary rollout decided at once, then an A/B experiment left running with a p-value, so that every
    rec_experiment_* series and rec_rollout_status exist. Relies on the check's short monitor and experiment intervals
    and RECOMMENDER_ATTRIBUTION_MINUTES=0 (lists are evaluated within a cycle of being recorded)."""
    # The canary: at most one evaluated list per arm, and far fewer than the 150 users a promotion needs (or the 100
    # answers an arm its latency guardrail needs), so it is rolled back as inconclusive within a few cycles. Manual
    # changes are refused meanwhile.
    _, started = api.call("POST", f"/api/v1/models/{candidate}/promote",
                          {"strategy": "canary", "traffic": 50, "min_lists": 1, "max_lists": 1}, expect=202)
    api.call("POST", f"/api/v1/models/{baseline}/rollback", expect=409)
    for u in range(80):
        api.call("POST", "/api/v1/recommendations", {"user_id": f"user-{u}", "count": 5}, expect=200)
    rollout = wait_for(api, f"/api/v1/rollouts/{started['rollout_id']}", lambda r: r["status"] != "running")
    if rollout["status"] != "rolled_back":
        raise SystemExit(f"traffic: the canary rollout should have been rolled back within 60 s: {rollout}")
    api.call("GET", "/api/v1/rollouts", expect=200)

    # The experiment, control first. The test needs 150 users with evaluated lists in every arm: 600 new users (about
    # 300 an arm, some of whose lists the check's zero attribution window misses) with one interaction each, so their
    # lists are ranked; every third clicks the top item citing the list, so both arms have hits and misses.
    _, experiment = api.call("POST", "/api/v1/experiments", {
        "name": "ials vs popularity", "primary_metric": "hit_rate",
        "variants": [{"name": "control", "model_version": baseline, "traffic": 50},
                     {"name": "treatment", "model_version": candidate, "traffic": 50}]}, expect=201)
    experiment_id = experiment["experiment_id"]
    users = [f"ab-user-{u}" for u in range(600)]
    first = [{"user_id": user, "item_id": rng.choice(item_ids), "interaction_type": "view"} for user in users]
    for start in range(0, len(first), 100):
        api.call("POST", "/api/v1/interactions", {"interactions": first[start:start + 100]}, expect=200)
    for index, user in enumerate(users):
        _, served = api.call("POST", "/api/v1/recommendations", {"user_id": user, "count": 5}, expect=200)
        if (served.get("experiment") or {}).get("experiment_id") != experiment_id:
            raise SystemExit(f"traffic: a recommendation during {experiment_id} names no arm of it: {served}")
        if index % 3 == 0:
            api.call("POST", "/api/v1/interactions",
                     {"user_id": user, "item_id": served["items"][0]["item_id"], "interaction_type": "click",
                      "recommendation_id": served["recommendation_id"]}, expect=200)
    api.call("GET", "/api/v1/items/item-1/similar?count=5&user_id=ab-user-1", expect=200)
    api.call("GET", "/api/v1/experiments", expect=200)
    result = wait_for(api, f"/api/v1/experiments/{experiment_id}", lambda e: "p_value" in e)
    arms = ", ".join(f"{v['name']} {v['evaluated_users']}/{v['users']} users evaluated" for v in result["variants"])
    if "p_value" not in result:
        print(f"traffic: warning: experiment {experiment_id} has no p-value after 60 s ({arms}); "
              "rec_experiment_p_value will be missing")
    return {"rollout_id": rollout["rollout_id"], "rollout_reason": (rollout.get("decision") or {}).get("reason"),
            "experiment_id": experiment_id, "experiment_decision": result["decision"], "experiment_arms": arms}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--admin-token", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--steady", type=float, default=20)
    parser.add_argument("--tenant-webhook", default="", help="URL to register as the tenant's alert webhook")
    args = parser.parse_args()
    rng = random.Random(7)

    admin = Client(args.base, args.admin_token)
    name = f"artefacts-{secrets.token_hex(3)}"
    _, tenant = admin.call("POST", "/admin/v1/tenants", {"name": name}, expect=201)
    admin.call("POST", "/admin/v1/tenants", {"name": name}, expect=409)  # a store conflict, counted as such
    key = tenant["api_key"]
    api = Client(args.base, key)
    _, narrow = admin.call("POST", f"/admin/v1/tenants/{tenant['tenant_id']}/keys",
                           {"scopes": ["ingest"], "name": "ingest-only"}, expect=201)

    # Catalogue and users over the API.
    items = [{"item_id": f"item-{i}", "title": f"Item {i}", "category": CATEGORIES[i % len(CATEGORIES)],
              "properties": {"in_stock": i % 7 != 0}} for i in range(150)]
    api.call("POST", "/api/v1/items", {"items": items}, expect=200)
    users = [{"user_id": f"user-{u}"} for u in range(80)]
    api.call("POST", "/api/v1/users", {"users": users}, expect=200)

    # Interactions: each user prefers one or two categories; popular items within a category come first.
    by_category = {c: [it["item_id"] for it in items if it["category"] == c] for c in CATEGORIES}
    rows = []
    for u in range(80):
        favourites = rng.sample(CATEGORIES, rng.choice([1, 2]))
        for _ in range(rng.randint(12, 25)):
            pool = by_category[rng.choice(favourites)]
            item = pool[min(int(rng.expovariate(0.15)), len(pool) - 1)]
            rows.append((f"user-{u}", item, rng.choice(["view", "view", "click", "purchase"])))
    api_rows, import_rows = rows[:200], rows[200:]
    events = [{"user_id": u, "item_id": i, "interaction_type": t} for u, i, t in api_rows]
    for start in range(0, len(events), 50):
        api.call("POST", "/api/v1/interactions", {"interactions": events[start:start + 50]},
                 headers={"Idempotency-Key": f"batch-{start}"}, expect=200)
    api.call("POST", "/api/v1/interactions", {"interactions": events[:50]},
             headers={"Idempotency-Key": "batch-0"}, expect=200)  # a retry: answered as the first time

    csv = "user_id,item_id,interaction_type\n" + "".join(f"{u},{i},{t}\n" for u, i, t in import_rows)
    csv += "user-1,item-1,no_such_type\n,item-2,view\n"  # two rows the import rejects
    _, accepted = api.call("POST", "/api/v1/imports?type=interactions", csv.encode(), content_type="text/csv",
                           expect=202)
    import_job = wait_job(api, accepted["job_id"])
    if import_job["status"] != "succeeded":
        raise SystemExit(f"traffic: the import failed: {import_job}")

    # A training that fails for real (the catalogue is larger than max_items), then iALS trained and promoted.
    _, failing = api.call("POST", "/api/v1/models/train",
                          {"model": "ease", "params": {"max_items": 10}, "promote": "never"}, expect=202)
    failed_job = wait_job(api, failing["job_id"])
    if failed_job["status"] != "failed":
        raise SystemExit(f"traffic: the EASE training with max_items 10 should have failed: {failed_job}")
    _, training = api.call("POST", "/api/v1/models/train",
                           {"model": "ials", "params": {"factors": 16, "iterations": 5}, "promote": "always"},
                           expect=202)
    trained = wait_job(api, training["job_id"], timeout=180)
    if trained["status"] != "succeeded":
        raise SystemExit(f"traffic: the iALS training failed: {trained}")
    _, popularity = api.call("POST", "/api/v1/models/train", {"model": "popularity", "promote": "never"},
                             expect=202)
    popular = wait_job(api, popularity["job_id"])
    if popular["status"] != "succeeded":
        raise SystemExit(f"traffic: the popularity training failed: {popular}")
    time.sleep(1.5)  # the promoted version loads off the request path

    # A training schedule (the model freshness monitor covers scheduled tenants), the tenant's alert webhook and its
    # monitors. Webhooks and monitors are newer than some builds: a 404 there is tolerated.
    api.call("PUT", "/api/v1/training-schedule", {"model": "popularity", "every_hours": 24, "promote": "never"},
             expect=200)
    if args.tenant_webhook:
        api.call("POST", "/api/v1/webhooks", {"url": args.tenant_webhook}, expect=(201, 404))
    api.call("GET", "/api/v1/monitors", expect=(200, 404))

    # Interactions after training, from a shifted distribution (one category, purchases), for the drift monitor.
    shifted = [{"user_id": f"user-{rng.randint(0, 119)}", "item_id": rng.choice(by_category["toys"]),
                "interaction_type": "purchase"} for _ in range(600)]
    for start in range(0, len(shifted), 100):
        api.call("POST", "/api/v1/interactions", {"interactions": shifted[start:start + 100]}, expect=200)

    # A new interaction after training: that user is folded in.
    api.call("POST", "/api/v1/interactions",
             {"user_id": "user-3", "item_id": "item-42", "interaction_type": "purchase"}, expect=200)
    api.call("POST", "/api/v1/interactions",
             {"user_id": "newcomer", "item_id": "item-5", "interaction_type": "view"}, expect=200)

    # A canary rollout, then an experiment that keeps running through the steady load.
    ab = experiments(api, rng, trained["model_version"], popular["model_version"], [it["item_id"] for it in items])

    # The request whose trace the check follows.
    trace_id = secrets.token_hex(16)
    _, traced = api.call("POST", "/api/v1/recommendations", {"user_id": "user-1", "count": 5},
                         headers={"traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"}, expect=200)

    def one_round():
        user = rng.choice(["user-1", "user-2", "user-3", "newcomer", f"unknown-{rng.randint(0, 9)}",
                           f"user-{rng.randint(0, 79)}"])
        body = {"user_id": user, "count": rng.choice([5, 10])}
        if rng.random() < 0.3:
            body["filters"] = {"category": rng.choice(CATEGORIES)}
        if rng.random() < 0.2:
            body["filters"] = {"properties": {"in_stock": True}}
        api.call("POST", "/api/v1/recommendations", body, expect=200)
        api.call("GET", f"/api/v1/items/item-{rng.randint(0, 149)}/similar?count=5", expect=200)
        api.call("GET", f"/api/v1/items/item-{rng.randint(0, 149)}", expect=200)

    def errors_round():
        api.call("POST", "/api/v1/recommendations", {"user_id": "user-1", "count": 0}, expect=400)
        api.call("POST", "/api/v1/items", b"{not json", expect=400)
        api.call("GET", "/api/v1/items/no-such-item", expect=404)
        api.call("GET", "/api/v1/jobs/j_000000000000000000000000", expect=404)
        api.call("GET", "/api/v1/no-such-route", expect=404)
        api.call("GET", "/api/v1/items", token="", expect=401)
        api.call("GET", "/api/v1/items", token="rk_0000000000000000_" + "0" * 64, expect=401)
        api.call("POST", "/api/v1/recommendations", {"user_id": "user-1"}, token=narrow["api_key"], expect=403)
        api.call("POST", "/api/v1/interactions",
                 {"user_id": "user-1", "item_id": "item-1", "interaction_type": "teleport"}, expect=400)

    for _ in range(10):
        one_round()
    errors_round()
    admin.call("GET", "/api/v1/models", expect=401)  # the operator token is not an API key
    api.call("GET", "/api/v1/models", expect=200)
    api.call("GET", "/api/v1/items?limit=20", expect=200)

    state = {"tenant_id": tenant["tenant_id"], "tenant_name": name, "trace_id": trace_id,
             "traced_route": "/api/v1/recommendations", "traced_source": traced.get("source"),
             "model_version": trained.get("model_version"), "failed_job": failed_job["job_id"], **ab}
    with open(args.state, "w", encoding="utf-8") as out:
        json.dump(state, out)

    # Steady load: a few requests a second, errors now and then.
    deadline = time.time() + args.steady
    rounds = 0
    while time.time() < deadline:
        one_round()
        rounds += 1
        if rounds % 10 == 0:
            errors_round()
        time.sleep(0.2)
    counts = {status: admin.counts.get(status, 0) + api.counts.get(status, 0)
              for status in set(admin.counts) | set(api.counts)}
    summary = ", ".join(f"{status}: {count}" for status, count in sorted(counts.items()))
    print(f"traffic: tenant {tenant['tenant_id']}, model {trained.get('model_version')}; answers by status {summary}")
    print(f"traffic: rollout {ab['rollout_id']} rolled back ({ab['rollout_reason']}); experiment {ab['experiment_id']} "
          f"{ab['experiment_decision']} ({ab['experiment_arms']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
