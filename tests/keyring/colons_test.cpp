// Colon records: the order gpg lists components in, and the rev record's reason text.

#include <algorithm>

#include <gtest/gtest.h>

#include "cert/cert.h"
#include "cert/validity.h"
#include "keyring/colons.h"
#include "packet/names.h"
#include "tests/support/env.h"

namespace pgpkit::keyring {
namespace {

using cert::ComponentKind;

/**
 * Components of the given kinds; `primary` marks the primary user ID (index), -1 for none;
 * `flagged` the attributes whose self-signature carries the primary flag.
 */
struct Shape {
    std::vector<cert::Component> comps;
    cert::CertReport rep;

    Shape(const std::vector<ComponentKind>& kinds, int primary, const std::vector<std::size_t>& flagged = {}) {
        comps.resize(kinds.size());
        for (std::size_t i = 0; i < kinds.size(); ++i) comps[i].kind = kinds[i];
        for (std::size_t i = 0; i < kinds.size(); ++i) {
            cert::ComponentReport r;
            r.component = &comps[i];
            r.primary_uid = static_cast<int>(i) == primary;
            r.primary_flag = r.primary_uid || std::find(flagged.begin(), flagged.end(), i) != flagged.end();
            rep.components.push_back(r);
        }
    }
};

constexpr auto U = ComponentKind::UserId;
constexpr auto A = ComponentKind::UserAttribute;
constexpr auto S = ComponentKind::Subkey;

using Order = std::vector<std::size_t>;

TEST(ListingOrder, PrimaryUserIdMovesBeforeTheFirstUserId) {
    EXPECT_EQ(listing_order(Shape({U, U, U, S}, 2).rep), (Order{2, 0, 1, 3}));
}

// Debian's key CC79D80A5BB7FC51 (debian-maintainers.gpg): gpg 2.2.40 lists the primary
// user ID, then the first user ID, then the attribute that followed the primary.
TEST(ListingOrder, ThePrimaryUserIdMovesAlone) {
    EXPECT_EQ(listing_order(Shape({U, U, A, S}, 1).rep), (Order{1, 0, 2, 3}));
    EXPECT_EQ(listing_order(Shape({U, U, A, A, U, S}, 1).rep), (Order{1, 0, 2, 3, 4, 5}));
}

TEST(ListingOrder, AnAttributeCountsAsTheFirstUserId) {
    EXPECT_EQ(listing_order(Shape({A, U, U, S}, 2).rep), (Order{2, 0, 1, 3}));
}

// Debian's key 90A0EF1B8251A889 (debian-maintainers.gpg): user IDs A (primary) and B, then
// attributes P (flagged primary) and Q; gpg 2.2.40 lists A, P, B, Q.
TEST(ListingOrder, TheFlaggedAttributeMovesFirstThenThePrimaryUserId) {
    EXPECT_EQ(listing_order(Shape({U, U, A, A, S}, 0, {2}).rep), (Order{0, 2, 1, 3, 4}));
    EXPECT_EQ(listing_order(Shape({U, U, A, A}, 1, {2, 3}).rep), (Order{1, 2, 0, 3}));
}

TEST(ListingOrder, InputOrderWhenThePrimaryIsFirstOrMissing) {
    EXPECT_EQ(listing_order(Shape({U, A, U, S}, 0).rep), (Order{0, 1, 2, 3}));
    EXPECT_EQ(listing_order(Shape({U, U, S}, -1).rep), (Order{0, 1, 2}));
    EXPECT_EQ(listing_order(Shape({}, -1).rep), Order{});
}

template <class T>
packet::Packet packet_of(packet::Tag tag, T body) {
    packet::Packet p;
    p.header.tag = static_cast<decltype(p.header.tag)>(tag);
    p.body = std::move(body);
    return p;
}

packet::Packet signature(const packet::Key& key, packet::SigType type, std::vector<packet::Subpacket> extra) {
    packet::Signature s;
    s.sig_type = static_cast<decltype(s.sig_type)>(type);
    s.pk_algo = key.algo;
    s.hash_algo = static_cast<decltype(s.hash_algo)>(packet::HashAlgo::Sha256);
    packet::Subpacket created;
    created.type_octet = static_cast<std::uint8_t>(packet::SubpacketType::SignatureCreationTime);
    const std::uint32_t t = key.created + 100;
    created.body = {static_cast<std::uint8_t>(t >> 24), static_cast<std::uint8_t>(t >> 16),
                    static_cast<std::uint8_t>(t >> 8), static_cast<std::uint8_t>(t)};
    s.hashed.push_back(created);
    for (auto& p : extra) s.hashed.push_back(std::move(p));
    return packet_of(packet::Tag::Signature, std::move(s));
}

TEST(RevRecord, ReasonTextIsField21Escaped) {
    const auto certs = cert::read_all_certs(test::read_bytes(test::test_data_dir() + "/cert/rsa2048-sha512.pgp"));
    const packet::Key key = certs.at(0).key();
    packet::Subpacket reason;
    reason.type_octet = static_cast<std::uint8_t>(packet::SubpacketType::ReasonForRevocation);
    const std::string text = "moved: see https://example.org";
    reason.body = {0x20};
    reason.body.insert(reason.body.end(), text.begin(), text.end());
    std::vector<packet::Packet> packets{packet_of(packet::Tag::PublicKey, key)};
    packets.push_back(packet_of(packet::Tag::UserId, packet::UserId{Bytes{'a', '@', 'b'}}));
    packets.push_back(signature(key, packet::SigType::PositiveCert, {}));
    packets.push_back(signature(key, packet::SigType::CertRevocation, {reason}));
    packets.push_back(packet_of(packet::Tag::UserId, packet::UserId{Bytes{'a', '@', 'a'}}));
    packets.push_back(signature(key, packet::SigType::CertRevocation, {}));
    // Both user IDs are revoked, so the primary is the one that sorts last ("a@b"), listed first.
    const cert::Cert c = cert::assemble(packets);
    cert::CertReport rep;
    rep.primary.component = &c.primary;
    for (const auto& comp : c.components) {
        cert::ComponentReport r;
        r.component = &comp;
        for (std::size_t i = 0; i < comp.signatures().size(); ++i) {
            cert::SigCheck s;
            s.crypto = cert::Verdict::Good;
            s.self = true;
            r.sigs.push_back(s);
        }
        rep.components.push_back(r);
    }
    cert::derive_validity(c, rep, key.created + 1000);
    ColonOptions opt;
    opt.with_sig_list = true;
    std::vector<ColonRecord> revs;
    for (const auto& r : colon_records(c, rep, opt, IssuerNames{}))
        if (r.type() == "rev") revs.push_back(r);
    ASSERT_EQ(revs.size(), 2u);
    EXPECT_EQ(revs[0].field(11), "30x,20");
    EXPECT_EQ(revs[0].field(21), "moved\\x3a see https\\x3a//example.org");
    EXPECT_EQ(revs[0].fields.size(), 22u);  // the trailing colon
    EXPECT_EQ(revs[1].field(11), "30x");
    EXPECT_EQ(revs[1].fields.size(), 17u);  // no reason text: the record ends at field 16
}

}  // namespace
}  // namespace pgpkit::keyring
