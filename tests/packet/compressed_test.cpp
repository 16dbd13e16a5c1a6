// Compressed Data containers (RFC 9580 section 5.6) and the limits that bound them.

#include <bzlib.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "packet/parser.h"
#include "tests/support/env.h"

namespace pgpkit::packet {
namespace {

Bytes literal_packet(const std::string& text) {
    Bytes body{'b', 4, 'f', 'i', 'l', 'e', 0, 0, 0, 0};
    body.insert(body.end(), text.begin(), text.end());
    Bytes out;
    write_canonical_header(Tag::Literal, body.size(), out);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

Bytes deflate_bytes(const Bytes& in, bool raw) {
    z_stream z{};
    EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, raw ? -15 : 15, 9, Z_DEFAULT_STRATEGY), Z_OK);
    Bytes out(deflateBound(&z, static_cast<uLong>(in.size())) + 64);
    z.next_in = const_cast<Bytef*>(in.data());
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

Bytes bzip2_bytes(const Bytes& in) {
    unsigned int len = static_cast<unsigned int>(in.size() + in.size() / 100 + 700);
    Bytes out(len);
    EXPECT_EQ(BZ2_bzBuffToBuffCompress(reinterpret_cast<char*>(out.data()), &len,
                                       const_cast<char*>(reinterpret_cast<const char*>(in.data())),
                                       static_cast<unsigned int>(in.size()), 9, 0, 0),
              BZ_OK);
    out.resize(len);
    return out;
}

Bytes compressed_packet(CompressionAlgo algo, const Bytes& payload) {
    Bytes body{static_cast<std::uint8_t>(algo)};
    body.insert(body.end(), payload.begin(), payload.end());
    Bytes out;
    write_canonical_header(Tag::CompressedData, body.size(), out);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

Bytes compress(CompressionAlgo algo, const Bytes& inner) {
    switch (algo) {
    case CompressionAlgo::Zip: return compressed_packet(algo, deflate_bytes(inner, true));
    case CompressionAlgo::Zlib: return compressed_packet(algo, deflate_bytes(inner, false));
    case CompressionAlgo::Bzip2: return compressed_packet(algo, bzip2_bytes(inner));
    default: return compressed_packet(CompressionAlgo::Uncompressed, inner);
    }
}

TEST(Compressed, EachAlgorithmIsDescendedAndRoundTrips) {
    Bytes inner = literal_packet("hello, compressed world");
    for (CompressionAlgo algo : {CompressionAlgo::Uncompressed, CompressionAlgo::Zip, CompressionAlgo::Zlib,
                                 CompressionAlgo::Bzip2}) {
        Bytes in = compress(algo, inner);
        auto packets = parse_lossless(in);
        ASSERT_EQ(packets.size(), 1u) << "algo " << static_cast<int>(algo);
        const Compressed* c = packets[0].get<Compressed>();
        ASSERT_TRUE(c);
        EXPECT_EQ(c->algo, algo);
        ASSERT_EQ(packets[0].children.size(), 1u) << "algo " << static_cast<int>(algo);
        const Literal* l = packets[0].children[0].get<Literal>();
        ASSERT_TRUE(l);
        EXPECT_EQ(std::string(l->payload.data.begin(), l->payload.data.end()), "hello, compressed world");
        EXPECT_EQ(packets[0].children[0].depth, 1u);
        EXPECT_EQ(write_packets(packets), in);
    }
}

TEST(Compressed, StreamingParserEmitsContainerThenChildrenThenEnd) {
    Bytes in = compress(CompressionAlgo::Zlib, literal_packet("x"));
    MemorySource src(in);
    PacketParser parser(src, {});
    auto c = parser.next();
    ASSERT_TRUE(c && c->get<Compressed>());
    EXPECT_EQ(parser.depth(), 1u);
    auto l = parser.next();
    ASSERT_TRUE(l && l->get<Literal>());
    EXPECT_EQ(l->index, 1u);
    auto end = parser.next();
    ASSERT_TRUE(end && end->get<EndOfContainer>());
    EXPECT_EQ(end->get<EndOfContainer>()->container_index, 0u);
    EXPECT_FALSE(parser.next());
}

TEST(Compressed, UnknownAlgorithmIsAFindingAndKeptOpaque) {
    Bytes in = compressed_packet(static_cast<CompressionAlgo>(77), {1, 2, 3});
    auto packets = parse_lossless(in);
    ASSERT_EQ(packets.size(), 1u);
    EXPECT_TRUE(packets[0].children.empty());
    ASSERT_FALSE(packets[0].findings.empty());
    EXPECT_EQ(packets[0].findings[0].name, "unknown-compression-algorithm");
    EXPECT_EQ(write_packets(packets), in);
}

TEST(Compressed, CorruptDeflateDataNamesTheLibraryCall) {
    Bytes in = compressed_packet(CompressionAlgo::Zip, {0xFF, 0xFF, 0xFF, 0xFF});
    try {
        (void)parse_all(in);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Decompression);
        EXPECT_NE(std::string(e.what()).find("inflate: Z_DATA_ERROR"), std::string::npos) << e.what();
    }
}

TEST(Compressed, TruncatedStreamIsAnError) {
    Bytes z = deflate_bytes(literal_packet(std::string(1000, 'a')), false);
    z.resize(z.size() / 2);
    EXPECT_THROW((void)parse_all(compressed_packet(CompressionAlgo::Zlib, z)), Error);
}

TEST(Regression, SmallReadsSeeTheWholeStreamAfterTheInputIsUsedUp) {
    // Found by fuzz_decompress: once every compressed octet was handed to zlib, a read whose
    // buffer inflate had just filled left the last output and the end marker inside zlib,
    // and the next read reported a truncated stream. Octet 0 of the finding is the
    // fuzzer's selector (raw deflate); the rest is the stream.
    const std::string finding = "/fuzz/fuzz_decompress/zip-last-output-at-end-of-input";
    Bytes in = test::read_bytes(test::test_data_dir() + finding);
    ASSERT_GT(in.size(), 1u);
    const ByteView z = ByteView(in).subspan(1);
    Bytes whole;
    for (std::size_t piece : {65536, 7, 1}) {
        MemorySource src(z);
        auto d = make_decompressor(CompressionAlgo::Zip, src, {});
        Bytes got, buf(piece);
        while (std::size_t k = d->read(buf))
            got.insert(got.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(k));
        if (whole.empty()) whole = got;
        EXPECT_EQ(got, whole) << "piece " << piece;
    }
    EXPECT_EQ(whole.size(), 85u);
}

TEST(Limits, NestingDeeperThanSixteenStops) {
    Bytes in = literal_packet("deep");
    for (int i = 0; i < 17; ++i) in = compress(CompressionAlgo::Uncompressed, in);
    try {
        (void)parse_all(in);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::LimitExceeded);
        EXPECT_EQ(e.packet_index(), 16u);
        EXPECT_NE(std::string(e.what()).find("--max-depth"), std::string::npos);
    }
    Bytes ok = literal_packet("deep");
    for (int i = 0; i < 16; ++i) ok = compress(CompressionAlgo::Zlib, ok);
    EXPECT_NO_THROW((void)parse_all(ok));
}

TEST(Limits, HundredTwentyEightDeepNestingStopsEarly) {
    Bytes in = literal_packet("deep");
    for (int i = 0; i < 128; ++i) in = compress(CompressionAlgo::Zlib, in);
    try {
        (void)parse_all(in);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::LimitExceeded);
    }
}

