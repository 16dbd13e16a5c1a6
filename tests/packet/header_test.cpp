// Length forms of packet headers (RFC 9580 section 4.2): every boundary round-trips.

#include <gtest/gtest.h>

#include <vector>

#include "packet/body_stream.h"
#include "packet/header.h"
#include "packet/parser.h"

namespace pgpkit::packet {
namespace {

Header decode(const Bytes& b) {
    MemorySource src(b);
    auto h = read_header(src, false);
    EXPECT_TRUE(h.has_value());
    return *h;
}

/** A new-format packet of tag 63 (private) with a body of n octets. */
Bytes new_packet(Tag tag, std::size_t n) {
    Bytes out;
    write_canonical_header(tag, n, out);
    for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<std::uint8_t>(i * 7));
    return out;
}

TEST(BodyLength, OneOctetFormTopsOutAt191) {
    Bytes b;
    write_canonical_header(Tag::Literal, 191, b);
    ASSERT_EQ(b.size(), 2u);
    EXPECT_EQ(b[1], 191);
    Header h = decode(b);
    EXPECT_EQ(h.form, LengthForm::OneOctet);
    EXPECT_EQ(h.length, 191u);
}

TEST(BodyLength, TwoOctetFormStartsAt192) {
    Bytes b;
    write_canonical_header(Tag::Literal, 192, b);
    ASSERT_EQ(b, (Bytes{0xCB, 0xC0, 0x00}));
    Header h = decode(b);
    EXPECT_EQ(h.form, LengthForm::TwoOctet);
    EXPECT_EQ(h.length, 192u);
}

TEST(BodyLength, TwoOctetFormTopsOutAt8383) {
    Bytes b;
    write_canonical_header(Tag::Literal, 8383, b);
    ASSERT_EQ(b, (Bytes{0xCB, 0xDF, 0xFF}));
    EXPECT_EQ(decode(b).length, 8383u);
}

TEST(BodyLength, FiveOctetFormStartsAt8384) {
    Bytes b;
    write_canonical_header(Tag::Literal, 8384, b);
    ASSERT_EQ(b, (Bytes{0xCB, 0xFF, 0x00, 0x00, 0x20, 0xC0}));
    Header h = decode(b);
    EXPECT_EQ(h.form, LengthForm::FiveOctet);
    EXPECT_EQ(h.length, 8384u);
}

TEST(BodyLength, FiveOctetFormCarriesTwoToThe32MinusOne) {
    Bytes b;
    write_canonical_header(Tag::Literal, 0xFFFFFFFFu, b);
    ASSERT_EQ(b, (Bytes{0xCB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}));
    Header h = decode(b);
    EXPECT_EQ(h.length, 0xFFFFFFFFu);
    Bytes again;
    write_header(h, again);
    EXPECT_EQ(again, b);
}

TEST(BodyLength, OldFormatLengthTypes) {
    struct Case {
        Bytes bytes;
        LengthForm form;
        std::uint64_t length;
    };
    std::vector<Case> cases = {
        {{0x88, 0x05}, LengthForm::OneOctet, 5},
        {{0x89, 0x01, 0x00}, LengthForm::TwoOctet, 256},
        {{0x8A, 0x00, 0x01, 0x00, 0x00}, LengthForm::FourOctet, 65536},
        {{0x8A, 0xFF, 0xFF, 0xFF, 0xFF}, LengthForm::FourOctet, 0xFFFFFFFFu},
        {{0x8B}, LengthForm::Indeterminate, 0},
    };
    for (const Case& c : cases) {
        Header h = decode(c.bytes);
        EXPECT_EQ(h.format, CtbFormat::Old);
        EXPECT_EQ(h.tag, Tag::Signature);
        EXPECT_EQ(h.form, c.form);
        if (c.form != LengthForm::Indeterminate) {
            EXPECT_EQ(h.length, c.length);
        }
        Bytes again;
        write_header(h, again);
        EXPECT_EQ(again, c.bytes);
    }
}

TEST(BodyLength, PartialOctetsCoverTwoToTheZeroThroughThirty) {
    for (unsigned p = 0; p <= 30; ++p) {
        Bytes b{0xCB, static_cast<std::uint8_t>(224 + p)};
        Header h = decode(b);
        ASSERT_EQ(h.form, LengthForm::Partial);
        ASSERT_EQ(h.chunks.size(), 1u);
        EXPECT_EQ(h.chunks[0].size, std::uint32_t{1} << p);
        Bytes again;
        write_header(h, again);
        EXPECT_EQ(again, b) << "partial 2^" << p;
    }
}

TEST(BodyLength, NewFormatBodiesRoundTripAtEveryBoundary) {
    for (std::size_t n : {0u, 1u, 191u, 192u, 193u, 8383u, 8384u, 8385u, 70000u}) {
        Bytes in = new_packet(static_cast<Tag>(63), n);
        auto packets = parse_lossless(in);
        ASSERT_EQ(packets.size(), 1u);
        EXPECT_EQ(packets[0].header.length, n);
        EXPECT_EQ(write_packets(packets), in) << "body of " << n << " octets";
    }
}

/** A literal packet split into the given partial chunks (powers of two) and a final part. */
Bytes partial_literal(const std::vector<unsigned>& powers, std::size_t final_len) {
    Bytes body{'b', 0, 0, 0, 0, 0};
    std::size_t total = final_len;
    for (unsigned p : powers) total += std::size_t{1} << p;
    while (body.size() < total) body.push_back(static_cast<std::uint8_t>(body.size()));
    body.resize(total);
    Bytes out{0xCB};
    std::size_t pos = 0;
    for (unsigned p : powers) {
        out.push_back(static_cast<std::uint8_t>(224 + p));
        out.insert(out.end(), body.begin() + static_cast<std::ptrdiff_t>(pos),
                   body.begin() + static_cast<std::ptrdiff_t>(pos + (std::size_t{1} << p)));
        pos += std::size_t{1} << p;
    }
    write_new_length(static_cast<std::uint32_t>(final_len),
                     final_len < 192 ? LengthForm::OneOctet : final_len < 8384 ? LengthForm::TwoOctet
                                                                               : LengthForm::FiveOctet,
                     out);
    out.insert(out.end(), body.begin() + static_cast<std::ptrdiff_t>(pos), body.end());
    return out;
}

TEST(PartialBody, ChunksFromOneOctetToOneMebibyteRoundTrip) {
    for (unsigned p = 0; p <= 20; ++p) {
        // The literal header needs 6 octets, so tiny first chunks carry it across chunks.
        Bytes in = partial_literal({p, p, 3}, 17);
        auto packets = parse_lossless(in);
        ASSERT_EQ(packets.size(), 1u) << "2^" << p;
        const Header& h = packets[0].header;
        ASSERT_EQ(h.form, LengthForm::Partial);
        ASSERT_EQ(h.chunks.size(), 4u);
        EXPECT_EQ(h.chunks[0].size, std::uint32_t{1} << p);
        EXPECT_EQ(h.chunks[3].size, 17u);
        EXPECT_EQ(h.length, (std::uint64_t{2} << p) + 8 + 17);
        EXPECT_EQ(write_packets(packets), in) << "chunks of 2^" << p;
    }
}

TEST(PartialBody, TwoToTheThirtyChunkHeaderIsDecoded) {
    // The body itself is not materialized: a declared 2^30 chunk in a short input is truncated.
    Bytes in{0xCB, 224 + 30, 'b', 0, 0, 0, 0, 0};
    MemorySource src(in);
    PacketParser parser(src, {});
    try {
        (void)parser.next();
        FAIL() << "expected a truncation error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Truncated);
        EXPECT_EQ(e.packet_index(), 0u);
    }
}

TEST(PartialBody, FinalChunkOfZeroOctetsRoundTrips) {
    Bytes in = partial_literal({9}, 0);
    auto packets = parse_lossless(in);
    ASSERT_EQ(packets.size(), 1u);
    EXPECT_EQ(packets[0].header.chunks.back().size, 0u);
    EXPECT_EQ(write_packets(packets), in);
}

TEST(PartialBody, ShortFirstChunkIsAFinding) {
    Bytes in = partial_literal({8}, 10);
    auto packets = parse_all(in);
    ASSERT_EQ(packets.size(), 1u);
    ASSERT_FALSE(packets[0].findings.empty());
    EXPECT_EQ(packets[0].findings[0].name, "short-first-partial-chunk");
    ParseOptions strict;
    strict.strict = true;
    try {
        (void)parse_all(in, strict);
        FAIL() << "--strict must reject a short first chunk";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Strict);
        EXPECT_NE(std::string(e.what()).find("short-first-partial-chunk"), std::string::npos);
    }
}

