// The self-signature rules of derive_validity (gpg 2.2's merge_selfsigs), on certificates
// assembled from a real key packet and hand-made signature packets whose verdicts are
// given, not computed: the rules are tested apart from the cryptography.

#include <gtest/gtest.h>

#include <array>

#include "cert/cert.h"
#include "cert/validity.h"
#include "packet/names.h"
#include "tests/support/env.h"

namespace pgpkit::cert {
namespace {

using packet::SigType;
using packet::SubpacketType;

constexpr std::uint32_t day = 86400;

packet::Key fixture_key(const char* file) {
    const auto certs = read_all_certs(test::read_bytes(test::test_data_dir() + "/cert/" + file));
    return certs.at(0).key();
}

Bytes be32(std::uint32_t v) {
    return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
            static_cast<std::uint8_t>(v)};
}

packet::Subpacket sub(SubpacketType t, Bytes body) {
    packet::Subpacket s;
    s.type_octet = static_cast<std::uint8_t>(t);
    s.body = std::move(body);
    return s;
}

packet::Subpacket key_flags(std::uint8_t f) { return sub(SubpacketType::KeyFlags, {f}); }
packet::Subpacket key_expiry(std::uint32_t secs) { return sub(SubpacketType::KeyExpirationTime, be32(secs)); }
packet::Subpacket sig_expiry(std::uint32_t secs) { return sub(SubpacketType::SignatureExpirationTime, be32(secs)); }
packet::Subpacket primary_flag() { return sub(SubpacketType::PrimaryUserId, {1}); }

template <class T>
packet::Packet packet_of(packet::Tag tag, T body) {
    packet::Packet p;
    p.header.tag = static_cast<decltype(p.header.tag)>(tag);
    p.body = std::move(body);
    return p;
}

/** A certificate built packet by packet; every signature counts as a good self-signature unless marked bad. */
class Builder {
public:
    explicit Builder(const char* primary_file = "rsa2048-sha512.pgp") : m_key(fixture_key(primary_file)) {
        m_packets.push_back(packet_of(packet::Tag::PublicKey, m_key));
    }
    std::uint32_t t0() const { return m_key.created; }

    Builder& uid(const std::string& text) {
        m_packets.push_back(packet_of(packet::Tag::UserId, packet::UserId{Bytes(text.begin(), text.end())}));
        return *this;
    }
    /** A subkey: the key of `file` (its algorithm), created `offset` seconds after the primary. */
    Builder& subkey(const char* file, std::uint32_t offset) {
        packet::Key k = fixture_key(file);
        k.created = t0() + offset;
        m_packets.push_back(packet_of(packet::Tag::PublicSubkey, k));
        return *this;
    }
    /** A signature of type `t` made `offset` seconds after the primary key. */
    Builder& sig(SigType t, std::uint32_t offset, std::vector<packet::Subpacket> extra = {}, bool good = true) {
        packet::Signature s;
        s.sig_type = static_cast<decltype(s.sig_type)>(t);
        s.pk_algo = m_key.algo;
        s.hash_algo = static_cast<decltype(s.hash_algo)>(packet::HashAlgo::Sha256);
        s.hashed.push_back(sub(SubpacketType::SignatureCreationTime, be32(t0() + offset)));
        for (auto& p : extra) s.hashed.push_back(std::move(p));
        if (!good) s.left16 = bad_mark;
        m_packets.push_back(packet_of(packet::Tag::Signature, std::move(s)));
        return *this;
    }
    Builder& cert(std::uint32_t offset, std::vector<packet::Subpacket> extra = {}) {
        return sig(SigType::PositiveCert, offset, std::move(extra));
    }

    /** The certificate and its report at `now` (seconds after the primary key). */
    void derive(std::uint32_t now_offset = 1000 * day) {
        m_cert = assemble(m_packets);
        m_rep = CertReport{};
        m_rep.primary = report_of(m_cert.primary);
        for (const Component& c : m_cert.components) m_rep.components.push_back(report_of(c));
        derive_validity(m_cert, m_rep, t0() + now_offset);
    }
    const CertReport& rep() const { return m_rep; }
    const ComponentReport& comp(std::size_t i) const { return m_rep.components.at(i); }
    std::string field12() const { return m_rep.usage_field(); }

private:
    ComponentReport report_of(const Component& c) {
        ComponentReport r;
        r.component = &c;
        for (const packet::Packet* p : c.signatures()) {
            SigCheck s;
            s.crypto = p->get<packet::Signature>()->left16 == bad_mark ? Verdict::Bad : Verdict::Good;
            s.self = true;
            r.sigs.push_back(s);
        }
        return r;
    }

