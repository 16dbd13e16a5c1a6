// The "negatives" group of the vector suite: input a parser must reject. Truncated packets
// and headers, lengths past the end of the file, of a container and of a subpacket area, a
// bad CTB, corrupt compressed data, a compression bomb, partial lengths on a key packet and
// ASCII armor with a bad CRC-24.
#include <string>
#include <variant>
#include <vector>

#include "armor/armor.h"
#include "keygen/generate.h"
#include "message/internal/vectors_build.h"
#include "packet/compress.h"
#include "packet/parser.h"
#include "packet/reframe.h"

namespace pgpkit::message::internal {

namespace {

/** Decompressed size of the bomb: past the ratio limit's floor (16 MiB), at a ratio above 1000. */
constexpr std::uint64_t bomb_octets = std::uint64_t{24} << 20;

void add(std::vector<VectorFile>& out, std::string name, std::string holds, const Bytes& data, std::string packets) {
    out.push_back(
        vector_file(std::move(name), VectorGroup::Negatives, std::move(holds), false, data, std::move(packets)));
}

/** A small certificate (Ed25519 v4, no subkey) to cut and corrupt: packets 6 13 2. */
Bytes base_cert(crypto::Rng& rng) {
    const std::string text =
        "Key-Type: EDDSA\nKey-Curve: ed25519\nName-Real: pgpkit vector negatives\n"
        "Name-Email: negatives@vectors.example\nCreation-Date: seconds=" +
        std::to_string(vectors_time) + "\nExpire-Date: 0\n%no-protection\n%commit\n";
    keygen::GenerateOptions go;
    go.now = vectors_time;
    const auto items = keygen::parse_params(text, "vectors");
    for (const keygen::Item& it : items)
        if (const auto* b = std::get_if<keygen::KeyBlock>(&it))
            return keygen::generate_key(*b, rng, nullptr, go).public_key;
    return {};
}

/** Offsets where each packet of a canonical `block` starts, and the end. */
std::vector<std::size_t> packet_starts(const Bytes& block) {
    std::vector<std::size_t> at;
    for (const packet::Packet& p : packet::parse_all(block)) at.push_back(static_cast<std::size_t>(p.offset));
    at.push_back(block.size());
    return at;
}

Bytes prefix(const Bytes& b, std::size_t n) { return Bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n)); }

void add_cuts(const Bytes& cert, std::vector<VectorFile>& out) {
    const std::vector<std::size_t> at = packet_starts(cert);  // key, user ID, signature, end
    add(out, "neg-truncated-body.pgp", "certificate cut in the middle of its signature's body",
        prefix(cert, (at[2] + at[3]) / 2), "6 13 !");
    add(out, "neg-truncated-key.pgp", "certificate cut 10 octets into its key packet's body", prefix(cert, at[0] + 12),
        "!");
    Bytes header = prefix(cert, at[2]);
    header.insert(header.end(), {0xC2, 0xC5});  // a signature CTB and the first octet of a two-octet length
    add(out, "neg-truncated-header.pgp", "key and user ID, then a signature header cut inside its two-octet length",
        header, "6 13 !");
    Bytes past = prefix(cert, at[1]);
    const std::string uid = "user ID claiming 150 octets";
    past.insert(past.end(), {0xCD, 150});
    past.insert(past.end(), uid.begin(), uid.end());
    add(out, "neg-length-past-end.pgp", "key, then a user ID packet whose length (150) runs past the end of the file",
        past, "6 !");
    Bytes ctb = cert;
    ctb.insert(ctb.end(), {0x3F, 0x00});
    add(out, "neg-bad-ctb.pgp", "certificate followed by octet 0x3F, not a CTB (bit 7 clear)", ctb, "6 13 2 !");
}

