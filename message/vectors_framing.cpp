// The "framing" group of the vector suite: Literal Data packets in every CTB format and
// length form at the boundaries of each form (RFC 9580 section 4.2), partial chunk sizes
// 2^0 to 2^30, GnuPG's chunked form, and Compressed Data nested 1 to 17 deep.
#include <string>
#include <vector>

#include "message/internal/vectors_build.h"
#include "packet/compress.h"

namespace pgpkit::message::internal {

namespace {

using packet::Chunk;
using packet::CtbFormat;
using packet::Header;
using packet::LengthForm;

/** Largest partial chunk written with its whole body: 2^20 octets; above it the body is cut short. */
constexpr unsigned max_full_chunk_log2 = 20;
/** Octets of body that follow a header whose body is cut short on purpose. */
constexpr std::size_t capped_body = 4096;

void add(std::vector<VectorFile>& out, std::string name, std::string holds, bool accept, const Bytes& data,
         std::string packets) {
    out.push_back(
        vector_file(std::move(name), VectorGroup::Framing, std::move(holds), accept, data, std::move(packets)));
}

Bytes definite(CtbFormat fmt, LengthForm form, std::uint64_t total) {
    Header h;
    h.format = fmt;
    h.form = form;
    return written(literal_packet(h, literal_body(total)));
}

void add_definite(std::vector<VectorFile>& out) {
    struct Case {
        const char* name;
        CtbFormat fmt;
        LengthForm form;
        std::uint64_t total;
        const char* what;
    };
    const Case cases[] = {
        {"new-len1-191", CtbFormat::New, LengthForm::OneOctet, 191, "largest one-octet length"},
        {"new-len2-192", CtbFormat::New, LengthForm::TwoOctet, 192, "smallest two-octet length"},
        {"new-len2-8383", CtbFormat::New, LengthForm::TwoOctet, 8383, "largest two-octet length"},
        {"new-len5-8384", CtbFormat::New, LengthForm::FiveOctet, 8384, "smallest five-octet length"},
        {"new-len5-100", CtbFormat::New, LengthForm::FiveOctet, 100, "five-octet length for 100 octets (not minimal)"},
        {"old-len1-255", CtbFormat::Old, LengthForm::OneOctet, 255, "largest old one-octet length"},
        {"old-len2-256", CtbFormat::Old, LengthForm::TwoOctet, 256, "smallest old two-octet length"},
        {"old-len2-65535", CtbFormat::Old, LengthForm::TwoOctet, 65535, "largest old two-octet length"},
        {"old-len4-65536", CtbFormat::Old, LengthForm::FourOctet, 65536, "smallest old four-octet length"},
        {"old-len2-100", CtbFormat::Old, LengthForm::TwoOctet, 100,
         "old two-octet length for 100 octets (not minimal)"},
        {"old-len4-100", CtbFormat::Old, LengthForm::FourOctet, 100,
         "old four-octet length for 100 octets (not minimal)"},
        {"old-indeterminate", CtbFormat::Old, LengthForm::Indeterminate, 1000,
         "old indeterminate length (to end of file)"},
    };
    for (const Case& c : cases)
        add(out, std::string(c.name) + ".pgp",
            std::string("literal data, ") + c.what + ", body " + std::to_string(c.total) + " octets", true,
            definite(c.fmt, c.form, c.total), "11");
    // The largest definite lengths as headers claiming 2^32-1 octets over a short body.
    Bytes five = {0xCB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    Bytes four = {0xAE, 0xFF, 0xFF, 0xFF, 0xFF};
    for (Bytes* b : {&five, &four}) {
        const Bytes body = literal_body(capped_body);
        b->insert(b->end(), body.begin(), body.end());
    }
    add(out, "new-len5-4294967295.pgp",
        "literal data header claiming 2^32-1 octets (five-octet length), only 4096 present", false, five, "!");
    add(out, "old-len4-4294967295.pgp",
        "literal data header claiming 2^32-1 octets (old four-octet length), only 4096 present", false, four, "!");
}

Bytes partial(const std::vector<std::uint32_t>& sizes, std::uint32_t last, LengthForm last_form) {
    Header h;
    h.form = LengthForm::Partial;
    std::uint64_t total = last;
    for (std::uint32_t s : sizes) {
        h.chunks.push_back({s, LengthForm::Partial});
        total += s;
    }
    h.chunks.push_back({last, last_form});
    return written(literal_packet(h, literal_body(total)));
}

void add_partial(std::vector<VectorFile>& out) {
    for (unsigned k = 0; k <= 30; ++k) {
        const std::uint32_t size = std::uint32_t{1} << k;
        const std::string name = "partial-2^" + std::to_string(k) + ".pgp";
        if (k > max_full_chunk_log2) {
            Bytes b = {0xCB, static_cast<std::uint8_t>(0xE0 + k)};
            const Bytes body = literal_body(capped_body);
            b.insert(b.end(), body.begin(), body.end());
            add(out, name,
                "literal data, first partial chunk of 2^" + std::to_string(k) +
                    " octets; body capped at 4096 octets (suite size), so cut short",
                false, b, "!");
            continue;
        }
        // A first chunk must be at least 512 octets (RFC 9580 section 4.2.1.4): small sizes come second.
        const std::vector<std::uint32_t> sizes = k < 9 ? std::vector<std::uint32_t>{512, size} : std::vector{size};
        add(out, name,
            "literal data, partial chunks " + std::string(k < 9 ? "512, " : "") + std::to_string(size) +
                ", then a final chunk of 100 octets",
            true, partial(sizes, 100, LengthForm::OneOctet), "11");
    }
    add(out, "partial-last-chunk-zero.pgp", "literal data, partial chunk of 512 octets, final chunk of 0 octets", true,
        partial({512}, 0, LengthForm::OneOctet), "11");
    add(out, "partial-last-chunk-len5.pgp",
        "literal data, partial chunks 1024 and 512, final chunk of 300 octets in the five-octet form", true,
        partial({1024, 512}, 300, LengthForm::FiveOctet), "11");
    VectorFile shortfirst = vector_file("partial-first-chunk-256.pgp", VectorGroup::Framing,
                                        "literal data, first partial chunk of 256 octets (RFC 9580 wants 512 or more)",
                                        false, partial({256}, 100, LengthForm::OneOctet), "!");
    shortfirst.strict = true;
    out.push_back(std::move(shortfirst));
}

void add_gnupg_chunked(std::vector<VectorFile>& out) {
    Header h;
    h.format = CtbFormat::Old;
    h.form = LengthForm::GnupgChunked;
    h.chunks = {{1000, LengthForm::GnupgChunked}, {1000, LengthForm::GnupgChunked}, {0, LengthForm::GnupgChunked}};
    VectorFile f = vector_file("old-gnupg-chunked.pgp", VectorGroup::Framing,
                               "literal data, old length type 3 as GnuPG's chunked form: chunks 1000, 1000, 0", true,
                               written(literal_packet(h, literal_body(2000))), "11");
    f.gnupg_chunked = true;
    out.push_back(std::move(f));
}

}  // namespace

Bytes compressed_packet(packet::CompressionAlgo algo, const Bytes& inner) {
    Bytes body = {static_cast<std::uint8_t>(algo)};
    packet::Compressor c(algo, 6);
    c.update(inner, body);
    c.finish(body);
    Bytes out;
    packet::write_canonical_header(packet::Tag::CompressedData, body.size(), out);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

namespace {

void add_compressed(std::vector<VectorFile>& out) {
    using packet::CompressionAlgo;
    Header h;
    const Bytes lit = written(literal_packet(h, literal_body(150)));
    const std::pair<CompressionAlgo, const char*> algos[] = {
        {CompressionAlgo::Zip, "zip"}, {CompressionAlgo::Zlib, "zlib"}, {CompressionAlgo::Bzip2, "bzip2"}};
    for (const auto& [algo, name] : algos)
        add(out, std::string("compressed-") + name + ".pgp",
            std::string(name) + " compressed data holding literal data", true, compressed_packet(algo, lit), "8(11)");
    Bytes nested = lit;
    std::string seq = "11";
    for (unsigned depth = 1; depth <= 17; ++depth) {
        nested = compressed_packet(depth % 2 ? CompressionAlgo::Zlib : CompressionAlgo::Zip, nested);
        seq = "8(" + seq + ")";
        if (depth < 2) continue;
        // Sixteen levels is pgpkit's nesting limit (Limits::max_depth), as it is Sequoia's.
        const bool accept = depth <= 16;
        add(out, "compressed-depth-" + std::to_string(depth) + ".pgp",
            "compressed data nested " + std::to_string(depth) + " deep (zlib and zip in turn) around literal data" +
                (accept ? "" : ", past the nesting limit of 16"),
            accept, nested, accept ? seq : "8(8(8(8(8(8(8(8(8(8(8(8(8(8(8(8( !");
    }
}

}  // namespace

void add_framing_vectors(std::vector<VectorFile>& out) {
    add_definite(out);
    add_partial(out);
    add_gnupg_chunked(out);
    add_compressed(out);
}

}  // namespace pgpkit::message::internal
