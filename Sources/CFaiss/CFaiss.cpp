// The C surface of CFaiss.h over FAISS's C++ API. Exceptions never cross into Swift: each call returns them as text.
#include "CFaiss.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <omp.h>
#include <utility>
#include <vector>

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace {

char *copy_message(const char *message) {
    size_t length = std::strlen(message);
    char *copy = static_cast<char *>(std::malloc(length + 1));
    if (copy) std::memcpy(copy, message, length + 1);
    return copy;
}

template <typename Body>
int guarded(char **error, Body body) {
    try {
        body();
        return 0;
    } catch (const std::exception &exception) {
        if (error) *error = copy_message(exception.what());
    } catch (...) {
        if (error) *error = copy_message("unknown FAISS error");
    }
    return -1;
}

/// Runs `body`, which makes an index into `index`: the index on success; on an exception, NULL with *error set and
/// whatever `body` had made freed (an index is never handed back half set up, nor beside an error).
template <typename IndexType, typename Body>
void *made(char **error, Body body) {
    IndexType *index = nullptr;
    if (guarded(error, [&] { body(index); }) != 0) {
        delete index;
        return nullptr;
    }
    return index;
}

// Inner products. Debian's libfaiss is built for the x86-64 baseline, where its fvec_inner_product is a scalar loop;
// this one uses AVX2/FMA when the CPU has them (checked at run time) and a four-way unrolled loop otherwise.
#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) float dot_avx2(const float *a, const float *b, size_t d) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= d; i += 16) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    }
    for (; i + 8 <= d; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    __m256 s = _mm256_add_ps(s0, s1);
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
    h = _mm_hadd_ps(h, h);
    h = _mm_hadd_ps(h, h);
    float total = _mm_cvtss_f32(h);
    for (; i < d; i++) total += a[i] * b[i];
    return total;
}
const bool has_avx2 = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}();
#endif

float dot_portable(const float *a, const float *b, size_t d) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    for (; i + 4 <= d; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < d; i++) s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

inline float dot(const float *a, const float *b, size_t d) {
#if defined(__x86_64__)
    if (has_avx2) return dot_avx2(a, b, d);
#endif
    return dot_portable(a, b, d);
}

/// Inner-product distances over flat storage with the fast dot product.
struct FastInnerProductComputer : faiss::FlatCodesDistanceComputer {
    size_t dimension;
    const float *query = nullptr;

    FastInnerProductComputer(const uint8_t *codes, size_t dimension)
            : faiss::FlatCodesDistanceComputer(codes, dimension * sizeof(float)), dimension(dimension) {}

    void set_query(const float *x) override { query = x; }

    float distance_to_code(const uint8_t *code) override {
        return dot(query, reinterpret_cast<const float *>(code), dimension);
    }

    float symmetric_dis(idx_t i, idx_t j) override {
        return dot(reinterpret_cast<const float *>(codes + i * code_size), reinterpret_cast<const float *>(codes + j * code_size), dimension);
    }
};

/// IndexFlatIP whose distance computer (what HNSW walks with) uses the fast dot product. Serialises as IndexFlatIP.
struct FastFlatIP : faiss::IndexFlatIP {
    explicit FastFlatIP(int dimension) : faiss::IndexFlatIP(dimension) {}

    faiss::FlatCodesDistanceComputer *get_FlatCodesDistanceComputer() const override {
        return new FastInnerProductComputer(codes.data(), static_cast<size_t>(d));
    }
};

/// Gives an HNSW index fast storage in place of the flat storage it was built or read with.
void use_fast_storage(faiss::IndexHNSW *hnsw) {
    auto *flat = dynamic_cast<faiss::IndexFlat *>(hnsw->storage);
    if (!flat || flat->metric_type != faiss::METRIC_INNER_PRODUCT || dynamic_cast<FastFlatIP *>(flat)) return;
    auto *fast = new FastFlatIP(flat->d);
    fast->codes.swap(flat->codes);
    fast->ntotal = flat->ntotal;
    if (hnsw->own_fields) delete flat;
    hnsw->storage = fast;
    hnsw->own_fields = true;
}

/// Exact search of a flat index, one query, honouring the bitmap.
void flat_search(const faiss::IndexFlat *flat, const float *query, int64_t k, const uint8_t *bitmap, float *distances, int64_t *labels) {
    std::vector<std::pair<float, int64_t>> heap;  // a min-heap of the best k
    heap.reserve(static_cast<size_t>(k) + 1);
    auto worse = [](const std::pair<float, int64_t> &a, const std::pair<float, int64_t> &b) { return a.first > b.first; };
    const float *vectors = reinterpret_cast<const float *>(flat->codes.data());
    for (int64_t i = 0; i < flat->ntotal; i++) {
        if (bitmap && !(bitmap[i >> 3] & (1 << (i & 7)))) continue;
        float score = dot(query, vectors + i * flat->d, static_cast<size_t>(flat->d));
        if (static_cast<int64_t>(heap.size()) < k) {
            heap.emplace_back(score, i);
            std::push_heap(heap.begin(), heap.end(), worse);
        } else if (score > heap.front().first) {
            std::pop_heap(heap.begin(), heap.end(), worse);
            heap.back() = {score, i};
            std::push_heap(heap.begin(), heap.end(), worse);
        }
    }
    std::sort_heap(heap.begin(), heap.end(), worse);
    for (int64_t position = 0; position < k; position++) {
        if (position < static_cast<int64_t>(heap.size())) {
            distances[position] = heap[position].first;
            labels[position] = heap[position].second;
        } else {
            distances[position] = 0;
            labels[position] = -1;
        }
    }
}

}  // namespace