/** A signature whose only hashed subpacket claims 10 octets in a 6-octet area. */
Bytes subpacket_past_end() {
    Bytes body = {4, 0x00, 22, 8, 0, 6, 10, 2, 0x65, 0x92, 0x00, 0x80, 0, 0, 0xAB, 0xCD};
    for (int mpi = 0; mpi < 2; ++mpi) {
        body.insert(body.end(), {0x00, 0xFF});
        body.insert(body.end(), 32, static_cast<std::uint8_t>(0x55 + mpi));
    }
    Bytes out;
    packet::write_canonical_header(packet::Tag::Signature, body.size(), out);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

void add_containers(std::vector<VectorFile>& out) {
    add(out, "neg-subpacket-past-end.sig",
        "v4 signature whose hashed subpacket claims 10 octets in a 6-octet hashed area", subpacket_past_end(), "!");
    // Inside compressed data: literal data claiming 500 octets, 100 present.
    packet::Header h;
    h.form = packet::LengthForm::TwoOctet;
    Bytes inner = written(literal_packet(h, literal_body(500)));
    inner.resize(100);
    add(out, "neg-inner-length-past-end.pgp",
        "zlib compressed data holding a literal data packet whose length (500) runs past the decompressed end",
        compressed_packet(packet::CompressionAlgo::Zlib, inner), "8( !");
    Bytes corrupt = compressed_packet(packet::CompressionAlgo::Zlib, written(literal_packet(h, literal_body(300))));
    for (std::size_t i = 4; i < 12 && i < corrupt.size(); ++i) corrupt[i] ^= 0xA5;
    add(out, "neg-compressed-corrupt.pgp", "zlib compressed data with eight octets of its stream flipped", corrupt,
        "8( !");
}

/** Bzip2 compressed data holding a literal data packet of 24 MiB of zeros, compressed in pieces. */
Bytes bomb() {
    Bytes lit;
    const Bytes head_body = literal_body(7);
    packet::Header lh;
    lh.tag = packet::Tag::Literal;
    lh.form = packet::LengthForm::FiveOctet;
    lh.length = bomb_octets + head_body.size();
    packet::write_header(lh, lit);
    lit.insert(lit.end(), head_body.begin(), head_body.end());
    Bytes body = {static_cast<std::uint8_t>(packet::CompressionAlgo::Bzip2)};
    packet::Compressor c(packet::CompressionAlgo::Bzip2, 9);
    c.update(lit, body);
    const Bytes zeros(1 << 20, 0);
    for (std::uint64_t done = 0; done < bomb_octets; done += zeros.size()) c.update(zeros, body);
    c.finish(body);
    Bytes out;
    packet::write_canonical_header(packet::Tag::CompressedData, body.size(), out);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

void add_bomb_and_forms(const Bytes& cert, std::vector<VectorFile>& out) {
    const Bytes b = bomb();
    add(out, "neg-compression-bomb.pgp",
        std::to_string(b.size()) +
            " octets of bzip2 compressed data expanding to 24 MiB of literal data (ratio over 1000,"
            " past 16 MiB)",
        b, "8( !");
    // Partial lengths on a key packet (RFC 9580 allows them on data packets only).
    packet::ReframeOptions ro;
    ro.length = packet::ReframeLength::Partial;
    ro.chunk = 16;
    ro.packets = {{0, 0}};
    ro.allow_invalid = true;
    const SecretBytes framed = packet::reframe(packet::parse_lossless(cert), ro);
    VectorFile f = vector_file("neg-partial-on-key.pgp", VectorGroup::Negatives,
                               "certificate whose public key packet has partial lengths (16-octet chunks)", false,
                               ByteView(framed.data(), framed.size()), "!");
    f.strict = true;
    out.push_back(std::move(f));
    std::string text = armor::encode_text(cert, "PGP PUBLIC KEY BLOCK", {});
    const std::size_t crc = text.rfind("\n=");
    if (crc != std::string::npos) text[crc + 2] = text[crc + 2] == 'A' ? 'B' : 'A';
    add(out, "neg-armor-bad-crc.asc", "ASCII-armored certificate whose CRC-24 line does not match the data",
        Bytes(text.begin(), text.end()), "!");
}

}  // namespace

void add_negative_vectors(crypto::Rng& rng, std::vector<VectorFile>& out) {
    const Bytes cert = base_cert(rng);
    add_cuts(cert, out);
    add_containers(out);
    add_bomb_and_forms(cert, out);
}

}  // namespace pgpkit::message::internal