TEST(PartialBody, PartialLengthOnUserIdIsAFinding) {
    Bytes in{0xCD, 0xE9};  // user ID, partial chunk of 512
    for (int i = 0; i < 512; ++i) in.push_back('a');
    in.push_back(1);
    in.push_back('z');
    auto packets = parse_lossless(in);
    ASSERT_EQ(packets.size(), 1u);
    bool found = false;
    for (const auto& f : packets[0].findings) found |= f.name == "partial-length-on-non-data-packet";
    EXPECT_TRUE(found);
    ASSERT_TRUE(packets[0].get<UserId>());
    EXPECT_EQ(packets[0].get<UserId>()->data.size(), 513u);
    EXPECT_EQ(write_packets(packets), in);
}

TEST(BodyLength, NonMinimalLengthIsAFindingAndRoundTrips) {
    Bytes in{0xCD, 0xFF, 0, 0, 0, 3, 'a', 'b', 'c'};  // five-octet form for 3 octets
    auto packets = parse_lossless(in);
    ASSERT_EQ(packets.size(), 1u);
    ASSERT_EQ(packets[0].findings.size(), 1u);
    EXPECT_EQ(packets[0].findings[0].name, "non-minimal-length");
    EXPECT_EQ(write_packets(packets), in);
    Bytes canonical = write_packets_canonical(packets);
    EXPECT_EQ(canonical, (Bytes{0xCD, 3, 'a', 'b', 'c'}));
}

