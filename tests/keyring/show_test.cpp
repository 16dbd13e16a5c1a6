// show_keys (keyring/show.h): keyblocks as an import takes them in, nothing stored, and
// bare revocations checked against the store.

#include <gtest/gtest.h>

#include "armor/armor.h"
#include "cert/cert.h"
#include "keyring/import.h"
#include "keyring/show.h"
#include "keyring/store.h"
#include "packet/source.h"
#include "tests/support/env.h"

namespace pgpkit::keyring {
namespace {

using test::TempDir;

struct Shown {
    std::vector<ShownKey> keys;
    std::vector<ShownRevocation> revocations;
    std::vector<std::string> errors;
};

Shown show(const Bytes& data, Store* store) {
    Shown out;
    ShowEvents ev;
    ev.key = [&](ShownKey&& k) { out.keys.push_back(std::move(k)); };
    ev.revocation = [&](ShownRevocation&& r) { out.revocations.push_back(std::move(r)); };
    ev.error = [&](const std::string& l) { out.errors.push_back(l); };
    packet::MemorySource src(data);
    const std::size_t n = show_keys(src, "input", store, ShowOptions{}, ev);
    EXPECT_EQ(n, out.errors.size());
    return out;
}

TEST(ShowKeys, InvalidUserIdsAreLeftOutAndNothingIsStored) {
    TempDir dir;
    Store store(dir.file("keys.db"));
    // gnupg's forged keyring: user IDs whose self-signatures do not verify.
    const Bytes forged = test::read_bytes(test::shared_testdata() + "/gnupg/forged-keyring.gpg");
    const Shown s = show(forged, &store);
    ASSERT_EQ(s.keys.size(), 1u);
    EXPECT_EQ(s.keys[0].problem, Problem::NoValidUserIds);
    EXPECT_TRUE(s.keys[0].cert.of_kind(cert::ComponentKind::UserId).empty());
    EXPECT_GT(cert::read_all_certs(forged).at(0).of_kind(cert::ComponentKind::UserId).size(), 0u);
    EXPECT_EQ(store.count(), 0u);
}

TEST(ShowKeys, RevocationIsCheckedAgainstTheStoredKey) {
    TempDir dir;
    Store store(dir.file("keys.db"));
    const Bytes revoked = test::read_bytes(test::shared_testdata() + "/sequoia/keys/already-revoked.pgp");
    // sequoia's revocation certificate of that key (a single signature of type 0x20).
    const Bytes rev = test::read_bytes(test::shared_testdata() + "/sequoia/keys/already-revoked.rev");
    Shown none = show(rev, &store);
    ASSERT_EQ(none.revocations.size(), 1u);
    EXPECT_EQ(none.revocations[0].check.crypto, cert::Verdict::NoKey);
    EXPECT_FALSE(none.revocations[0].key.has_value());
    Importer imp(store, ImportRunOptions{}, ImportEvents{});
    packet::MemorySource src(revoked);
    imp.read(src, "key");
    (void)imp.finish();
    Shown good = show(rev, &store);
    ASSERT_EQ(good.revocations.size(), 1u);
    EXPECT_TRUE(good.revocations[0].check.good());
    ASSERT_TRUE(good.revocations[0].key.has_value());
    EXPECT_TRUE(good.errors.empty());
    const auto blocks = armor::decode_all(rev);
    ASSERT_EQ(blocks.size(), 1u);
    Bytes bad(blocks[0].data.begin(), blocks[0].data.end());
    bad[bad.size() - 3] ^= 1;  // inside the signature's last MPI
    Shown b = show(bad, &store);
    ASSERT_EQ(b.revocations.size(), 1u);
    EXPECT_EQ(b.revocations[0].check.crypto, cert::Verdict::Bad);
    EXPECT_EQ(b.errors.size(), 1u);
}

TEST(ShowKeys, Pgp2KeysAreSkippedSilently) {
    const Shown s = show(test::read_bytes(test::shared_testdata() + "/sequoia/keys/john-v3.pgp"), nullptr);
    EXPECT_TRUE(s.keys.empty());
    EXPECT_TRUE(s.errors.empty());
}

}  // namespace
}  // namespace pgpkit::keyring
