// Partial body lengths at scale (issue 5): a million one-octet chunks are legal framing
// and must stream through in one pass and write back byte for byte.

#include <gtest/gtest.h>

#include "packet/parser.h"

namespace pgpkit::packet {
namespace {

/** A literal data packet whose body is `n` one-octet partial chunks and a final octet. */
Bytes tiny_chunk_literal(std::size_t n) {
    const Bytes fields{'b', 0, 0, 0, 0, 0};
    Bytes out{0xCB};
    out.reserve(2 * n + 3);
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(0xE0);  // partial chunk of 2^0 octets
        out.push_back(i < fields.size() ? fields[i] : 'x');
    }
    out.push_back(0x01);  // final chunk: one octet
    out.push_back('x');
    return out;
}

TEST(PartialChunks, AMillionOneOctetChunksStreamThroughAsAFinding) {
    const Bytes in = tiny_chunk_literal(1000000);
    MemorySource src(in);
    PacketParser parser(src, {});
    auto p = parser.next();
    ASSERT_TRUE(p);
    const Literal* l = p->get<Literal>();
    ASSERT_TRUE(l);
    EXPECT_EQ(l->payload.length, 1000001u - 6u);
    // Streaming lists the first 4095 chunk sizes and the last; the rest are counted, so
    // memory stays flat however many chunks come.
    EXPECT_EQ(p->header.chunk_count(), 1000001u);
    ASSERT_EQ(p->header.chunks.size(), ParseOptions{}.limits.max_recorded_chunks);
    EXPECT_EQ(p->header.chunks_omitted, 1000001u - 4096u);
    EXPECT_EQ(p->header.chunks.back(), (Chunk{1, LengthForm::OneOctet}));
    EXPECT_EQ(p->header.length, 1000001u);
    ASSERT_EQ(p->findings.size(), 1u);
    EXPECT_EQ(p->findings[0].name, "short-first-partial-chunk");
    EXPECT_FALSE(parser.next());
    EXPECT_FALSE(parser.first_malformed());
}

TEST(PartialChunks, WritingBackAnUnrecordedChunkListIsRefused) {
    const Bytes in = tiny_chunk_literal(5000);
    auto tree = parse_all(in);  // streaming options: not every chunk is listed
    ASSERT_EQ(tree.size(), 1u);
    ASSERT_GT(tree[0].header.chunks_omitted, 0u);
    try {
        (void)write_packets(tree);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Usage) << e.what();
    }
}

TEST(PartialChunks, TinyChunksWriteBackByteForByte) {
    // 100,000 rather than a million: the round trip keeps the payload, slow under ASan.
    const Bytes in = tiny_chunk_literal(100000);
    EXPECT_EQ(write_packets(parse_lossless(in)), in);
}

TEST(PartialChunks, StrictRejectsTheShortFirstChunkAtOffsetZero) {
    ParseOptions strict;
    strict.strict = true;
    try {
        (void)parse_all(tiny_chunk_literal(1000), strict);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Strict) << e.what();
        EXPECT_EQ(e.offset(), 0u);
        EXPECT_EQ(e.packet_index(), 0u);
    }
}

TEST(PartialChunks, AChunkStreamCutShortIsTruncated) {
    Bytes in = tiny_chunk_literal(1000);
    in.resize(in.size() - 2);  // drop the final chunk
    try {
        (void)parse_all(in);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Truncated) << e.what();
        EXPECT_EQ(e.offset(), in.size()) << e.what();
        EXPECT_EQ(e.packet_index(), 0u);
    }
}

}  // namespace
}  // namespace pgpkit::packet
