// Parse-only throughput of the packet layer (issue 2 target: >= 1 GB/s on one core).
// Input: PGPKIT_BENCH_KEYRING (default bench/out/keyring.pgp from bench/make_keyring.sh).

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "packet/parser.h"
#include "packet/source.h"

namespace {

const pgpkit::Bytes& keyring() {
    static const pgpkit::Bytes data = [] {
        const char* path = std::getenv("PGPKIT_BENCH_KEYRING");
        return pgpkit::packet::read_file(path ? path : "bench/out/keyring.pgp");
    }();
    return data;
}

void BM_ParseStream(benchmark::State& state) {
    const pgpkit::Bytes& data = keyring();
    std::size_t packets = 0;
    for (auto _ : state) {
        pgpkit::packet::MemorySource src(data);
        pgpkit::packet::PacketParser parser(src, {});
        while (auto p = parser.next()) {
            benchmark::DoNotOptimize(p->header.tag);
            ++packets;
        }
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
    state.counters["packets"] = benchmark::Counter(static_cast<double>(packets), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ParseStream)->Unit(benchmark::kMillisecond);

void BM_ParseAllTree(benchmark::State& state) {
    const pgpkit::Bytes& data = keyring();
    for (auto _ : state) {
        auto packets = pgpkit::packet::parse_all(data);
        benchmark::DoNotOptimize(packets.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_ParseAllTree)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
