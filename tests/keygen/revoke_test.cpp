// Revocation certificates (keygen/revoke.h): a key's own revocation and a designated
// revoker's revoke the key once attached, with the reason kept; the guarded text of
// openpgp-revocs.d is not armor a reader picks up until its colon is removed.

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "armor/armor.h"
#include "base/error.h"
#include "cert/cert.h"
#include "cert/secret_key.h"
#include "cert/validity.h"
#include "cert/verify.h"
#include "keygen/generate.h"
#include "keygen/material.h"
#include "keygen/params.h"
#include "keygen/revoke.h"
#include "packet/parser.h"
#include "packet/signature.h"

namespace pgpkit::keygen {
namespace {

constexpr std::uint32_t fixed_time = 1767225600;  // 2026-01-01

crypto::Rng seeded(std::uint8_t fill) { return crypto::Rng::seeded(std::vector<std::uint8_t>(32, fill)); }

cert::Tsk make_tsk(const std::string& params, std::uint8_t fill) {
    for (const Item& i : parse_params(params, "t.param")) {
        if (const auto* b = std::get_if<KeyBlock>(&i)) {
            crypto::Rng rng = seeded(fill);
            GenerateOptions o;
            o.now = fixed_time;
            const GeneratedKey k = generate_key(*b, rng, nullptr, o);
            return cert::read_all_certs(ByteView(k.secret_key.data(), k.secret_key.size())).at(0);
        }
    }
    throw std::runtime_error("no key block");
}

const std::string ed25519 = "Key-Type: eddsa\nKey-Curve: ed25519\nName-Real: Target\n%no-protection\n%commit\n";

cert::Cert with(const cert::Cert& c, ByteView extra) {
    Bytes all = packet::write_packets(std::vector<packet::Packet>{c.primary.head});
    for (const packet::Packet* p : c.primary.signatures()) packet::write_packet(*p, all);
    all.insert(all.end(), extra.begin(), extra.end());
    for (const cert::Component& comp : c.components) {
        packet::write_packet(comp.head, all);
        for (const packet::Packet& p : comp.tail) packet::write_packet(p, all);
    }
    return cert::read_all_certs(all).at(0);
}

cert::CertReport report(const cert::Cert& c, const cert::KeyIndex* others = nullptr) {
    cert::CheckContext ctx;
    ctx.others = others;
    return cert::check_cert(c, ctx, fixed_time + 100);
}

TEST(Revoke, OwnRevocationRevokesWithReasonAndComment) {
    const cert::Tsk tsk = make_tsk(ed25519, 1);
    crypto::Rng rng = seeded(9);
    const Bytes rev = revoke_primary(tsk, std::nullopt, {RevocationReason::Compromised, "lost laptop", fixed_time + 10}, rng);
    const std::vector<packet::Packet> packets = packet::parse_all(rev);
    ASSERT_EQ(packets.size(), 1u);
    const auto* s = packets[0].get<packet::Signature>();
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->sig_type, packet::SigType::KeyRevocation);
    const auto* reason = s->subpacket(packet::SubpacketType::ReasonForRevocation);
    ASSERT_NE(reason, nullptr);
    EXPECT_EQ(reason->body, (Bytes{0x02, 'l', 'o', 's', 't', ' ', 'l', 'a', 'p', 't', 'o', 'p'}));

