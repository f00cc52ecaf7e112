// OpenBLAS's CBLAS (with openblas_set_num_threads) and the LAPACKE C interface (liblapacke-dev).
#include <cblas.h>
#include <lapacke.h>

