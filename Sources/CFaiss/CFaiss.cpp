// The C surface of CFaiss.h over FAISS's C++ API. Exceptions never cross into Swift: each call returns them as text.
#include "CFaiss.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <omp.h>

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>

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

}  // namespace

extern "C" {

void *cfaiss_new_flat_ip(int dimension, char **error) {
    faiss::Index *index = nullptr;
    guarded(error, [&] { index = new faiss::IndexFlatIP(dimension); });
    return index;
}

void *cfaiss_new_hnsw_ip(int dimension, int links, int ef_construction, char **error) {
    faiss::IndexHNSWFlat *index = nullptr;
    guarded(error, [&] {
        index = new faiss::IndexHNSWFlat(dimension, links, faiss::METRIC_INNER_PRODUCT);
        index->hnsw.efConstruction = ef_construction;
    });
    return index;
}

int cfaiss_add(void *index, int64_t count, const float *vectors, int threads, char **error) {
    return guarded(error, [&] {
        omp_set_num_threads(threads > 0 ? threads : 1);
        static_cast<faiss::Index *>(index)->add(count, vectors);
        omp_set_num_threads(1);
    });
}

int cfaiss_search(const void *index, int64_t queries, const float *vectors, int64_t k, int ef_search,
                  const uint8_t *bitmap, float *distances, int64_t *labels, char **error) {
    return guarded(error, [&] {
        omp_set_num_threads(1);
        auto *base = static_cast<const faiss::Index *>(index);
        faiss::IDSelectorBitmap selector(static_cast<size_t>((base->ntotal + 7) / 8), bitmap);
        if (auto *hnsw = dynamic_cast<const faiss::IndexHNSW *>(base)) {
            faiss::SearchParametersHNSW parameters;
            parameters.efSearch = ef_search > 0 ? ef_search : hnsw->hnsw.efSearch;
            parameters.sel = bitmap ? &selector : nullptr;
            hnsw->search(queries, vectors, k, distances, labels, &parameters);
        } else {
            faiss::SearchParameters parameters;
            parameters.sel = bitmap ? &selector : nullptr;
            base->search(queries, vectors, k, distances, labels, &parameters);
        }
    });
}

int64_t cfaiss_count(const void *index) {
    return static_cast<const faiss::Index *>(index)->ntotal;
}

int cfaiss_is_hnsw(const void *index) {
    return dynamic_cast<const faiss::IndexHNSW *>(static_cast<const faiss::Index *>(index)) != nullptr ? 1 : 0;
}

int cfaiss_serialize(const void *index, uint8_t **data, size_t *size, char **error) {
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

void *cfaiss_deserialize(const uint8_t *data, size_t size, char **error) {
    faiss::Index *index = nullptr;
    guarded(error, [&] {
        faiss::VectorIOReader reader;
        reader.data.assign(data, data + size);
        index = faiss::read_index(&reader);
    });
    return index;
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