    EXPECT_EQ(report(tsk).primary.validity.state, cert::ValidityState::Valid);
    const cert::CertReport r = report(with(tsk, rev));
    EXPECT_EQ(r.primary.validity.state, cert::ValidityState::Revoked);
    EXPECT_NE(r.primary.validity.reason.find("lost laptop"), std::string::npos) << r.primary.validity.reason;
}

TEST(Revoke, NamesAndRefusesUnknownReasons) {
    EXPECT_EQ(revocation_reason("superseded"), RevocationReason::Superseded);
    EXPECT_EQ(revocation_reason("retired"), RevocationReason::Retired);
    EXPECT_EQ(revocation_reason("compromised"), RevocationReason::Compromised);
    EXPECT_EQ(revocation_reason("unspecified"), RevocationReason::Unspecified);
    EXPECT_FALSE(revocation_reason("stolen"));
}

TEST(Revoke, DesignatedRevokerRevokesOnlyWhenItsKeyIsKnown) {
    const cert::Tsk revoker = make_tsk(
        "Key-Type: eddsa\nKey-Curve: ed25519\nName-Real: Revoker\n%no-protection\n%commit\n", 2);
    const std::string fpr = to_hex(revoker.key().fingerprint);
    const cert::Tsk target = make_tsk("Key-Type: eddsa\nKey-Curve: ed25519\nName-Real: Target\nRevoker: 22:" + fpr +
                                          "\n%no-protection\n%commit\n", 3);
    ASSERT_TRUE(names_revoker(target, revoker.key().fingerprint));
    EXPECT_FALSE(names_revoker(revoker, target.key().fingerprint));
    crypto::Rng rng = seeded(4);
    const Bytes out = designated_revocation(target, revoker, std::nullopt, {RevocationReason::Retired, "", fixed_time + 5}, rng);
    // The primary key, the revocation, the direct-key signature that names the revoker,
    // the user ID and its self-signature.
    const std::vector<packet::Packet> packets = packet::parse_all(out);
    ASSERT_EQ(packets.size(), 5u);
    EXPECT_EQ(packets[3].tag(), packet::Tag::UserId);
    EXPECT_EQ(packets[4].get<packet::Signature>()->sig_type, packet::SigType::PositiveCert);
    EXPECT_EQ(packets[0].tag(), packet::Tag::PublicKey);
    EXPECT_EQ(packets[1].get<packet::Signature>()->sig_type, packet::SigType::KeyRevocation);
    EXPECT_EQ(packets[2].get<packet::Signature>()->sig_type, packet::SigType::DirectKey);

    const Bytes rev = packet::write_packets(std::vector<packet::Packet>{packets[1]});
    const cert::Cert revoked = with(target, rev);
    EXPECT_EQ(report(revoked).primary.validity.state, cert::ValidityState::Valid) << "revoker's key unknown";
    cert::KeyIndex index;
    index.add(revoker);
    EXPECT_EQ(report(revoked, &index).primary.validity.state, cert::ValidityState::Revoked);

    // A key that is not named cannot revoke: neither made nor, when forged in, accepted.
    EXPECT_THROW((void)designated_revocation(revoker, target, std::nullopt, {}, rng), Error);
    const packet::Key& tk = target.key();
    const KeyMaterial target_material =
        material_from_key(tk, cert::unprotect(tk, target.primary.head.tag(), SecretBytes{}), tk.created, tk.version);
    const Bytes forged = key_revocation(target_material, revoker.key(), {RevocationReason::Compromised, "", fixed_time}, rng);
    cert::KeyIndex target_index;
    target_index.add(target);
    EXPECT_EQ(report(with(revoker, forged), &target_index).primary.validity.state, cert::ValidityState::Valid);
}

TEST(Revoke, GuardedTextIsNotArmorUntilTheColonGoes) {
    const cert::Tsk tsk = make_tsk(ed25519, 5);
    crypto::Rng rng = seeded(6);
    const Bytes rev = revoke_primary(tsk, std::nullopt, {RevocationReason::Unspecified, "", fixed_time}, rng);
    const std::string plain = revocation_text(rev, "", false);
    EXPECT_EQ(plain.rfind("-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: This is a revocation certificate\n", 0), 0u)
        << plain;
    const std::string guarded = revocation_text(rev, "  fingerprint X\n", true);
    const auto at = guarded.find("\n:-----BEGIN PGP PUBLIC KEY BLOCK-----\n");
    ASSERT_NE(at, std::string::npos) << guarded;
    EXPECT_NE(guarded.find("  fingerprint X\n"), std::string::npos);
    EXPECT_EQ(guarded.substr(at + 2), plain);
    EXPECT_FALSE(armor::looks_armored(as_bytes(guarded)));
    std::string unguarded = guarded;
    unguarded.erase(at + 1, 1);
    ASSERT_TRUE(armor::looks_armored(as_bytes(unguarded)));
    const auto blocks = armor::decode_all(as_bytes(unguarded));
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(Bytes(blocks[0].data.begin(), blocks[0].data.end()), rev);
}

}  // namespace
}  // namespace pgpkit::keygen