/** A ZLIB packet that inflates `mib` MiB of zeros, streamed through deflate. */
Bytes zero_bomb(std::size_t mib) {
    z_stream z{};
    deflateInit(&z, 9);
    Bytes zeros(1 << 20, 0), out, buf(1 << 16);
    for (std::size_t i = 0; i < mib; ++i) {
        z.next_in = zeros.data();
        z.avail_in = static_cast<uInt>(zeros.size());
        int flush = i + 1 == mib ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = buf.data();
            z.avail_out = static_cast<uInt>(buf.size());
            deflate(&z, flush);
            out.insert(out.end(), buf.begin(), buf.end() - z.avail_out);
        } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    return compressed_packet(CompressionAlgo::Zlib, out);
}

TEST(Limits, CompressionBombStopsWithAClearError) {
    // 64 MiB of zeros inflate from about 64 KiB: ratio ~1000 beyond the 16 MiB floor.
    Bytes bomb = zero_bomb(64);
    ParseOptions opt;
    opt.limits.decompression.max_ratio = 100;
    MemorySource src(bomb);
    PacketParser parser(src, opt);
    try {
        while (parser.next()) {
        }
        FAIL() << "the bomb was not stopped";
    } catch (const Error& e) {
        // The inner "packet" is a run of zeros: either the ratio trips or the garbage CTB.
        EXPECT_TRUE(e.kind() == Errc::LimitExceeded || e.kind() == Errc::BadHeader) << e.what();
    }
}

