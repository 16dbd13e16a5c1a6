// The decryption fuzz target (tests/fuzz/decrypt_targets.h) on messages to its fixed key
// and passphrase, and on every truncation and many bit flips of them: it never aborts,
// and the untouched messages decrypt.

#include <gtest/gtest.h>

#include "tests/fuzz/decrypt_targets.h"
#include "tests/message/message_keys.h"

namespace pgpkit::test {
namespace {

std::vector<Bytes> seeds() {
    std::vector<Bytes> out;
    const cert::Cert& key = fuzz::fuzz_decrypt_keys().at(0);
    for (bool aead : {false, true}) {
        message::EncryptOptions opt;
        opt.recipients = {recipient_of(key)};
        opt.passphrase = SecretBytes{'f', 'u', 'z', 'z'};
        opt.aead = aead;
        opt.chunk_octet = 0;
        out.push_back(encrypt_bytes(as_bytes(std::string(150, 'q')), opt).data);
    }
    return out;
}

TEST(DecryptFuzzTarget, FixedKeyAndPassphraseOpenTheSeeds) {
    for (const Bytes& m : seeds()) {
        const Decrypted d = decrypt_bytes(m, fuzz::fuzz_decrypt_keys(), std::nullopt);
        ASSERT_TRUE(d.result.ok()) << d.result.detail;
        const Decrypted p = decrypt_bytes(m, {}, "fuzz");
        ASSERT_TRUE(p.result.ok()) << p.result.detail;
        fuzz::fuzz_decrypt_one(m.data(), m.size());
    }
}

TEST(DecryptFuzzTarget, TruncationsAndBitFlipsNeverAbort) {
    for (const Bytes& m : seeds()) {
        for (std::size_t n = 0; n < m.size(); n += 3) fuzz::fuzz_decrypt_one(m.data(), n);
        for (std::size_t i = 0; i < m.size(); i += 2) {
            Bytes bad = m;
            bad[i] ^= static_cast<std::uint8_t>(1u << (i % 8));
            fuzz::fuzz_decrypt_one(bad.data(), bad.size());
        }
    }
}

}  // namespace
}  // namespace pgpkit::test
