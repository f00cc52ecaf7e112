#!/usr/bin/env bash
# Writes MovieLens-100k item and user features as NDJSON in the format of POST /api/v1/imports?type=items and
# ?type=users, for `recommender eval|tune --item-features DIR/items.ndjson --user-features DIR/users.ndjson`.
#
#   Benchmarks/data/ml100k-features.sh [OUTPUT_DIR]      (default: a new temporary directory; its path is printed)
#
# Reads ../shared/data/ml-100k (relative to the repository; ML100K_DIR overrides) at run time. The MovieLens licence
# allows internal research and benchmarking only, without redistribution: never commit the output.
#
# items.ndjson: {"item_id":"1","title":"Toy Story (1995)","tags":["Animation","Children's","Comedy"],"properties":{"release_year":1995}}
#   from u.item (id|title|release date|video date|url|19 genre flags, names from u.genre; no year when the date is empty)
# users.ndjson: {"user_id":"1","properties":{"age":24,"gender":"M","occupation":"technician","zip_region":"8"}}
#   from u.user.tsv (header user_id:token age:token gender:token occupation:token zip_code:token; zip_region is the
#   zip code's first character)
# Ids are the files' own ids as text, which is how `--format movielens` reads u.data's user and item columns.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source_dir="${ML100K_DIR:-$repo/../shared/data/ml-100k}"
out="${1:-$(mktemp -d -t ml100k-features.XXXXXX)}"
for file in u.item u.genre u.user.tsv; do
    [[ -r "$source_dir/$file" ]] || { echo "error: cannot read $source_dir/$file (set ML100K_DIR)" >&2; exit 1; }
done
mkdir -p "$out"

python3 - "$source_dir" "$out" <<'PY'
import json, sys
from pathlib import Path

source, out = Path(sys.argv[1]), Path(sys.argv[2])

def lines(path):
    # u.item is Latin-1 per the GroupLens README (the shared copy is plain ASCII).
    return path.read_bytes().decode("latin-1").splitlines()

genres = {}
for line in lines(source / "u.genre"):
    if line.strip():
        name, index = line.rsplit("|", 1)
        genres[int(index)] = name
if sorted(genres) != list(range(19)):
    sys.exit(f"error: u.genre lists {len(genres)} genres, expected indices 0-18")

items = 0
with open(out / "items.ndjson", "w", encoding="utf-8") as handle:
    for number, line in enumerate(lines(source / "u.item"), 1):
        if not line.strip():
            continue
        fields = line.split("|")
        if len(fields) != 24:
            sys.exit(f"error: u.item line {number}: {len(fields)} fields, expected 24")
        item_id, title, released = fields[0], fields[1], fields[2]
        flags = fields[5:]
        if any(flag not in ("0", "1") for flag in flags):
            sys.exit(f"error: u.item line {number}: genre flags must be 0 or 1")
        row = {"item_id": item_id, "title": title,
               "tags": [genres[index] for index, flag in enumerate(flags) if flag == "1"]}
        if released:
            # dd-Mon-yyyy, e.g. 01-Jan-1995
            year = released.rsplit("-", 1)[-1]
            if not (year.isdigit() and len(year) == 4):
                sys.exit(f"error: u.item line {number}: release date {released!r} is not dd-Mon-yyyy")
            row["properties"] = {"release_year": int(year)}
        handle.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
        items += 1

users = 0
user_lines = lines(source / "u.user.tsv")
header = [name.split(":", 1)[0] for name in user_lines[0].split("\t")]
expected = ["user_id", "age", "gender", "occupation", "zip_code"]
if header != expected:
    sys.exit(f"error: u.user.tsv header is {header}, expected {expected}")
with open(out / "users.ndjson", "w", encoding="utf-8") as handle:
    for number, line in enumerate(user_lines[1:], 2):
        if not line.strip():
            continue
        user_id, age, gender, occupation, zip_code = line.split("\t")
        if not age.isdigit():
            sys.exit(f"error: u.user.tsv line {number}: age {age!r} is not a whole number")
        properties = {"age": int(age), "gender": gender, "occupation": occupation}
        if zip_code:
            properties["zip_region"] = zip_code[0]
        handle.write(json.dumps({"user_id": user_id, "properties": properties}, ensure_ascii=False, separators=(",", ":")) + "\n")
        users += 1

print(f"wrote {items} items and {users} users", file=sys.stderr)
PY
echo "$out"
