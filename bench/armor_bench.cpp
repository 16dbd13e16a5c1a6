// Throughput of the armor layer: base64 bulk decode/encode, CRC-24, and the streaming
// DearmorSource / ArmorEncoder on 64 MiB of armored text.
// Run: build/bench/armor_bench (bytes_per_second is of binary data).

#include <benchmark/benchmark.h>

#include <random>

#include "armor/armor.h"
#include "armor/base64.h"
#include "armor/crc24.h"

namespace {

using namespace pgpkit;

Bytes random_bytes(std::size_t n) {
    std::mt19937_64 rng(42);
    Bytes b(n);
    for (std::size_t i = 0; i + 8 <= n; i += 8) {
        std::uint64_t v = rng();
        for (int k = 0; k < 8; ++k) b[i + static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(v >> (8 * k));
    }
    return b;
}

constexpr std::size_t data_size = std::size_t{48} << 20;  // 48 MiB binary, 64 MiB base64

const Bytes& data() {
    static const Bytes d = random_bytes(data_size);
    return d;
}
const std::string& armored() {
    static const std::string s = armor::encode_text(data(), "MESSAGE", {});
    return s;
}

void BM_Crc24(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(armor::crc24(data()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data().size()));
}
BENCHMARK(BM_Crc24)->Unit(benchmark::kMillisecond);

void BM_Base64DecodeQuads(benchmark::State& state) {
    std::string b64 = armor::base64_encode(data());
    Bytes out(data().size() + 3);
    for (auto _ : state)
        benchmark::DoNotOptimize(armor::base64_decode_quads(b64.data(), b64.size() / 4, out.data()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data().size()));
}
BENCHMARK(BM_Base64DecodeQuads)->Unit(benchmark::kMillisecond);

void BM_Base64Encode(benchmark::State& state) {
    std::string out(armor::base64_encoded_size(data().size()), '\0');
    for (auto _ : state) benchmark::DoNotOptimize(armor::base64_encode_to(data(), out.data()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data().size()));
}
BENCHMARK(BM_Base64Encode)->Unit(benchmark::kMillisecond);

void BM_Dearmor(benchmark::State& state) {
    const std::string& text = armored();
    Bytes buf(std::size_t{1} << 20);
    for (auto _ : state) {
        packet::MemorySource src(as_bytes(text));
        armor::DearmorSource d(src);
        std::size_t total = 0;
        while (std::size_t got = d.read(buf)) total += got;
        benchmark::DoNotOptimize(total);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data().size()));
}
BENCHMARK(BM_Dearmor)->Unit(benchmark::kMillisecond);

void BM_Armor(benchmark::State& state) {
    std::string out;
    out.reserve(armored().size() + 4096);
    for (auto _ : state) {
        out.clear();
        armor::ArmorEncoder enc("MESSAGE", {});
        constexpr std::size_t chunk = std::size_t{3} << 18;
        for (std::size_t i = 0; i < data().size(); i += chunk)
            enc.update(ByteView(data()).subspan(i, std::min(chunk, data().size() - i)), out);
        enc.finish(out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data().size()));
}
BENCHMARK(BM_Armor)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
