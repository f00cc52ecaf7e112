// OpenBLAS's CBLAS (with openblas_set_num_threads) and the LAPACKE C interface (liblapacke-dev).
#include <cblas.h>
#include <lapacke.h>

/// Asks the CPU to start loading the cache line at `address` (a hint; never faults). Sparse × dense products gather
/// rows in an order only the column indices know, so they name the next rows ahead of use.
static inline void rec_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
