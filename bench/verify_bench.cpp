// Signature verifications per second per algorithm (issue 9): through cert::KeyVerifier
// (key decoded once), through the one-shot cert::verify_digest (key decoded per call), and
// the same primitive on Botan directly with one reused PK_Verifier, so the cost of our
// framing is visible. Input: the gpg-made certificates of tests/data/cert.

#include <benchmark/benchmark.h>

#include <botan/bigint.h>
#include <botan/dl_group.h>
#include <botan/dsa.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "cert/primitive.h"
#include "packet/names.h"
#include "packet/packet.h"
#include "packet/parser.h"
#include "packet/sig_hash.h"
#include "packet/source.h"

#ifndef PGPKIT_CERT_FIXTURES
#define PGPKIT_CERT_FIXTURES "tests/data/cert"
#endif

namespace {

using namespace pgpkit;

struct Case {
    packet::Key key;
    packet::Signature sig;
    Bytes digest;
};

Case load_case(const std::string& name) {
    const Bytes data = packet::read_file(std::string(PGPKIT_CERT_FIXTURES) + "/" + name + ".pgp");
    Case c;
    Bytes uid;
    for (const auto& p : packet::parse_all(data)) {
        if (const auto* k = p.get<packet::Key>()) c.key = *k;
        if (const auto* u = p.get<packet::UserId>()) uid = u->data;
        if (const auto* s = p.get<packet::Signature>()) {
            c.sig = *s;
            break;
        }
    }
    c.digest = packet::certification_digest(c.sig, c.key, uid);
    return c;
}

Botan::BigInt big(const Bytes& b) { return Botan::BigInt(b.data(), b.size()); }

Bytes pad(const Bytes& v, std::size_t width) {
    Bytes out(width - std::min(width, v.size()), 0);
    out.insert(out.end(), v.begin(), v.end());
    return out;
}

/** Botan's own key, verifier, message and signature octets for the case. */
struct BotanSide {
    std::unique_ptr<Botan::Public_Key> key;
    std::unique_ptr<Botan::PK_Verifier> verifier;
    Bytes msg, sig;
};

BotanSide botan_side(const Case& c) {
    BotanSide b;
    const auto& f = c.key.fields;
    const auto& s = c.sig.fields;
    std::string emsa = "Raw";
    b.msg = c.digest;
    switch (c.key.algo) {
    case packet::PubkeyAlgo::Rsa: {
        b.key = std::make_unique<Botan::RSA_PublicKey>(big(f[0].data), big(f[1].data));
        emsa = c.sig.hash_algo == packet::HashAlgo::Sha256 ? "EMSA3(Raw,SHA-256)" : "EMSA3(Raw,SHA-512)";
        b.sig = pad(s[0].data, f[0].data.size());
        break;
    }
    case packet::PubkeyAlgo::Dsa: {
        const Botan::DL_Group grp(big(f[0].data), big(f[1].data), big(f[2].data));
        b.key = std::make_unique<Botan::DSA_PublicKey>(grp, big(f[3].data));
        const std::size_t q = grp.get_q().bytes();
        b.msg.resize(std::min(b.msg.size(), q));
        b.sig = pad(s[0].data, q);
        const Bytes s2 = pad(s[1].data, q);
        b.sig.insert(b.sig.end(), s2.begin(), s2.end());
        break;
    }
    case packet::PubkeyAlgo::Ecdsa: {
        const Bytes& oid = f[0].data;
        const Botan::EC_Group grp(Botan::OID(packet::oid_to_dotted(oid.data(), oid.size())));
        b.key = std::make_unique<Botan::ECDSA_PublicKey>(
            grp, grp.OS2ECP(f[1].data.data(), f[1].data.size()));
        const std::size_t n = grp.get_order_bytes();
        b.msg.resize(std::min(b.msg.size(), n));
        b.sig = pad(s[0].data, n);
        const Bytes s2 = pad(s[1].data, n);
        b.sig.insert(b.sig.end(), s2.begin(), s2.end());
        break;
    }
    case packet::PubkeyAlgo::EdDsaLegacy: {
        b.key = std::make_unique<Botan::Ed25519_PublicKey>(
            std::vector<std::uint8_t>(f[1].data.begin() + 1, f[1].data.end()));
        emsa = "Pure";
        b.sig = pad(s[0].data, 32);
        const Bytes s2 = pad(s[1].data, 32);
        b.sig.insert(b.sig.end(), s2.begin(), s2.end());
        break;
    }
    default: break;
    }
    b.verifier = std::make_unique<Botan::PK_Verifier>(*b.key, emsa);
    return b;
}

void BM_KeyVerifier(benchmark::State& state, const Case& c) {
    const cert::KeyVerifier v(c.key);
    if (v.verify(c.sig, c.digest).verdict != cert::Verdict::Good) state.SkipWithError("not good");
    for (auto _ : state) benchmark::DoNotOptimize(v.verify(c.sig, c.digest).verdict);
    state.counters["verify/s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

/** Threads share one KeyVerifier, as check-sigs --jobs N does for one issuer. */
void BM_SharedKeyVerifier(benchmark::State& state, const cert::KeyVerifier* v, const Case& c) {
    for (auto _ : state) benchmark::DoNotOptimize(v->verify(c.sig, c.digest).verdict);
    state.counters["verify/s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_OneShot(benchmark::State& state, const Case& c) {
    for (auto _ : state)
        benchmark::DoNotOptimize(cert::verify_digest(c.key, c.sig, c.digest).verdict);
    state.counters["verify/s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Botan(benchmark::State& state, const Case& c) {
    BotanSide b = botan_side(c);
    if (!b.verifier->verify_message(b.msg, b.sig)) state.SkipWithError("Botan says not good");
    for (auto _ : state) benchmark::DoNotOptimize(b.verifier->verify_message(b.msg, b.sig));
    state.counters["verify/s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

const std::vector<Case>& cases(std::vector<std::string>* names = nullptr) {
    static const std::vector<std::string> list = {
        "rsa2048-sha512",         "rsa4096-sha512",         "dsa2048-sha256",
        "nistp256-sha256",        "nistp384-sha512",        "nistp521-sha512",
        "brainpoolP256r1-sha512", "brainpoolP384r1-sha512", "brainpoolP512r1-sha512",
        "secp256k1-sha512",       "ed25519-sha512"};
    static const std::vector<Case> all = [] {
        std::vector<Case> v;
        for (const auto& n : list) v.push_back(load_case(n));
        return v;
    }();
    if (names) *names = list;
    return all;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> names;
    const auto& all = cases(&names);
    for (std::size_t i = 0; i < all.size(); ++i) {
        const Case& c = all[i];
        benchmark::RegisterBenchmark(("KeyVerifier/" + names[i]).c_str(), BM_KeyVerifier, c)
            ->Unit(benchmark::kMicrosecond);
        benchmark::RegisterBenchmark(("Botan/" + names[i]).c_str(), BM_Botan, c)
            ->Unit(benchmark::kMicrosecond);
        benchmark::RegisterBenchmark(("OneShot/" + names[i]).c_str(), BM_OneShot, c)
            ->Unit(benchmark::kMicrosecond);
    }
    // One and two threads on one shared KeyVerifier (check-sigs --jobs 2 on one key).
    const cert::KeyVerifier p256(all[3].key), rsa(all[1].key);
    for (int t : {1, 2}) {
        benchmark::RegisterBenchmark("SharedKeyVerifier/nistp256-sha256", BM_SharedKeyVerifier,
                                     &p256, all[3])
            ->Threads(t)
            ->UseRealTime()
            ->Unit(benchmark::kMicrosecond);
        benchmark::RegisterBenchmark("SharedKeyVerifier/rsa4096-sha512", BM_SharedKeyVerifier, &rsa,
                                     all[1])
            ->Threads(t)
            ->UseRealTime()
            ->Unit(benchmark::kMicrosecond);
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