    static constexpr std::array<std::uint8_t, 2> bad_mark{0xBA, 0xD0};
    packet::Key m_key;
    std::vector<packet::Packet> m_packets;
    Cert m_cert;
    CertReport m_rep;
};

TEST(KeyExpiry, ComesFromTheNewestUserIdThatSetsOneEvenIfNotPrimary) {
    Builder b;
    b.uid("Alice <a@example.org>").cert(100, {key_expiry(3000 * day), primary_flag()});
    b.uid("Alice <alice@example.org>").cert(200);
    b.derive();
    ASSERT_EQ(b.rep().primary.validity.state, ValidityState::Valid);
    EXPECT_EQ(b.rep().primary.validity.expires, b.t0() + 3000 * day);
    EXPECT_TRUE(b.comp(0).primary_uid);
}

TEST(KeyExpiry, NewestUserIdSettingOneWinsAndPassedExpiryExpires) {
    Builder b;
    b.uid("A <a@example.org>").cert(300, {key_expiry(500 * day)});
    b.uid("B <b@example.org>").cert(100, {key_expiry(3000 * day)});
    b.derive();
    EXPECT_EQ(b.rep().primary.validity.expires, b.t0() + 500 * day);
    EXPECT_EQ(b.rep().primary.validity.state, ValidityState::Expired);
    EXPECT_EQ(b.field12(), "esca");  // expired: nothing usable
}

TEST(KeyExpiry, DirectKeySignatureComesBeforeUserIds) {
    Builder b;
    b.sig(SigType::DirectKey, 50, {key_expiry(2000 * day), key_flags(0x01)});
    b.uid("A <a@example.org>").cert(100, {key_expiry(10 * day), key_flags(0x03)});
    b.derive();
    EXPECT_EQ(b.rep().primary.validity.expires, b.t0() + 2000 * day);
    EXPECT_EQ(b.rep().primary.validity.state, ValidityState::Valid);
    EXPECT_EQ(b.field12(), "cC");
}

TEST(KeyUsage, ComesFromTheNewestUserIdWithKeyFlags) {
    Builder b;
    b.uid("A <a@example.org>").cert(100, {key_flags(0x03)});
    b.uid("B <b@example.org>").cert(200);
    b.derive();
    EXPECT_EQ(b.field12(), "scSC");
}

TEST(KeyUsage, WithoutKeyFlagsIsTheAlgorithmsDefault) {
    Builder b;
    b.uid("A <a@example.org>").cert(100);
    b.derive();
    EXPECT_EQ(b.field12(), "escaESCA");
}

TEST(KeyUsage, KeyFlagsAreMaskedByWhatTheAlgorithmCanDo) {
    Builder b("dsa2048-sha256.pgp");
    b.uid("A <a@example.org>").cert(100, {key_flags(0x0E)});  // sign, encrypt: DSA cannot encrypt
    b.derive();
    EXPECT_EQ(b.field12(), "scSC");
}

TEST(SelfSignature, ABadOneDoesNotCount) {
    Builder b;
    b.uid("A <a@example.org>").cert(100, {key_flags(0x01)}).sig(SigType::PositiveCert, 200, {key_flags(0x03)}, false);
    b.derive();
    EXPECT_EQ(b.comp(0).self_sig, 0u);
    EXPECT_EQ(b.field12(), "cC");
}

TEST(PrimaryUserId, IsTheNewestOfThoseFlagged) {
    Builder b;
    b.uid("A <a@example.org>").cert(100, {primary_flag()});
    b.uid("B <b@example.org>").cert(300, {primary_flag()});
    b.uid("C <c@example.org>").cert(400);
    b.derive();
    EXPECT_FALSE(b.comp(0).primary_uid);
    EXPECT_TRUE(b.comp(1).primary_uid);
    EXPECT_FALSE(b.comp(2).primary_uid);
}

TEST(PrimaryUserId, WithoutFlagsIsTheNewestAndTiesGoToTheOneThatSortsLast) {
    Builder b;
    b.uid("Bob <bob@example.org>").cert(200);
    b.uid("Al <al@example.org>").cert(200);
    b.uid("Bob <bob@example.net>").cert(100);
    b.derive();
    EXPECT_TRUE(b.comp(0).primary_uid);  // longer than "Al ...", newer than the third

    Builder c;
    c.uid("Bob <bob@example.net>").cert(200);
    c.uid("Bob <bob@example.org>").cert(200);  // same length, greater octets
    c.derive();
    EXPECT_TRUE(c.comp(1).primary_uid);
}

TEST(PrimaryUserId, RevokedUserIdIsNotPrimary) {
    Builder b;
    b.uid("Alice Long Name <alice@example.org>").cert(100, {primary_flag()}).sig(SigType::CertRevocation, 150);
    b.uid("A <a@example.org>").cert(120);
    b.derive();
    EXPECT_EQ(b.comp(0).validity.state, ValidityState::Revoked);
    EXPECT_FALSE(b.comp(0).primary_uid);
    EXPECT_TRUE(b.comp(1).primary_uid);
}

TEST(UserIdRevocation, IsUndoneByANewerCertification) {
    Builder b;
    b.uid("A <a@example.org>").cert(100).sig(SigType::CertRevocation, 200).cert(300);
    b.uid("B <b@example.org>").cert(100).sig(SigType::CertRevocation, 200);
    b.derive();
    EXPECT_EQ(b.comp(0).validity.state, ValidityState::Valid);
    EXPECT_EQ(b.comp(0).self_sig, 2u);
    EXPECT_EQ(b.comp(1).validity.state, ValidityState::Revoked);
}

TEST(UserIdRevocation, OnEqualTimesTheLaterSignatureWins) {
    Builder b;
    b.uid("A <a@example.org>").cert(100).sig(SigType::CertRevocation, 100);
    b.uid("B <b@example.org>").sig(SigType::CertRevocation, 100).cert(100);
    b.derive();
    EXPECT_EQ(b.comp(0).validity.state, ValidityState::Revoked);
    EXPECT_EQ(b.comp(1).validity.state, ValidityState::Valid);
}

TEST(UserIdRevocation, RevokedUserIdGivesNoKeyExpiry) {
    Builder b;
    b.uid("A <a@example.org>").cert(300, {key_expiry(20 * day)}).sig(SigType::CertRevocation, 400);
    b.uid("B <b@example.org>").cert(100);
    b.derive();
    EXPECT_EQ(b.rep().primary.validity.expires, std::nullopt);
    EXPECT_EQ(b.rep().primary.validity.state, ValidityState::Valid);
}

TEST(UserIdExpiry, ExpiredSelfSignatureExpiresTheUserIdAndSetsNothing) {
    Builder b;
    b.uid("A <a@example.org>").cert(300, {sig_expiry(10 * day), key_flags(0x01), primary_flag()});
    b.uid("B <b@example.org>").cert(100);
    b.derive();
    EXPECT_EQ(b.comp(0).validity.state, ValidityState::Expired);
    EXPECT_EQ(b.comp(0).validity.expires, b.t0() + 300 + 10 * day);
    EXPECT_TRUE(b.comp(1).primary_uid);
    EXPECT_EQ(b.field12(), "escaESCA");
}

TEST(SubkeyRevocation, RevokesWhateverItsDateAndKeepsTheBindingsExpiry) {
    Builder b;
    b.uid("A <a@example.org>").cert(100);
    b.subkey("rsa2048-sha1.pgp", 10)
        .sig(SigType::SubkeyBinding, 100, {key_flags(0x0C), key_expiry(100 * day)})
        .sig(SigType::SubkeyRevocation, 50)
        .sig(SigType::SubkeyBinding, 200, {key_flags(0x0C), key_expiry(900 * day)});
    b.derive(500 * day);
    const ComponentReport& s = b.comp(1);
    EXPECT_EQ(s.validity.state, ValidityState::Revoked);
    EXPECT_EQ(s.validity.expires, b.t0() + 10 + 900 * day);
    EXPECT_EQ(s.self_sig, 2u);
    EXPECT_EQ(b.field12(), "escaESCA");  // the revoked subkey adds nothing the primary lacks
}

TEST(SubkeyBinding, ExpiredBindingIsSkipped) {
    Builder b;
    b.uid("A <a@example.org>").cert(100, {key_flags(0x03)});
    b.subkey("rsa2048-sha1.pgp", 10)
        .sig(SigType::SubkeyBinding, 100, {key_flags(0x0C)})
        .sig(SigType::SubkeyBinding, 200, {key_flags(0x02), sig_expiry(day)});
    b.derive();
    EXPECT_EQ(b.comp(1).self_sig, 0u);
    EXPECT_EQ(usage_letters(b.comp(1).usage), "e");
    EXPECT_EQ(b.field12(), "scESC");
}

TEST(SubkeyBinding, WithoutOneTheSubkeyIsInvalid) {
    Builder b;
    b.uid("A <a@example.org>").cert(100);
    b.subkey("rsa2048-sha1.pgp", 10).sig(SigType::SubkeyRevocation, 50);
    b.derive();
    EXPECT_EQ(b.comp(1).validity.state, ValidityState::Invalid);
}

TEST(SubkeyUsage, KeyFlagsMaskedByTheAlgorithmAndCertifyKept) {
    Builder b;
    b.uid("A <a@example.org>").cert(100, {key_flags(0x01)});
    b.subkey("dsa2048-sha256.pgp", 10).sig(SigType::SubkeyBinding, 100, {key_flags(0x0F)});
    b.subkey("rsa2048-sha1.pgp", 20).sig(SigType::SubkeyBinding, 100);
    b.derive();
    EXPECT_EQ(usage_letters(b.comp(1).usage), "sc");   // DSA: no encryption
    EXPECT_EQ(usage_letters(b.comp(2).usage), "esca");  // no key flags: RSA's default
    EXPECT_EQ(b.field12(), "cESCA");
}

TEST(SubkeyExpiry, SubkeysOfAnExpiredPrimaryAreExpiredAndKeepTheirOwnExpiry) {
    Builder b;
    b.uid("A <a@example.org>").cert(100, {key_expiry(10 * day)});
    b.subkey("rsa2048-sha1.pgp", 10).sig(SigType::SubkeyBinding, 100, {key_flags(0x0C), key_expiry(50 * day)});
    b.derive();
    EXPECT_EQ(b.rep().primary.validity.state, ValidityState::Expired);
    EXPECT_EQ(b.comp(1).validity.state, ValidityState::Expired);
    EXPECT_EQ(b.comp(1).validity.expires, b.t0() + 10 + 50 * day);
}

}  // namespace
}  // namespace pgpkit::cert