TEST(Limits, DecompressedOutputCapIsEnforced) {
    // A literal of 2 MiB of zeros inside ZLIB, with a 1 MiB cap.
    Bytes lit{0xCB, 0xFF, 0x00, 0x20, 0x00, 0x00, 'b', 0, 0, 0, 0, 0};
    lit.resize(lit.size() + (2u << 20) - 6, 0);
    ParseOptions opt;
    opt.limits.decompression.max_output = 1u << 20;
    try {
        (void)parse_all(compress(CompressionAlgo::Zlib, lit), opt);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::LimitExceeded);
        EXPECT_NE(std::string(e.what()).find("--max-decompressed"), std::string::npos) << e.what();
    }
    EXPECT_NO_THROW((void)parse_all(compress(CompressionAlgo::Zlib, lit)));
}

TEST(Limits, RatioLimitStopsALiteralBomb) {
    // 64 MiB literal of zeros: legitimate framing, but the ratio is far above 1000.
    Bytes lit{0xCB, 0xFF, 0x04, 0x00, 0x00, 0x00, 'b', 0, 0, 0, 0, 0};
    lit.resize(lit.size() + (64u << 20) - 6, 0);
    try {
        (void)parse_all(compress(CompressionAlgo::Bzip2, lit));
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::LimitExceeded) << e.what();
        EXPECT_NE(std::string(e.what()).find("--max-ratio"), std::string::npos) << e.what();
    }
}

/** A literal data packet of `n` zeros (five-octet length). */
Bytes zero_literal(std::size_t n) {
    Bytes lit(12 + n, 0);
    const std::uint32_t len = static_cast<std::uint32_t>(n + 6);
    lit[0] = 0xCB;
    lit[1] = 0xFF;
    for (int i = 0; i < 4; ++i) lit[2 + i] = static_cast<std::uint8_t>(len >> (24 - 8 * i));
    lit[6] = 'b';
    return lit;
}

TEST(Limits, NestedContainersAreMeasuredAgainstTheOutermostInput) {
    // Each level stays under the ratio on its own (inner ~1:1000, outer ~1:4), but
    // together they expand about 1:3000: a chain of such levels must not multiply.
    ParseOptions opt;
    opt.limits.decompression.ratio_floor = 1u << 20;
    opt.limits.decompression.max_ratio = 1500;
    const Bytes inner = compress(CompressionAlgo::Zlib, zero_literal(4u << 20));
    EXPECT_NO_THROW((void)parse_all(inner, opt));
    const Bytes chain = compress(CompressionAlgo::Zlib, inner);
    for (bool keep : {false, true}) {
        opt.keep_data = keep;
        try {
            (void)parse_all(chain, opt);
            FAIL() << "the chain was not stopped (keep_data " << keep << ")";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), Errc::LimitExceeded) << e.what();
            EXPECT_NE(std::string(e.what()).find("octets of the outermost compressed data"), std::string::npos)
                << e.what();
            // The inner container (packet 1) failed, not the literal that was reading it.
            EXPECT_EQ(e.packet_index(), 1u) << e.what();
            EXPECT_EQ(e.tag(), 8u) << e.what();
        }
    }
}

TEST(Limits, BombErrorOffsetIsWhereTheCompressedInputWas) {
    // After a 5-octet user ID, the offset counts from the file start, not the body.
    ParseOptions opt;
    opt.limits.decompression.ratio_floor = 1u << 20;
    Bytes in{0xCD, 0x03, 'a', 'b', 'c'};
    const Bytes bomb = compress(CompressionAlgo::Zlib, zero_literal(4u << 20));
    in.insert(in.end(), bomb.begin(), bomb.end());
    try {
        (void)parse_all(in, opt);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::LimitExceeded) << e.what();
        EXPECT_GT(e.offset(), 5u + 3u) << e.what();  // past the user ID and the container header
        EXPECT_LE(e.offset(), in.size()) << e.what();
        EXPECT_EQ(e.packet_index(), 1u) << e.what();
        // Only what the inflater consumed counts: about 1 KiB per MiB of zeros.
        EXPECT_NE(std::string(e.what()).find("ZLIB expands "), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace pgpkit::packet
