// GnuPG 2.3's OCB Encrypted Data packet (tag 20, LibrePGP), from shared/testdata/gopenpgp:
// an ECDH PKESK v3 and AES-256 OCB chunks; the key is protected with "test".

#include <gtest/gtest.h>

#include "armor/armor.h"
#include "tests/message/message_keys.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

std::vector<cert::Cert> aead_key() {
    const Bytes text = read_bytes(shared_testdata() + "/gopenpgp/gpg2.3-aead-test-key.asc");
    const auto blocks = armor::decode_all(text);
    return cert::read_all_certs(ByteView(blocks.at(0).data.data(), blocks.at(0).data.size()));
}

TEST(LibrePgpOcb, Gpg23MessageDecryptsAndATamperedOneDoesNot) {
    const Bytes msg = read_bytes(shared_testdata() + "/gopenpgp/gpg2.3-aead-pgp-message.pgp");
    const Decrypted d = decrypt_bytes(msg, aead_key(), "test");
    ASSERT_TRUE(d.result.ok()) << d.result.detail;
    EXPECT_EQ(std::string(d.plaintext.begin(), d.plaintext.end()), "hello world\n");
    EXPECT_EQ(d.result.literal_name, "plaintext.txt");
    EXPECT_TRUE(d.result.integrity_checked);
    Bytes bad = msg;
    bad[bad.size() - 20] ^= 1;
    const Decrypted t = decrypt_bytes(bad, aead_key(), "test");
    EXPECT_EQ(t.result.failure, message::DecryptFailure::Manipulated);
    EXPECT_TRUE(t.plaintext.empty());  // an AEAD chunk is released only once its tag verifies
    const Decrypted w = decrypt_bytes(msg, aead_key(), "wrong");
    EXPECT_EQ(w.result.failure, message::DecryptFailure::NoSessionKey);
}

}  // namespace
}  // namespace pgpkit::test
