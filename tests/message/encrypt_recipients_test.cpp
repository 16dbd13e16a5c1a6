// Choosing a recipient's key as gpg does: the encryption subkey, not a signing one;
// expired and sign-only keys refused with INV_RECP's reason; features and preferences read.

#include <gtest/gtest.h>

#include "tests/message/message_keys.h"

namespace pgpkit::test {
namespace {

using message::InvalidRecipient;

InvalidRecipient refusal(const cert::Cert& tsk, std::uint32_t now) {
    auto pick = message::pick_recipient(cert::public_part(tsk), now);
    if (const auto* r = std::get_if<InvalidRecipient>(&pick)) return *r;
    ADD_FAILURE() << "a key was picked";
    return InvalidRecipient::NoReason;
}

TEST(PickRecipient, SignOnlyKeyIsWrongUsageAndExpiredKeyIsExpired) {
    const cert::Cert sign_only =
        make_tsk("Key-Type: EdDSA\nKey-Curve: ed25519\nName-Real: s\n%no-protection\n", 41);
    EXPECT_EQ(refusal(sign_only, message_test_time), InvalidRecipient::WrongUsage);
    const cert::Cert expiring = make_tsk(
        "Key-Type: EdDSA\nKey-Curve: ed25519\nSubkey-Type: ECDH\nSubkey-Curve: cv25519\nExpire-Date: 2d\n"
        "Name-Real: e\n%no-protection\n",
        42);
    EXPECT_TRUE(std::holds_alternative<message::Recipient>(message::pick_recipient(cert::public_part(expiring),
                                                                                   message_test_time)));
    EXPECT_EQ(refusal(expiring, message_test_time + 3 * 86400), InvalidRecipient::Expired);
    EXPECT_STREQ(message::invalid_recipient_text(InvalidRecipient::NotFound), "No public key");
}

TEST(PickRecipient, ReadsFeaturesAndPreferences) {
    const message::Recipient v4 = recipient_of(family_key("cv25519"));
    EXPECT_EQ(v4.key.algo, packet::PubkeyAlgo::Ecdh);
    EXPECT_FALSE(v4.sym_prefs.empty());
    EXPECT_FALSE(v4.compression_prefs.empty());
    const message::Recipient v6 = recipient_of(family_key("v6"));
    EXPECT_EQ(v6.key.algo, packet::PubkeyAlgo::X25519);
    EXPECT_TRUE(v6.seipd_v2);
    EXPECT_FALSE(v6.key.secret);  // a recipient never carries secret material
}

}  // namespace
}  // namespace pgpkit::test
