// The vector suite's driver, manifest and shared pieces (vectors.h).
#include "message/vectors.h"

#include <algorithm>
#include <string>

#include "base/error.h"
#include "crypto/hash.h"
#include "message/internal/vectors_build.h"
#include "packet/source.h"

namespace pgpkit::message {

using internal::vector_file;

const char* vector_group_name(VectorGroup g) noexcept {
    switch (g) {
        case VectorGroup::Keys:
            return "keys";
        case VectorGroup::Framing:
            return "framing";
        case VectorGroup::Legacy:
            return "legacy";
        case VectorGroup::Negatives:
            return "negatives";
    }
    return "?";
}

VectorGroup parse_vector_group(std::string_view name) {
    for (VectorGroup g : {VectorGroup::Keys, VectorGroup::Framing, VectorGroup::Legacy, VectorGroup::Negatives})
        if (name == vector_group_name(g)) return g;
    throw Error(Errc::Usage, 0,
                "unknown vector group '" + std::string(name) + "' (want keys, framing, legacy or negatives)");
}

SecretBytes default_vector_seed() {
    const std::string_view s = "pgpkit vectors 1";
    return SecretBytes(s.begin(), s.end());
}

std::vector<VectorFile> make_vectors(const VectorOptions& opt) {
    const SecretBytes seed = opt.seed.empty() ? default_vector_seed() : opt.seed;
    const crypto::Rng root = crypto::Rng::seeded(ByteView(seed.data(), seed.size()));
    auto wanted = [&](VectorGroup g) { return !opt.only || *opt.only == g; };
    std::vector<VectorFile> out;
    // Each group draws on its own fork, so --only GROUP gives that group's bytes of the full suite.
    if (wanted(VectorGroup::Keys)) {
        crypto::Rng rng = root.fork(1);
        internal::add_key_vectors(rng, out);
    }
    if (wanted(VectorGroup::Framing)) internal::add_framing_vectors(out);
    if (wanted(VectorGroup::Legacy)) {
        crypto::Rng rng = root.fork(3);
        internal::add_legacy_vectors(rng, out);
    }
    if (wanted(VectorGroup::Negatives)) {
        crypto::Rng rng = root.fork(4);
        internal::add_negative_vectors(rng, out);
    }
    for (VectorFile& f : out) f.deviations = internal::known_deviations(f);
    return out;
}

std::string vector_dump_options(const VectorFile& f) {
    std::string s;
    if (f.strict) s += "--strict";
    if (f.gnupg_chunked) s += std::string(s.empty() ? "" : " ") + "--gnupg-chunked";
    return s;
}

const std::vector<std::string>& manifest_columns() {
    static const std::vector<std::string> columns = {"file",   "group",          "holds",   "expect",
                                                     "keyids", "fingerprints",   "packets", "dump_options",
                                                     "pgpkit", "peer_deviations"};
    return columns;
}

namespace {

std::string field(std::string s) {
    std::replace_if(
        s.begin(), s.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
    return s.empty() ? "-" : s;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const std::string& x : v) s += (s.empty() ? "" : ",") + x;
    return s;
}

}  // namespace

std::string manifest_tsv(const std::vector<VectorFile>& files, const std::vector<std::string>& pgpkit) {
    std::string out;
    for (const std::string& c : manifest_columns()) out += (out.empty() ? "" : "\t") + c;
    out += '\n';
    for (std::size_t i = 0; i < files.size(); ++i) {
        const VectorFile& f = files[i];
        const std::string cols[] = {f.name,
                                    vector_group_name(f.group),
                                    f.holds,
                                    f.accept ? "accept" : "reject",
                                    joined(f.keyids),
                                    joined(f.fingerprints),
                                    f.packets,
                                    vector_dump_options(f),
                                    i < pgpkit.size() ? pgpkit[i] : std::string(),
                                    f.deviations};
        std::string line;
        for (const std::string& c : cols) line += (line.empty() ? "" : "\t") + field(c);
        out += line + '\n';
    }
    return out;
}

namespace internal {

VectorFile vector_file(std::string name, VectorGroup g, std::string holds, bool accept, ByteView data,
                       std::string packets) {
    VectorFile f;
    f.name = std::move(name);
    f.group = g;
    f.holds = std::move(holds);
    f.accept = accept;
    f.packets = std::move(packets);
    f.secret = f.name.find(".sec.") != std::string::npos;
    f.data.assign(data.begin(), data.end());
    return f;
}

Bytes literal_body(std::uint64_t total, std::uint8_t fill) {
    // format, name length, name "v", four-octet date: 7 octets before the data.
    if (total < 7) throw Error(Errc::Usage, 0, "a literal data body needs at least 7 octets");
    Bytes b(total, fill);
    b[0] = 'b';
    b[1] = 1;
    b[2] = 'v';
    for (int i = 0; i < 4; ++i) b[3 + i] = static_cast<std::uint8_t>(vectors_time >> (24 - 8 * i));
    return b;
}

packet::Packet literal_packet(const packet::Header& h, const Bytes& body) {
    packet::Packet p;
    p.header = h;
    p.header.tag = packet::Tag::Literal;
    p.header.length = body.size();
    packet::Literal lit;
    lit.format = body.at(0);
    lit.filename.assign(body.begin() + 2, body.begin() + 2 + body.at(1));
    lit.date = vectors_time;
    lit.payload.data.assign(body.begin() + 2 + body.at(1) + 4, body.end());
    lit.payload.length = lit.payload.data.size();
    lit.payload.kept = true;
    p.body = std::move(lit);
    return p;
}

Bytes written(const packet::Packet& p) {
    Bytes out;
    packet::write_packet(p, out);
    return out;
}

namespace {

std::uint8_t octet(ByteView b, std::size_t at) {
    if (at >= b.size()) throw Error(Errc::Usage, at, "vector key: key body too short");
    return b[at];
}

std::uint64_t be(ByteView b, std::size_t at, std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | octet(b, at + i);
    return v;
}

/** The value octets of the MPI at `at`; `at` moves past it. */
ByteView mpi_at(ByteView body, std::size_t& at) {
    const std::size_t bits = be(body, at, 2);
    const std::size_t n = (bits + 7) / 8;
    if (at + 2 + n > body.size()) throw Error(Errc::Usage, at, "vector key: MPI past the end of the key body");
    const ByteView v = body.subspan(at + 2, n);
    at += 2 + n;
    return v;
}

std::vector<std::uint8_t> framed_digest(crypto::HashKind kind, std::uint8_t frame, unsigned len_octets, ByteView body) {
    crypto::Hasher h(kind);
    h.update(frame);
    for (unsigned i = len_octets; i-- > 0;) h.update(static_cast<std::uint8_t>(body.size() >> (8 * i)));
    h.update(body);
    return h.final();
}

}  // namespace

void body_identity(ByteView body, std::string& keyid, std::string& fingerprint) {
    using crypto::HashKind;
    const std::uint8_t version = octet(body, 0);
    Bytes fpr, id;
    if (version <= 3) {
        const std::uint8_t algo = octet(body, 7);
        if (algo >= 1 && algo <= 3) {
            std::size_t at = 8;
            const ByteView n = mpi_at(body, at);
            const ByteView e = mpi_at(body, at);
            crypto::Hasher h(HashKind::Md5);
            h.update(n);
            h.update(e);
            fpr = h.final();
            id.assign(n.end() - 8, n.end());  // RFC 4880 section 12.2: the low 64 bits of n
        } else {
            fpr = framed_digest(HashKind::Ripemd160, 0x99, 2, body);
            id.assign(fpr.end() - 8, fpr.end());
        }
    } else if (version == 4) {
        fpr = framed_digest(HashKind::Sha1, 0x99, 2, body);
        id.assign(fpr.end() - 8, fpr.end());
    } else {
        fpr = framed_digest(HashKind::Sha256, version == 5 ? 0x9A : 0x9B, 4, body);
        id.assign(fpr.begin(), fpr.begin() + 8);
    }
    keyid = to_hex(id);
    fingerprint = to_hex(fpr);
}

void key_identities(ByteView block, VectorFile& f) {
    packet::MemorySource src(block);
    while (auto h = packet::read_header(src, false)) {
        const std::uint64_t start = src.offset();
        if (!h->definite() || start + h->length > block.size())
            throw Error(Errc::Usage, start, "vector key: not a canonical keyblock");
        if (h->tag == packet::Tag::PublicKey || h->tag == packet::Tag::PublicSubkey) {
            std::string id, fpr;
            body_identity(block.subspan(start, h->length), id, fpr);
            f.keyids.push_back(id);
            f.fingerprints.push_back(fpr);
        }
        if (src.skip(h->length) != h->length) throw Error(Errc::Usage, start, "vector key: body cut short");
    }
}

}  // namespace internal

}  // namespace pgpkit::message
