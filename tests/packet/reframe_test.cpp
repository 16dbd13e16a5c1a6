// pgpkit reframe's library part (packet/reframe.h): every body octet kept, the canonical
// form back from any framing, and the refusals naming the packet.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "armor/input.h"
#include "base/error.h"
#include "packet/parser.h"
#include "packet/reframe.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using namespace pgpkit::packet;

std::vector<Packet> packets_of(ByteView data, bool gnupg_chunked = false) {
    MemorySource src(data);
    ParseOptions po;
    po.gnupg_chunked = gnupg_chunked;
    return armor::read_top_level(src, po);
}

Bytes bytes(const SecretBytes& s) { return Bytes(s.begin(), s.end()); }

ReframeOptions with(std::optional<CtbFormat> ctb, const std::string& length) {
    ReframeOptions o;
    o.ctb = ctb;
    parse_length_spec(length, o);
    return o;
}

/** A literal data packet with a body of `n` octets. */
Bytes literal(std::size_t n) {
    Bytes body{'b', 0, 0, 0, 0, 0};
    for (std::size_t i = body.size(); i < n; ++i) body.push_back(static_cast<std::uint8_t>(i * 7));
    Bytes out;
    write_canonical_header(Tag::Literal, body.size(), out);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

TEST(Reframe, EveryExternalFileKeepsItsBodiesAndComesBackCanonical) {
    std::ifstream manifest(shared_testdata() + "/MANIFEST.tsv");
    ASSERT_TRUE(manifest) << "no MANIFEST.tsv in " << shared_testdata();
    std::size_t checked = 0;
    for (std::string line; std::getline(manifest, line);) {
        const std::string name = line.substr(0, line.find('\t'));
        const std::string path = shared_testdata() + "/" + name;
        std::error_code ec;
        if (name.empty() || !std::filesystem::is_regular_file(path, ec) || std::filesystem::file_size(path, ec) > (4u << 20))
            continue;
        std::vector<Packet> packets;
        try {
            packets = packets_of(read_bytes(path));
        } catch (const Error&) {
            continue;  // not OpenPGP, or broken on purpose: the manifest test covers those
        }
        if (packets.empty()) continue;
        SCOPED_TRACE(name);
        EXPECT_EQ(bytes(reframe(packets, {})), write_packets(packets));
        const Bytes canonical = write_packets_canonical(packets);
        for (const char* length : {"five", "minimal"}) {
            const Bytes odd = bytes(reframe(packets, with(CtbFormat::New, length)));
            EXPECT_EQ(bytes(reframe(packets_of(odd), with(CtbFormat::New, "minimal"))), canonical) << length;
        }
        ++checked;
    }
    EXPECT_GT(checked, 100u);
}

TEST(Reframe, PartialChunksCoverTheBodyInOrder) {
    const Bytes lit = literal(5000);
    const auto in = packets_of(lit);
    const auto out = packets_of(bytes(reframe(in, with(CtbFormat::New, "partial:512"))));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].header.form, LengthForm::Partial);
    ASSERT_EQ(out[0].header.chunks.size(), 10u);  // 9 of 512, then 392 definite
    EXPECT_EQ(out[0].header.chunks.back().size, 392u);
    EXPECT_EQ(write_body(out[0].body), write_body(in[0].body));
    // A body that is a whole number of chunks ends in a zero-length chunk.
    const auto exact = packets_of(bytes(reframe(packets_of(literal(1024)), with(CtbFormat::New, "partial:512"))));
    EXPECT_EQ(exact[0].header.chunks.back().size, 0u);
}

TEST(Reframe, RandomChunksAreReproducibleAndStartAt512) {
    const auto in = packets_of(literal(100000));
    const Bytes a = bytes(reframe(in, with(CtbFormat::New, "partial:random:7")));
    EXPECT_EQ(bytes(reframe(in, with(CtbFormat::New, "partial:random:7"))), a);
    EXPECT_NE(bytes(reframe(in, with(CtbFormat::New, "partial:random:8"))), a);
    const auto out = packets_of(a);
    EXPECT_GE(out[0].header.chunks.front().size, 512u);
    EXPECT_EQ(write_body(out[0].body), write_body(in[0].body));
}

TEST(Reframe, GnupgChunkedAndOldFormsReadBack) {
    const auto in = packets_of(literal(70000));
    const Bytes chunked = bytes(reframe(in, with(CtbFormat::Old, "gnupg-chunked:1000")));
    const auto back = packets_of(chunked, true);
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].header.form, LengthForm::GnupgChunked);
    EXPECT_EQ(write_body(back[0].body), write_body(in[0].body));
    for (const char* length : {"four", "indeterminate", "minimal"}) {
        const auto old = packets_of(bytes(reframe(in, with(CtbFormat::Old, length))));
        EXPECT_EQ(old.at(0).header.format, CtbFormat::Old) << length;
        EXPECT_EQ(write_body(old[0].body), write_body(in[0].body)) << length;
    }
}

std::string refusal(const std::vector<Packet>& in, const ReframeOptions& o) {
    try {
        (void)reframe(in, o);
    } catch (const Error& e) {
        return e.detail();
    }
    return "written";
}

TEST(Reframe, ForbiddenFormsNeedAllowInvalidAndImpossibleOnesAreRefused) {
    const auto key = packets_of(read_bytes(test_data_dir() + "/cert/ed25519-sha512.pgp"));
    auto o = with(CtbFormat::New, "partial:64");
    o.allow_invalid = true;
    EXPECT_EQ(refusal(key, o), "packet #0 (tag 6): a body of 51 octets has no room for a partial chunk");
    o = with(CtbFormat::New, "partial:16");
    EXPECT_EQ(refusal(key, o), "packet #0 (tag 6): RFC 9580 allows partial lengths on tags 8, 9, 11, 18 and 20 only "
                               "(--allow-invalid writes it anyway)");
    o.allow_invalid = true;
    EXPECT_EQ(refusal(key, o), "written");
    o = with(CtbFormat::Old, "indeterminate");
    EXPECT_EQ(refusal(key, o), "packet #0 (tag 6): an indeterminate length before the last packet swallows the "
                               "packets after it (--allow-invalid writes it anyway)");
    o.packets = parse_packet_ranges("2");
    EXPECT_EQ(refusal(key, o), "written");  // the last packet may be indeterminate
    EXPECT_EQ(refusal(key, with(CtbFormat::New, "two")),
              "packet #0 (tag 6): a new-format two-octet length holds 192 to 8383, not 51");
    EXPECT_EQ(refusal(packets_of(literal(300)), with(CtbFormat::New, "one")),
              "packet #0 (tag 11): a one-octet length cannot hold 300");
    EXPECT_THROW(parse_length_spec("partial:3", o), Error);
    EXPECT_THROW(parse_length_spec("six", o), Error);
    EXPECT_THROW((void)parse_packet_ranges("3-1"), Error);
}

}  // namespace
}  // namespace pgpkit::test
