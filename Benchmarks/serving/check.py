#!/usr/bin/env python3
"""Correctness of our serving on the Gowalla tenant, on 100 users: exact count, category filter honoured, seen items
excluded; and the overlap of our top 10 with an exact search over the same model is not checked here (the index
tests do that). Usage: check.py PORT KEY TRAIN"""
import json, random, sys, urllib.request

port, key, train = sys.argv[1], sys.argv[2], sys.argv[3]
seen = {}
with open(train) as f:
    for line in f:
        parts = line.split()
        if len(parts) > 1:
            seen[parts[0]] = set(parts[1:])
random.seed(1)
problems = 0
for user in random.sample(sorted(seen), 100):
    for category in (None, f"c{int(user) % 50}"):
        body = {"user_id": user, "count": 10}
        if category:
            body["filters"] = {"category": category}
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/recommendations", json.dumps(body).encode(),
                                         {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        answer = json.load(urllib.request.urlopen(request))
        items = [entry["item_id"] for entry in answer["items"]]
        if len(items) != 10 or len(set(items)) != 10:
            problems += 1; print("count", user, category, items)
        if seen[user] & set(items):
            problems += 1; print("seen", user, items)
        if category and any(f"c{int(i) % 50}" != category for i in items):
            problems += 1; print("category", user, category, items)
print(f"check: 200 requests, {problems} problems")
sys.exit(1 if problems else 0)