extern "C" {

void *cfaiss_new_flat_ip(int dimension, char **error) {
    return made<faiss::Index>(error, [&](faiss::Index *&index) { index = new faiss::IndexFlatIP(dimension); });
}

void *cfaiss_new_hnsw_ip(int dimension, int links, int ef_construction, int ef_search, char **error) {
    return made<faiss::IndexHNSWFlat>(error, [&](faiss::IndexHNSWFlat *&index) {
        index = new faiss::IndexHNSWFlat(dimension, links, faiss::METRIC_INNER_PRODUCT);
        index->hnsw.efConstruction = ef_construction;
        index->hnsw.efSearch = ef_search > 0 ? ef_search : 16;
        use_fast_storage(index);
    });
}

int cfaiss_add(void *index, int64_t count, const float *vectors, int threads, char **error) {
    return guarded(error, [&] {
        omp_set_num_threads(threads > 0 ? threads : 1);
        static_cast<faiss::Index *>(index)->add(count, vectors);
        omp_set_num_threads(1);
    });
}

int cfaiss_search(const void *index, int64_t queries, const float *vectors, int64_t k,
                  const uint8_t *bitmap, float *distances, int64_t *labels, char **error) {
    return guarded(error, [&] {
        omp_set_num_threads(1);
        auto *base = static_cast<const faiss::Index *>(index);
        faiss::IDSelectorBitmap selector(static_cast<size_t>((base->ntotal + 7) / 8), bitmap);
        if (auto *hnsw = dynamic_cast<const faiss::IndexHNSW *>(base)) {
            faiss::SearchParametersHNSW parameters;
            parameters.efSearch = hnsw->hnsw.efSearch;
            parameters.sel = bitmap ? &selector : nullptr;
            hnsw->search(queries, vectors, k, distances, labels, &parameters);
        } else if (auto *flat = dynamic_cast<const faiss::IndexFlat *>(base); flat && flat->metric_type == faiss::METRIC_INNER_PRODUCT) {
            for (int64_t q = 0; q < queries; q++) {
                flat_search(flat, vectors + q * base->d, k, bitmap, distances + q * k, labels + q * k);
            }
        } else {
            faiss::SearchParameters parameters;
            parameters.sel = bitmap ? &selector : nullptr;
            base->search(queries, vectors, k, distances, labels, &parameters);
        }
    });
}

int cfaiss_dimension(const void *index) {
    return static_cast<const faiss::Index *>(index)->d;
}

int64_t cfaiss_count(const void *index) {
    return static_cast<const faiss::Index *>(index)->ntotal;
}

int cfaiss_is_hnsw(const void *index) {
    return dynamic_cast<const faiss::IndexHNSW *>(static_cast<const faiss::Index *>(index)) != nullptr ? 1 : 0;
}

int cfaiss_serialize(const void *index, uint8_t **data, size_t *size, char **error) {
    *data = nullptr;
    *size = 0;
    return guarded(error, [&] {
        faiss::VectorIOWriter writer;
        faiss::write_index(static_cast<const faiss::Index *>(index), &writer);
        auto *buffer = static_cast<uint8_t *>(std::malloc(writer.data.size() > 0 ? writer.data.size() : 1));
        if (!buffer) throw std::bad_alloc();
        std::memcpy(buffer, writer.data.data(), writer.data.size());
        *data = buffer;
        *size = writer.data.size();
    });
}

void *cfaiss_deserialize(const uint8_t *data, size_t size, int ef_search, char **error) {
    return made<faiss::Index>(error, [&](faiss::Index *&index) {
        faiss::VectorIOReader reader;
        reader.data.assign(data, data + size);
        index = faiss::read_index(&reader);
        if (auto *hnsw = dynamic_cast<faiss::IndexHNSW *>(index)) {
            hnsw->hnsw.efSearch = ef_search > 0 ? ef_search : 16;
            use_fast_storage(hnsw);
        }
    });
}

void cfaiss_free_index(void *index) {
    delete static_cast<faiss::Index *>(index);
}

void cfaiss_free_buffer(uint8_t *data) {
    std::free(data);
}

void cfaiss_free_string(char *error) {
    std::free(error);
}

}  // extern "C"
