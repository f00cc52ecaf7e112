// A small C surface over the parts of FAISS (C++, Debian's libfaiss-dev) the service uses. Every call catches
// C++ exceptions and returns them as an error string (free it with cfaiss_free_string); none throws across the
// boundary. A call that fails returns NULL (or non-zero) with *error set, having freed whatever it made; one that
// succeeds leaves *error alone. Indexes are opaque pointers owned by the caller (free with cfaiss_free_index).
#ifndef CFAISS_H
#define CFAISS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An exact inner-product index (IndexFlatIP). Returns NULL and sets *error on failure.
void *cfaiss_new_flat_ip(int dimension, char **error);

/// An HNSW inner-product index over flat storage (IndexHNSWFlat) with M links per node, searching with a candidate
/// list of `ef_search` (fixed for the index's life: FAISS 1.7.3 sizes a search's candidate heap from the index's own
/// efSearch, whatever the per-search parameter says). Returns NULL and sets *error on failure.
void *cfaiss_new_hnsw_ip(int dimension, int links, int ef_construction, int ef_search, char **error);

/// Adds `count` vectors (row-major, `dimension` floats each) using up to `threads` OpenMP threads. 0 on success.
int cfaiss_add(void *index, int64_t count, const float *vectors, int threads, char **error);

/// Searches `queries` vectors for their `k` best matches. When `bitmap` is not NULL only ids whose bit is set
/// (bit id % 8 of byte id / 8) are considered. Missing results have label -1. Runs on the calling thread only.
/// 0 on success.
int cfaiss_search(const void *index, int64_t queries, const float *vectors, int64_t k,
                  const uint8_t *bitmap, float *distances, int64_t *labels, char **error);

/// The number of vectors held.
int64_t cfaiss_count(const void *index);

/// The width of the vectors held.
int cfaiss_dimension(const void *index);

/// 1 for an HNSW index, 0 for a flat one.
int cfaiss_is_hnsw(const void *index);

/// Serialises the index into a malloc'd buffer (free with cfaiss_free_buffer). 0 on success; on failure *data is
/// NULL and *size 0.
int cfaiss_serialize(const void *index, uint8_t **data, size_t *size, char **error);

/// Reads an index serialised by cfaiss_serialize; an HNSW one searches with `ef_search` (fixed for its life, as in
/// cfaiss_new_hnsw_ip). Returns NULL and sets *error on failure.
void *cfaiss_deserialize(const uint8_t *data, size_t size, int ef_search, char **error);

/// Frees an index.
void cfaiss_free_index(void *index);

/// Frees a buffer from cfaiss_serialize.
void cfaiss_free_buffer(uint8_t *data);

/// Frees an error string.
void cfaiss_free_string(char *error);

#ifdef __cplusplus
}
#endif

#endif
