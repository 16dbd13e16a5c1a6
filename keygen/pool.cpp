#include "keygen/pool.h"

#include <algorithm>
#include <exception>

#include "base/error.h"

namespace pgpkit::keygen {

BlockPool::BlockPool(std::vector<const KeyBlock*> blocks, const crypto::Rng& rng, ProgressSink* sink,
                     const GenerateOptions& go, unsigned jobs)
    : m_blocks(std::move(blocks)), m_results(m_blocks.size()), m_rng(rng), m_sink(sink), m_go(go) {
    const unsigned n = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(m_blocks.size())));
    for (unsigned i = 0; i < n && !m_blocks.empty(); ++i) m_threads.emplace_back([this] { work(); });
}

BlockPool::~BlockPool() {
    for (std::thread& t : m_threads) t.join();
}

BlockResult BlockPool::take(std::size_t i) {
    std::unique_lock<std::mutex> lock(m_mu);
    m_cv.wait(lock, [&] { return m_results[i].has_value(); });
    return std::move(*m_results[i]);
}

void BlockPool::work() {
    for (;;) {
        std::size_t i;
        {
            std::lock_guard<std::mutex> lock(m_mu);
            if (m_next == m_blocks.size()) return;
            i = m_next++;
        }
        BlockResult r;
        try {
            crypto::Rng rng = m_rng.fork(static_cast<std::uint32_t>(i));
            r.key = generate_key(*m_blocks[i], rng, m_sink, m_go);
        } catch (const Error& e) {
            // "file:line: reason" already says where; the octet offset means nothing here.
            r.error = e.kind() == Errc::Usage ? e.detail() : e.what();
        } catch (const std::exception& e) {
            r.error = e.what();
        }
        std::lock_guard<std::mutex> lock(m_mu);
        m_results[i] = std::move(r);
        m_cv.notify_all();
    }
}

}  // namespace pgpkit::keygen
