"""Times implicit's iALS on a LightGCN-format file (user item item ...), for the side-by-side speed comparison.

Not part of the product: run by compare-implicit.sh from a scratch virtualenv.
"""
import sys
import time

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits


def load(path):
    rows, cols = [], []
    with open(path) as handle:
        for line in handle:
            parts = line.split()
            if len(parts) < 2:
                continue
            user = int(parts[0])
            for item in parts[1:]:
                rows.append(user)
                cols.append(int(item))
    rows = np.asarray(rows, dtype=np.int32)
    cols = np.asarray(cols, dtype=np.int32)
    data = np.ones(len(rows), dtype=np.float32)
    return sp.csr_matrix((data, (rows, cols)), shape=(rows.max() + 1, cols.max() + 1))


def main():
    path, factors, iterations, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    from implicit.cpu.als import AlternatingLeastSquares

    matrix = load(path)
    model = AlternatingLeastSquares(factors=factors, iterations=iterations, regularization=0.01, alpha=1.0,
                                    num_threads=threads, random_state=42, calculate_training_loss=False)
    with threadpool_limits(limits=1, user_api="blas"):
        start = time.perf_counter()
        model.fit(matrix, show_progress=False)
        elapsed = time.perf_counter() - start
    print(f"implicit {factors} factors {iterations} iterations {threads} threads: fit {elapsed:.2f} s "
          f"({matrix.shape[0]} users, {matrix.shape[1]} items, {matrix.nnz} pairs)")


if __name__ == "__main__":
    main()
