// Key-store look-ups (issue 10: "under 1 ms each" in a store of 100,000 certificates):
// Store::find for an e-mail address, a 16-hex key ID, an 8-hex short key ID and a
// fingerprint (index look-ups), and a user ID substring (a scan, for contrast), each
// followed by Store::get of the keyblock found.
//
// The store is bench/out/store-<N>.db (or --store PATH / $PGPKIT_BENCH_STORE), made when
// missing from N seeded Ed25519 + Cv25519 keys: the parameter file of --params, generated
// by keygen's BlockPool with a seeded generator exactly as `pgpkit gen-key --seed` does.
// N is --certs N / $PGPKIT_BENCH_CERTS (default 10000). bench/make_store.sh makes the same
// store through the pgpkit binary; bench/README.md ("Store look-ups") has the figures.
//
//   store_bench [--store PATH] [--certs N] [benchmark flags]   make if missing, then time
//   store_bench --params N                    print the parameter file of N keys
//   store_bench --load KEYRING --store PATH   put every certificate of a keyring in a store

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "cert/cert.h"
#include "crypto/rng.h"
#include "keygen/generate.h"
#include "keygen/params.h"
#include "keygen/pool.h"
#include "keyring/spec.h"
#include "keyring/store.h"
#include "packet/source.h"

#ifndef PGPKIT_BENCH_OUT
#define PGPKIT_BENCH_OUT "bench/out"
#endif

namespace {

using namespace pgpkit;

/** The seed of every bench store: "pgpkit store bench" in hex (make_store.sh passes it too). */
constexpr const char* kSeedHex = "7067706b69742073746f72652062656e6368";
constexpr std::size_t kBatch = 5000;  ///< certificates per write transaction

std::string name_of(std::size_t i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%06zu", i);
    return buf;
}

/** Key i's user ID: "Store Bench 000042 <bench000042@example.org>". */
std::string user_id_of(std::size_t i) {
    return "Store Bench " + name_of(i) + " <bench" + name_of(i) + "@example.org>";
}

/** The parameter file of keys 1..n, one block each, fixed creation date. */
std::string params_text(std::size_t n) {
    std::string out =
        "# pgpkit store bench: " + std::to_string(n) + " keys (bench/store_bench --params)\n";
    for (std::size_t i = 1; i <= n; ++i) {
        out += "Key-Type: EdDSA\nKey-Curve: ed25519\nSubkey-Type: ECDH\nSubkey-Curve: cv25519\n";
        out += "User-Id: " + user_id_of(i) + "\nCreation-Date: 2026-01-01\nExpire-Date: 0\n";
        out += "%no-protection\n%commit\n";
    }
    return out;
}

SecretBytes seed_bytes() {
    SecretBytes s;
    for (const char* p = kSeedHex; p[0] && p[1]; p += 2)
        s.push_back(static_cast<std::uint8_t>(std::stoi(std::string(p, 2), nullptr, 16)));
    return s;
}

/** Puts certificates in batches of kBatch per transaction. */
class BatchWriter {
public:
    explicit BatchWriter(keyring::Store& s) : m_store(s) {}
    void put(const cert::Cert& c) {
        if (!m_writer) m_writer = std::make_unique<keyring::StoreWriter>(m_store);
        m_writer->put(c);
        if (++m_pending == kBatch) flush();
    }
    void flush() {
        if (m_writer) m_writer->commit();
        m_writer.reset();
        m_pending = 0;
    }

private:
    keyring::Store& m_store;
    std::unique_ptr<keyring::StoreWriter> m_writer;
    std::size_t m_pending = 0;
};

/** Generates keys 1..n as `pgpkit gen-key --seed kSeedHex --jobs 2` would; stores their certs. */
void make_store(const std::string& path, std::size_t n) {
    const auto start = std::chrono::steady_clock::now();
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    const std::string tmp = path + ".part";
    std::filesystem::remove(tmp);
    {
        const std::string text = params_text(n);
        const auto items = keygen::parse_params(text, "store-bench.param");
        std::vector<const keygen::KeyBlock*> blocks;
        for (const auto& it : items)
            if (const auto* b = std::get_if<keygen::KeyBlock>(&it)) blocks.push_back(b);
        const crypto::Rng rng = crypto::Rng::seeded(seed_bytes());
        keygen::GenerateOptions go;
        go.now = 1767225600;  // 2026-01-01, as the blocks' Creation-Date
        keygen::BlockPool pool(blocks, rng, nullptr, go, 2);
        keyring::Store store(tmp);
        BatchWriter w(store);
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            keygen::BlockResult r = pool.take(i);
            if (!r.key)
                throw Error(Errc::Usage, 0,
                            "store bench: key " + std::to_string(i + 1) + ": " + r.error);
            auto certs = cert::read_all_certs(r.key->public_key);
            w.put(certs.at(0));
        }
        w.flush();
    }
    std::filesystem::rename(tmp, path);
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "store_bench: made %s: %zu certificates in %.1f s\n", path.c_str(), n, s);
}

