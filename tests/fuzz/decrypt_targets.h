#pragma once
// The checks behind the decryption libFuzzer entry points (fuzz_decrypt, and the message
// target that verifies too): arbitrary input decrypted with one fixed small secret key
// (Cv25519, made once from a fixed seed) and the fixed passphrase "fuzz". Returns normally
// for any input; a broken invariant aborts.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/error.h"
#include "cert/cert.h"
#include "keygen/generate.h"
#include "keygen/params.h"
#include "message/decrypt.h"
#include "message/decrypt_keys.h"
#include "packet/source.h"

namespace pgpkit::fuzz {

inline void decrypt_require(bool ok) {
    if (!ok) std::abort();
}

/** The fixed secret key of the decryption targets (unprotected). */
inline const std::vector<cert::Cert>& fuzz_decrypt_keys() {
    static const std::vector<cert::Cert> keys = [] {
        const char* params =
            "Key-Type: EdDSA\nKey-Curve: ed25519\nSubkey-Type: ECDH\nSubkey-Curve: cv25519\n"
            "Name-Email: fuzz@decrypt.test\nCreation-Date: 20260101T000000\n%no-protection\n";
        std::vector<keygen::KeyBlock> blocks;
        for (const keygen::Item& i : keygen::parse_params(params, "fuzz.param"))
            if (const auto* b = std::get_if<keygen::KeyBlock>(&i)) blocks.push_back(*b);
        decrypt_require(blocks.size() == 1 && !blocks[0].error);
        const std::vector<std::uint8_t> seed(32, 0xF2);
        crypto::Rng rng = crypto::Rng::seeded(seed);
        const keygen::GeneratedKey g = keygen::generate_key(blocks[0], rng, nullptr, {});
        return cert::read_all_certs(ByteView(g.secret_key.data(), g.secret_key.size()));
    }();
    return keys;
}

/** Collects the output, bounded so that a decompression bomb within the limits stays cheap. */
class FuzzSink final : public message::ByteSink {
public:
    void write(ByteView data) override { total += data.size(); }
    void finish() override { finished = true; }
    std::uint64_t total = 0;
    bool finished = false;
};

/**
 * Decrypts `data`: success only with the integrity check done and the output finished;
 * a failure releases nothing as success; a thrown pgpkit::Error is a clean refusal.
 */
inline void fuzz_decrypt_one(const std::uint8_t* data, std::size_t size) {
    message::MemorySecretKeys keys(fuzz_decrypt_keys());
    message::DecryptOptions opt;
    opt.keys = &keys;
    opt.passphrase = SecretBytes{'f', 'u', 'z', 'z'};
    opt.limits.decompression.max_output = std::uint64_t{64} << 20;
    opt.s2k_limits.argon2.max_argon2_log2_kib = 16;  // 64 MiB: inside the fuzzer's RSS limit
    opt.s2k_limits.argon2.max_argon2_pass_kib = std::uint64_t{1} << 18;
    opt.s2k_limits.max_iterated_count = std::uint32_t{1} << 20;  // fast enough to explore
    bool okay = false, failed = false;
    opt.status = [&](const StatusEvent& e) {
        if (e.keyword == "DECRYPTION_OKAY") okay = true;
        if (e.keyword == "DECRYPTION_FAILED") failed = true;
    };
    FuzzSink out;
    packet::MemorySource in(ByteView(data, size));
    try {
        const message::DecryptResult r = message::decrypt(in, out, opt);
        decrypt_require(r.ok() == okay);
        decrypt_require(!r.ok() || (r.integrity_checked && out.finished && !failed));
        decrypt_require(r.ok() || failed);
        decrypt_require(r.plaintext_octets == out.total);
    } catch (const Error& e) {
        decrypt_require(!okay);
        decrypt_require(std::string(e.what()).find('\n') == std::string::npos);
    }
}

}  // namespace pgpkit::fuzz
