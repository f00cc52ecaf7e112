#!/usr/bin/env python3
"""Writes the Gowalla training split as our API's inputs: items.json batches (50 synthetic categories, c{item % 50},
as the seed stack assigns them) and interactions.csv for POST /api/v1/imports. Usage: prepare_gowalla.py TRAIN OUTDIR"""
import json, os, sys

train, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
items = set()
with open(train) as f, open(os.path.join(out, "interactions.csv"), "w") as csv:
    csv.write("user_id,item_id,interaction_type,timestamp\n")
    n = 0
    for line in f:
        parts = line.split()
        if len(parts) < 2:
            continue
        user = parts[0]
        for item in parts[1:]:
            csv.write(f"{user},{item},view,{1700000000 + n}\n")
            items.add(int(item))
            n += 1
ids = sorted(items)
for start in range(0, len(ids), 10000):
    batch = [{"item_id": str(i), "category": f"c{i % 50}"} for i in ids[start:start + 10000]]
    with open(os.path.join(out, f"items-{start // 10000}.json"), "w") as f:
        json.dump({"items": batch}, f)
print(f"{n} interactions, {len(ids)} items")