TEST(OldFormat, IndeterminateLengthRunsToTheEndOfTheInput) {
    Bytes in{0xAF, 'b', 0, 0, 0, 0, 0, 'h', 'i'};  // old literal (tag 11), length type 3
    auto packets = parse_lossless(in);
    ASSERT_EQ(packets.size(), 1u);
    EXPECT_EQ(packets[0].header.form, LengthForm::Indeterminate);
    EXPECT_EQ(packets[0].header.length, 8u);
    ASSERT_TRUE(packets[0].get<Literal>());
    EXPECT_EQ(packets[0].get<Literal>()->payload.data, (Bytes{'h', 'i'}));
    EXPECT_EQ(write_packets(packets), in);
}

TEST(GnupgChunked, ReadOnlyWhenAsked) {
    // Old literal, length type 3, chunks of 3 and 4 octets, then the zero terminator.
    Bytes in{0xAF, 0x00, 0x03, 'b', 0, 0, 0x00, 0x04, 0, 0, 0, 'x', 0x00, 0x00};
    ParseOptions chunked;
    chunked.gnupg_chunked = true;
    auto packets = parse_lossless(in, chunked);
    ASSERT_EQ(packets.size(), 1u);
    const Header& h = packets[0].header;
    EXPECT_EQ(h.form, LengthForm::GnupgChunked);
    ASSERT_EQ(h.chunks.size(), 3u);
    EXPECT_EQ(h.chunks[0].size, 3u);
    EXPECT_EQ(h.chunks[1].size, 4u);
    EXPECT_EQ(h.chunks[2].size, 0u);
    ASSERT_TRUE(packets[0].get<Literal>());
    EXPECT_EQ(packets[0].get<Literal>()->payload.data, (Bytes{'x'}));
    EXPECT_EQ(write_packets(packets), in);

    // Without the option the same bytes are one indeterminate literal.
    auto plain = parse_lossless(in);
    ASSERT_EQ(plain.size(), 1u);
    EXPECT_EQ(plain[0].header.form, LengthForm::Indeterminate);
    EXPECT_EQ(write_packets(plain), in);
}

TEST(GnupgChunked, MissingTerminatorIsTruncation) {
    Bytes in{0xAF, 0x00, 0x06, 'b', 0, 0, 0, 0, 0};
    ParseOptions chunked;
    chunked.gnupg_chunked = true;
    try {
        (void)parse_all(in, chunked);
        FAIL() << "expected truncation";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Truncated);
        EXPECT_EQ(e.offset(), 9u);
    }
}

}  // namespace
}  // namespace pgpkit::packet
