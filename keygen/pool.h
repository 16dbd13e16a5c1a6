#pragma once
// The --jobs scheduler of key generation: N workers take the next parameter block from
// one queue in file order; results are handed out in file order.

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "crypto/rng.h"
#include "keygen/generate.h"

namespace pgpkit::keygen {

/** A generated key, or the one-line reason the block made none. */
struct BlockResult {
    std::optional<GeneratedKey> key;
    std::string error;
};

/**
 * Generates `blocks` on `jobs` threads. Block i gets rng.fork(i), so the keys do not
 * depend on which worker made them or when: with a seeded RNG the output equals a
 * one-thread run. `sink` must be thread-safe. Errors of a block are its result, never
 * an exception out of a worker.
 */
class BlockPool {
public:
    BlockPool(std::vector<const KeyBlock*> blocks, const crypto::Rng& rng, ProgressSink* sink,
              const GenerateOptions& go, unsigned jobs);
    ~BlockPool();
    BlockPool(const BlockPool&) = delete;
    BlockPool& operator=(const BlockPool&) = delete;

    /** Waits for block i (0-based, file order) and returns its result; once per block. */
    BlockResult take(std::size_t i);

private:
    void work();

    std::vector<const KeyBlock*> m_blocks;
    std::vector<std::optional<BlockResult>> m_results;
    const crypto::Rng& m_rng;
    ProgressSink* m_sink;
    GenerateOptions m_go;
    std::mutex m_mu;
    std::condition_variable m_cv;
    std::size_t m_next = 0;
    std::vector<std::thread> m_threads;
};

}  // namespace pgpkit::keygen