/** --load: every certificate (public part) of a keyring file into the store at `path`. */
void load_keyring(const std::string& keyring, const std::string& path) {
    keyring::Store store(path);
    BatchWriter w(store);
    packet::FdSource src(keyring);
    cert::ReadEvents ev;
    std::size_t n = 0;
    ev.cert = [&](cert::Cert&& c) {
        w.put(cert::public_part(c));
        ++n;
    };
    cert::read_certs(src, {}, ev);
    w.flush();
    std::fprintf(stderr, "store_bench: %s: %zu certificates put in %s (now %zu)\n", keyring.c_str(),
                 n, path.c_str(), store.count());
}

/** The look-up cases: one specification per sampled certificate and kind. */
struct Cases {
    std::vector<keyring::KeySpec> email, keyid, short_keyid, fingerprint, subkey_id, substring;
};

Cases sample(keyring::Store& store, std::size_t n) {
    Cases c;
    const std::size_t samples = std::min<std::size_t>(n, 1000);
    for (std::size_t k = 0; k < samples; ++k) {
        const std::size_t i = 1 + (k * 7919) % n;  // spread over the whole store
        const std::string mail = "bench" + name_of(i) + "@example.org";
        const auto spec = keyring::parse_key_spec("<" + mail + ">");
        const auto found = store.find(spec);
        if (found.size() != 1)
            throw Error(Errc::BadField, 0, "store bench: " + mail + " is not in the store");
        const auto certs = cert::read_all_certs(store.get(found[0])->keyblock);
        const auto& key = certs.at(0).key();
        const std::string kid = to_hex(ByteView(key.keyid));
        c.email.push_back(spec);
        c.keyid.push_back(keyring::parse_key_spec("0x" + kid));
        c.short_keyid.push_back(keyring::parse_key_spec("0x" + kid.substr(8)));
        c.fingerprint.push_back(keyring::parse_key_spec(to_hex(key.fingerprint)));
        const auto subs = certs[0].of_kind(cert::ComponentKind::Subkey);
        c.subkey_id.push_back(keyring::parse_key_spec(to_hex(ByteView(subs.at(0)->key()->keyid))));
        c.substring.push_back(keyring::parse_key_spec("Bench " + name_of(i)));
    }
    return c;
}

keyring::Store* g_store = nullptr;

/** find, then get of every keyblock found: the whole look-up a listing does. */
void run_lookups(benchmark::State& state, const std::vector<keyring::KeySpec>* specs) {
    std::size_t i = 0, found = 0, octets = 0;
    for (auto _ : state) {
        const auto& spec = (*specs)[i++ % specs->size()];
        for (const auto& fpr : g_store->find(spec)) {
            auto sc = g_store->get(fpr);
            octets += sc->keyblock.size();
            ++found;
        }
    }
    benchmark::DoNotOptimize(octets);
    if (found < static_cast<std::size_t>(state.iterations()))
        state.SkipWithError("a look-up found nothing");
    state.counters["certs"] = static_cast<double>(g_store->count());
}

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t certs = std::stoul(env_or("PGPKIT_BENCH_CERTS", "10000"));
    std::string store_path = env_or("PGPKIT_BENCH_STORE", "");
    std::string load;
    std::vector<char*> rest{argv[0]};
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string a = argv[i];
            const bool has_value = i + 1 < argc;
            if (a == "--params" && has_value) {
                std::fputs(params_text(std::stoul(argv[++i])).c_str(), stdout);
                return 0;
            } else if (a == "--certs" && has_value) {
                certs = std::stoul(argv[++i]);
            } else if (a == "--store" && has_value) {
                store_path = argv[++i];
            } else if (a == "--load" && has_value) {
                load = argv[++i];
            } else {
                rest.push_back(argv[i]);
            }
        }
        if (certs == 0) throw Error(Errc::Usage, 0, "store bench: --certs must be at least 1");
        if (store_path.empty())
            store_path = std::string(PGPKIT_BENCH_OUT) + "/store-" + std::to_string(certs) + ".db";
        if (!load.empty()) {
            load_keyring(load, store_path);
            return 0;
        }
        if (!std::filesystem::exists(store_path)) make_store(store_path, certs);
        keyring::Store store(store_path);
        g_store = &store;
        static const Cases cases = sample(store, store.count());
        std::fprintf(stderr, "store_bench: %s: %zu certificates\n", store_path.c_str(),
                     store.count());
        benchmark::RegisterBenchmark("Lookup/Email", run_lookups, &cases.email);
        benchmark::RegisterBenchmark("Lookup/KeyId16", run_lookups, &cases.keyid);
        benchmark::RegisterBenchmark("Lookup/ShortKeyId8", run_lookups, &cases.short_keyid);
        benchmark::RegisterBenchmark("Lookup/Fingerprint", run_lookups, &cases.fingerprint);
        benchmark::RegisterBenchmark("Lookup/SubkeyKeyId16", run_lookups, &cases.subkey_id);
        benchmark::RegisterBenchmark("Lookup/Substring", run_lookups, &cases.substring);
        int bargc = static_cast<int>(rest.size());
        benchmark::Initialize(&bargc, rest.data());
        if (benchmark::ReportUnrecognizedArguments(bargc, rest.data())) return 1;
        benchmark::RunSpecifiedBenchmarks();
        benchmark::Shutdown();
        g_store = nullptr;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "store_bench: %s\n", e.what());
        return 2;
    }
    return 0;
}
