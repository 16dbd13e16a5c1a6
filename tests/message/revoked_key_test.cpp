// A signature by a key revoked since it signed: REVKEYSIG and KEYREVOKED, the reason
// with its comment, still a good signature (as gpg). The revocation is made here with
// the fixture's Alice key and added to an in-memory copy of her certificate.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cert/cert.h"
#include "keyring/store.h"
#include "message/sign.h"
#include "message/verify.h"
#include "packet/byte_writer.h"
#include "packet/sig_hash.h"
#include "tests/message/keys.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

Bytes from_hex(const std::string& h) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
    return out;
}

packet::Subpacket sub(packet::SubpacketType t, Bytes body) {
    packet::Subpacket s;
    s.type_octet = static_cast<std::uint8_t>(t);
    s.body = std::move(body);
    return s;
}

/** Alice's certificate with a key revocation ("compromised", comment "lost laptop") made at `when`. */
cert::Cert revoked_alice(std::uint32_t when) {
    const MessageKeys& k = message_keys();
    keyring::Store store(keyring::Store::db_path_in(k.home));
    const auto secret = store.get_secret(from_hex(k.alice_fpr));
    EXPECT_TRUE(secret.has_value());
    if (!secret) return {};
    std::vector<cert::Cert> tsk = cert::read_all_certs(ByteView(secret->data(), secret->size()));
    const message::SigningKey key = message::signing_key(tsk.at(0), when, std::nullopt);
    cert::Cert c = cert::public_part(tsk.at(0));
    packet::Signature rev;
    rev.sig_type = packet::SigType::KeyRevocation;
    rev.pk_algo = c.key().algo;
    rev.hash_algo = packet::HashAlgo::Sha256;
    Bytes fpr{4};
    fpr.insert(fpr.end(), c.key().fingerprint.begin(), c.key().fingerprint.end());
    rev.hashed.push_back(sub(packet::SubpacketType::IssuerFingerprint, fpr));
    rev.hashed.push_back(sub(packet::SubpacketType::SignatureCreationTime,
                             {static_cast<std::uint8_t>(when >> 24), static_cast<std::uint8_t>(when >> 16),
                              static_cast<std::uint8_t>(when >> 8), static_cast<std::uint8_t>(when)}));
    Bytes reason{2};
    const std::string comment = "lost laptop";
    reason.insert(reason.end(), comment.begin(), comment.end());
    rev.hashed.push_back(sub(packet::SubpacketType::ReasonForRevocation, reason));
    const Bytes digest = packet::direct_key_digest(rev, c.key());
    rev.left16 = {digest[0], digest[1]};
    crypto::Rng rng = crypto::Rng::system();
    rev.fields = keygen::sign_digest(key.material, rev.hash_algo, digest, rng);
    packet::Packet p;
    p.header.tag = packet::Tag::Signature;
    p.body = rev;
    c.primary.tail.insert(c.primary.tail.begin(), p);
    return c;
}

TEST(MessageRevokedKey, SignatureByARevokedKeyIsRevKeySig) {
    const MessageKeys& k = message_keys();
    TempDir dir;
    write_bytes(dir.file("data"), as_bytes(std::string("before the revocation\n")));
    const RunResult s = run(pgpkit_cmd("sign --home " + shell_quote(k.home) + " -b -u " + k.alice_fpr +
                                       " --faked-system-time 1780000000 -o " + shell_quote(dir.file("sig")) + " " +
                                       shell_quote(dir.file("data"))));
    ASSERT_EQ(s.exit_code, 0) << s.err;
    const std::vector<cert::Cert> certs{revoked_alice(1780000100)};
    message::VerifyOptions opt;
    opt.keys = message::lookup_in(certs);
    opt.now = 1780000200;
    std::vector<std::string> status;
    opt.status = [&status](const StatusEvent& ev) { status.push_back(ev.keyword); };
    packet::FdSource sig(dir.file("sig"));
    packet::FdSource data(dir.file("data"));
    const message::VerifyResult r = message::verify_detached(sig, data, opt);
    ASSERT_EQ(r.sigs.size(), 1u);
    const message::SignatureReport& rep = r.sigs[0];
    EXPECT_EQ(rep.outcome, message::SigOutcome::Good) << rep.reason;
    EXPECT_TRUE(rep.key_revoked);
    EXPECT_FALSE(rep.fully_good());
    EXPECT_TRUE(r.all_good()) << "gpg: a key revoked since still makes a good signature (exit 0)";
    EXPECT_EQ(rep.revocation_reason, "key has been compromised: lost laptop");
    const std::vector<std::string> want{"NEWSIG", "KEY_CONSIDERED", "SIG_ID", "KEY_CONSIDERED", "REVKEYSIG",
                                        "VALIDSIG", "KEY_CONSIDERED", "KEYREVOKED"};
    EXPECT_EQ(status, want);
}

}  // namespace
}  // namespace pgpkit::test
