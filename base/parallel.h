#pragma once
// A loop over [0, n) on a few threads, for the checks that verify many signatures.

#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace pgpkit {

/**
 * Calls fn(i) for every i in [0, n) on `jobs` threads (at least one; one runs on the
 * caller's thread), each taking the next index. The first exception a call throws stops
 * the others from taking more and is rethrown once all have ended.
 */
template <class Fn>
void run_parallel(std::size_t n, unsigned jobs, Fn fn) {
    if (jobs == 0) jobs = 1;
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> failed(jobs);
    auto worker = [&](unsigned j) {
        try {
            for (std::size_t i; (i = next.fetch_add(1)) < n;) fn(i);
        } catch (...) {
            failed[j] = std::current_exception();
            next = n;
        }
    };
    if (jobs == 1) {
        worker(0);
    } else {
        std::vector<std::thread> pool;
        for (unsigned j = 0; j < jobs; ++j) pool.emplace_back(worker, j);
        for (auto& t : pool) t.join();
    }
    for (const auto& e : failed)
        if (e) std::rethrow_exception(e);
}

}  // namespace pgpkit
