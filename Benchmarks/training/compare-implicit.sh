#!/usr/bin/env bash
# Side-by-side iALS training time: ours against implicit 0.7.3 (Python), same file, same machine, one run.
# Usage: Benchmarks/training/compare-implicit.sh [TRAIN_FILE] [FACTORS] [ITERATIONS] [THREADS]
# implicit is installed into a scratch virtualenv (not a dependency of the product).
set -euo pipefail
cd "$(dirname "$0")/../.."
TRAIN="${1:-../shared/data/gowalla/train.txt}"
FACTORS="${2:-128}"
ITERATIONS="${3:-15}"
THREADS="${4:-2}"
VENV="${IMPLICIT_VENV:-/tmp/implicit-venv}"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import implicit' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q implicit==0.7.3 scipy numpy threadpoolctl
fi
swift build -c release --product recommender >/dev/null
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for run in 1 2; do
    OPENBLAS_NUM_THREADS=1 "$VENV/bin/python" Benchmarks/training/implicit_ials.py "$TRAIN" "$FACTORS" "$ITERATIONS" "$THREADS"
    # Ours: train on the whole file (a 1% split only so eval has a test side; train_seconds excludes evaluation).
    /usr/bin/time -f "ours peak RSS %M KiB" .build/release/recommender eval --train "$TRAIN" --format lightgcn --model ials \
        --param factors="$FACTORS" --param iterations="$ITERATIONS" --param regularization=0.01 --param alpha=1 \
        --threads "$THREADS" --split random:0.01:1 2>&1 | grep -E "^ials|peak RSS" | sed 's/^/ours: /'
done
