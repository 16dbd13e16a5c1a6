// The sample messages of RFC 9580 Appendix A: X25519 with PKESK v6 and SEIPD v2 (A.8), and
// SKESK v6 with each AEAD mode (A.9 EAX, A.10 OCB, A.11 GCM).

#include <gtest/gtest.h>

#include "armor/armor.h"
#include "tests/message/message_keys.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

std::string vector_path(const std::string& name) { return test_data_dir() + "/message/rfc9580/" + name; }

TEST(Rfc9580Samples, SkeskV6WithEachAeadModeDecryptsToHelloWorld) {
    for (const char* f : {"A.9.skesk-eax.asc", "A.10.skesk-ocb.asc", "A.11.skesk-gcm.asc"}) {
        const Decrypted d = decrypt_bytes(read_bytes(vector_path(f)), {}, "password");
        ASSERT_TRUE(d.result.ok()) << f << ": " << d.result.detail;
        EXPECT_EQ(std::string(d.plaintext.begin(), d.plaintext.end()), "Hello, world!") << f;
        EXPECT_TRUE(d.result.integrity_checked);
        EXPECT_EQ(d.result.session_key->algo, packet::SymAlgo::Aes128);
    }
}

TEST(Rfc9580Samples, X25519PkeskV6WithSeipdV2OcbDecryptsWithTheSampleKey) {
    const Bytes key = read_bytes(vector_path("A.4.v6-secret-key.asc"));
    const Bytes bin = [&] {
        auto blocks = armor::decode_all(key);
        return Bytes(blocks.at(0).data.begin(), blocks.at(0).data.end());
    }();
    auto certs = cert::read_all_certs(bin);
    ASSERT_EQ(certs.size(), 1u);
    const Decrypted d = decrypt_bytes(read_bytes(vector_path("A.8.x25519-aead-ocb.asc")), certs, std::nullopt);
    ASSERT_TRUE(d.result.ok()) << d.result.detail;
    EXPECT_EQ(std::string(d.plaintext.begin(), d.plaintext.end()), "Hello, world!");
    EXPECT_EQ(d.status.front().args, (std::vector<std::string>{"12C83F1E706F6308", "25", "0"}));
}

TEST(Rfc9580Samples, WrongPasswordFailsTheAeadTagOfTheSkesk) {
    const Decrypted d = decrypt_bytes(read_bytes(vector_path("A.10.skesk-ocb.asc")), {}, "Password");
    EXPECT_EQ(d.result.failure, message::DecryptFailure::NoSessionKey);
    EXPECT_TRUE(d.plaintext.empty());
}

}  // namespace
}  // namespace pgpkit::test
