// Bad input gets a typed error with kind, offset and packet index; never a crash.

#include <gtest/gtest.h>

#include <string>

#include "packet/parser.h"

namespace pgpkit::packet {
namespace {

struct Expected {
    Errc kind;
    std::uint64_t offset;
    std::size_t index;
};

/** Framing errors always throw; body errors throw in strict mode (see RecoversFromMalformedBodies). */
void expect_error(const Bytes& in, Expected want, const std::string& fragment = {}) {
    ParseOptions strict;
    strict.strict = true;
    try {
        auto packets = parse_all(in, strict);
        FAIL() << "parsed " << packets.size() << " packets without error";
    } catch (const Error& e) {
        EXPECT_EQ(errc_name(e.kind()), std::string(errc_name(want.kind))) << e.what();
        EXPECT_EQ(e.offset(), want.offset) << e.what();
        ASSERT_TRUE(e.packet_index().has_value()) << e.what();
        EXPECT_EQ(*e.packet_index(), want.index) << e.what();
        if (!fragment.empty()) {
            EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
        }
    }
}

const Bytes user_id{0xCD, 0x03, 'a', 'b', 'c'};

Bytes cat(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

TEST(ParseErrors, InvalidCtbNamesItsOffsetAndIndex) {
    expect_error(cat(user_id, {0x41, 0x00}), {Errc::BadHeader, 5, 1}, "invalid CTB 0x41");
}

TEST(ParseErrors, TruncatedTwoOctetLength) { expect_error(cat(user_id, {0xCD, 0xC5}), {Errc::Truncated, 6, 1}); }

TEST(ParseErrors, TruncatedFiveOctetLength) {
    expect_error(cat(user_id, {0xCD, 0xFF, 0x00, 0x00}), {Errc::Truncated, 6, 1});
}

TEST(ParseErrors, TruncatedOldFormatLength) { expect_error({0x89, 0x01}, {Errc::Truncated, 0, 0}); }

TEST(ParseErrors, BodyLengthPastTheEnd) {
    // A user ID declaring 10 octets with 3 present.
    expect_error({0xCD, 0x0A, 'a', 'b', 'c'}, {Errc::Truncated, 5, 0}, "truncated packet body");
}

TEST(ParseErrors, FourGigabyteDeclaredLengthInATinyFile) {
    Bytes in{0xC2, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x04};
    for (int i = 0; i < 93; ++i) in.push_back(0);
    expect_error(in, {Errc::LimitExceeded, 0, 0}, "max-packet-size");
}

TEST(ParseErrors, MpiClaimingMoreBitsThanThePacketHolds) {
    // v4 RSA public key whose n claims 65535 bits in a 20-octet body.
    Bytes body{4, 0, 0, 0, 0, 1, 0xFF, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    Bytes in{0xC6, static_cast<std::uint8_t>(body.size())};
    in.insert(in.end(), body.begin(), body.end());
    expect_error(in, {Errc::Truncated, 10, 0}, "MPI");
}

TEST(ParseErrors, SubpacketLengthPastItsArea) {
    // v4 signature, hashed area of 3 octets holding a subpacket that claims 9.
    Bytes body{4, 0x13, 1, 8, 0, 3, 9, 2, 0, 0, 0, 0, 0, 0, 0};
    Bytes in{0xC2, static_cast<std::uint8_t>(body.size())};
    in.insert(in.end(), body.begin(), body.end());
    expect_error(in, {Errc::BadLength, 8, 0}, "subpacket length 9");
}

TEST(ParseErrors, SubpacketAreaClaimingMoreThanItsPacket) {
    Bytes body{4, 0x13, 1, 8, 0xFF, 0xFF, 2, 2, 0};
    Bytes in{0xC2, static_cast<std::uint8_t>(body.size())};
    in.insert(in.end(), body.begin(), body.end());
    expect_error(in, {Errc::Truncated, 8, 0}, "hashed subpacket area");
}

TEST(ParseErrors, ZeroLengthSubpacket) {
    Bytes body{4, 0x13, 1, 8, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0};
    Bytes in{0xC2, static_cast<std::uint8_t>(body.size())};
    in.insert(in.end(), body.begin(), body.end());
    expect_error(in, {Errc::BadLength, 8, 0}, "length 0");
}

TEST(ParseErrors, ErrorInTheSecondPacketKeepsTheFirst) {
    Bytes in = cat(user_id, {0xCD, 0x09, 'x'});
    MemorySource src(in);
    PacketParser parser(src, {});
    auto first = parser.next();
    ASSERT_TRUE(first && first->get<UserId>());
    EXPECT_THROW((void)parser.next(), Error);
}

TEST(ParseErrors, MalformedBodyInAnIntactFrameIsKeptOpaqueAndParsingGoesOn) {
    // A signature whose subpacket overruns its area, followed by a good user ID.
    Bytes sig{4, 0x13, 1, 8, 0, 3, 9, 2, 0, 0, 0, 0, 0, 0, 0};
    Bytes in{0xC2, static_cast<std::uint8_t>(sig.size())};
    in.insert(in.end(), sig.begin(), sig.end());
    in = cat(in, user_id);
    MemorySource src(in);
    PacketParser parser(src, {});
    auto first = parser.next();
    ASSERT_TRUE(first);
    const Opaque* o = first->get<Opaque>();
    ASSERT_TRUE(o);
    EXPECT_NE(o->reason.find("malformed Signature packet"), std::string::npos) << o->reason;
    ASSERT_EQ(first->findings.size(), 1u);
    EXPECT_EQ(first->findings[0].name, "malformed-packet");
    EXPECT_EQ(first->findings[0].offset, 8u);
    auto second = parser.next();
    ASSERT_TRUE(second && second->get<UserId>());
    EXPECT_FALSE(parser.next());
    ASSERT_TRUE(parser.first_malformed());
    EXPECT_EQ(parser.first_malformed()->kind(), Errc::BadLength);
    EXPECT_EQ(parser.first_malformed()->packet_index(), 0u);
    EXPECT_EQ(parser.malformed_count(), 1u);
    // The opaque packet still writes back byte for byte.
    EXPECT_EQ(write_packets(parse_lossless(in)), in);
}

TEST(UnknownData, UnknownVersionIsKeptOpaque) {
    Bytes in{0xC2, 0x03, 0x09, 0xAA, 0xBB};  // signature version 9
    auto packets = parse_lossless(in);
    ASSERT_EQ(packets.size(), 1u);
    const Opaque* o = packets[0].get<Opaque>();
    ASSERT_TRUE(o);
    EXPECT_EQ(o->reason, "unknown signature version 9");
    EXPECT_EQ(write_packets(packets), in);
}

TEST(UnknownData, UnknownAndPrivateTagsAreKeptOpaque) {
    Bytes in{0xD7, 0x02, 1, 2, 0xFC, 0x01, 7};  // tag 23 and tag 60
    auto packets = parse_lossless(in);
    ASSERT_EQ(packets.size(), 2u);
    ASSERT_TRUE(packets[0].get<Opaque>());
    ASSERT_TRUE(packets[1].get<Opaque>());
    EXPECT_EQ(packets[1].get<Opaque>()->reason, "private or experimental tag");
    EXPECT_EQ(write_packets(packets), in);
}

TEST(UnknownData, UnknownPublicKeyAlgorithmKeepsItsFieldsOpaque) {
    Bytes in{0xC6, 0x09, 4, 0, 0, 0, 1, 99, 0xDE, 0xAD, 0x01};
    auto packets = parse_lossless(in);
    const Key* k = packets.at(0).get<Key>();
    ASSERT_TRUE(k);
    ASSERT_EQ(k->fields.size(), 1u);
    EXPECT_EQ(k->fields[0].kind, FieldKind::Rest);
    EXPECT_EQ(k->fields[0].data, (Bytes{0xDE, 0xAD, 0x01}));
    EXPECT_EQ(write_packets(packets), in);
}

}  // namespace
}  // namespace pgpkit::packet
