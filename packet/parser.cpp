#include "packet/parser.h"

#include <algorithm>
#include <string>
#include <utility>

#include "packet/body_stream.h"
#include "base/error.h"
#include "base/secret.h"
#include "packet/names.h"

namespace pgpkit::packet {

namespace {

/**
 * The decompressed contents of a container. A failure below it (a corrupt or bomb
 * stream, a truncated container body) is the container's: its offset is in the stream
 * that holds the container, so the error names the container, not whichever inner packet
 * happened to be reading.
 */
class ContainerSource final : public Source {
public:
    ContainerSource(std::unique_ptr<Source> inner, std::size_t index) : m_inner(std::move(inner)), m_index(index) {}
    std::size_t read(std::span<std::uint8_t> buf) override {
        try {
            std::size_t n = m_inner->read(buf);
            m_offset += n;
            return n;
        } catch (Error& e) {
            e.in_packet(m_index, 8);
            throw;
        }
    }

private:
    std::unique_ptr<Source> m_inner;
    std::size_t m_index;
};

}  // namespace

struct PacketParser::Layer {
    Source* src = nullptr;             ///< where this layer's packets are read from
    // Container layers only:
    std::size_t container_index = 0;
    Header header;                     ///< the container's header, completed as read
    std::unique_ptr<BodyStream> body;
    Bytes kept;                        ///< keep_data: the compressed octets
    std::unique_ptr<MemorySource> kept_src;
    std::unique_ptr<Source> decompressor;
    Source* compressed = nullptr;      ///< what the decompressor reads (body or kept_src)
};

namespace {

/** The data packets, whose payload is streamed: the ones that may have partial lengths. */
bool is_streamed(Tag tag) noexcept { return tag_allows_partial(tag); }

bool compression_known(CompressionAlgo a) noexcept {
    switch (a) {
    case CompressionAlgo::Uncompressed: case CompressionAlgo::Zip: case CompressionAlgo::Zlib:
    case CompressionAlgo::Bzip2: return true;
    }
    return false;
}

/** Tags 60 to 63, RFC 9580 section 5. */
bool private_tag(Tag tag) noexcept { return static_cast<unsigned>(tag) >= 60; }

bool is_typed_buffered(Tag tag) noexcept {
    switch (tag) {
    case Tag::Pkesk: case Tag::Signature: case Tag::Skesk: case Tag::OnePassSig: case Tag::SecretKey:
    case Tag::PublicKey: case Tag::SecretSubkey: case Tag::Marker: case Tag::Trust: case Tag::UserId:
    case Tag::PublicSubkey:
    case Tag::UserAttribute: case Tag::Mdc: case Tag::Padding:
        return true;
    default:
        return false;
    }
}

void header_findings(const Header& h, std::uint64_t offset, std::vector<Finding>& out) {
    bool non_minimal = false;
    if (h.format == CtbFormat::New) {
        if (h.form == LengthForm::TwoOctet && h.length < 192) non_minimal = true;
        if (h.form == LengthForm::FiveOctet && h.length < 8384) non_minimal = true;
    } else {
        if (h.form == LengthForm::TwoOctet && h.length < 256) non_minimal = true;
        if (h.form == LengthForm::FourOctet && h.length < 65536) non_minimal = true;
    }
    if (non_minimal)
        out.push_back({"non-minimal-length", offset,
                       std::string(length_form_name(h.form)) + " length used for a body of " +
                           std::to_string(h.length) + " octets"});
    if (h.form == LengthForm::Partial) {
        if (!tag_allows_partial(h.tag))
            out.push_back({"partial-length-on-non-data-packet", offset,
                           std::string("partial body length on a ") + tag_name(h.tag) + " packet"});
        if (!h.chunks.empty() && h.chunks.front().size < 512)
            out.push_back({"short-first-partial-chunk", offset,
                           "first partial chunk is " + std::to_string(h.chunks.front().size) +
                               " octets (RFC 9580 requires at least 512)"});
    }
    if (h.format == CtbFormat::New && h.tag == Tag::Reserved)
        out.push_back({"reserved-tag", offset, "packet tag 0 is reserved"});
}

void chunk_findings(const Header& h, std::uint64_t offset, std::vector<Finding>& out) {
    for (const Chunk& c : h.chunks) {
        if ((c.form == LengthForm::TwoOctet && c.size < 192 && h.form == LengthForm::Partial) ||
            (c.form == LengthForm::FiveOctet && c.size < 8384)) {
            out.push_back({"non-minimal-length", offset,
                           "final chunk length of " + std::to_string(c.size) + " octets uses the " +
                               length_form_name(c.form) + " form"});
            break;
        }
    }
}

Payload read_payload(BodyStream& body, bool keep, std::uint64_t max_kept) {
    Payload p;
    if (!keep) {
        p.length = body.drain();
        return p;
    }
    p.kept = true;
    std::uint8_t buf[65536];
    for (;;) {
        std::size_t got = body.read({buf, sizeof buf});
        if (got == 0) break;
        if (p.data.size() + got > max_kept)
            throw Error(Errc::LimitExceeded, body.body_start() + body.offset(),
                        "payload larger than " + std::to_string(max_kept) + " octets (limit max_kept_payload)");
        p.data.insert(p.data.end(), buf, buf + got);
    }
    p.length = p.data.size();
    return p;
}

Body parse_buffered(Tag tag, ByteView body, std::uint64_t at, const Limits& limits,
                    FingerprintHashers& hashers) {
    ByteReader in(body, at);
    auto opaque = [&](std::string reason) {
        return Opaque{std::move(reason), Payload{Bytes(body.begin(), body.end()), body.size(), true}};
    };
    auto unknown_version = [&](const char* what) {
        return opaque(std::string("unknown ") + what + " version " + std::to_string(body.empty() ? 0 : body[0]));
    };
    switch (tag) {
    case Tag::Pkesk:
        if (auto p = parse_pkesk(in)) return std::move(*p);
        return unknown_version("PKESK");
    case Tag::Signature:
        if (auto s = parse_signature(in, limits.max_subpackets)) return std::move(*s);
        return unknown_version("signature");
    case Tag::Skesk:
        if (auto s = parse_skesk(in)) return std::move(*s);
        return unknown_version("SKESK");
    case Tag::OnePassSig:
        if (auto o = parse_one_pass_sig(in)) return std::move(*o);
        return unknown_version("one-pass signature");
    case Tag::SecretKey: case Tag::PublicKey: case Tag::SecretSubkey: case Tag::PublicSubkey: {
        const bool secret = tag == Tag::SecretKey || tag == Tag::SecretSubkey;
        if (auto k = parse_key(body, at, secret, &hashers)) return std::move(*k);
        return unknown_version("key");
    }
    case Tag::Marker: return Marker{Bytes(body.begin(), body.end())};
    case Tag::Trust: return Trust{Bytes(body.begin(), body.end())};
    case Tag::UserId: return UserId{Bytes(body.begin(), body.end())};
    case Tag::UserAttribute: return parse_user_attribute(in, limits.max_subpackets);
    case Tag::Mdc: return Mdc{Bytes(body.begin(), body.end())};
    case Tag::Padding: return Padding{Bytes(body.begin(), body.end())};
    default:
        if (private_tag(tag)) return opaque("private or experimental tag");
        return opaque("unknown tag");
    }
}

}  // namespace

PacketParser::PacketParser(Source& src, ParseOptions options) : m_opt(options) {
    auto root = std::make_unique<Layer>();
    root->src = &src;
    m_stack.push_back(std::move(root));
}

PacketParser::~PacketParser() = default;

unsigned PacketParser::depth() const noexcept { return static_cast<unsigned>(m_stack.size() - 1); }

std::optional<Packet> PacketParser::pop_layer() {
    std::unique_ptr<Layer> layer = std::move(m_stack.back());
    m_stack.pop_back();
    // Compressed octets after the end of the compressed stream are skipped.
    std::uint64_t trailing = layer->body ? layer->body->drain() : 0;
    Packet end;
    end.index = layer->container_index;
    end.depth = depth();
    end.header = layer->header;
    end.body = EndOfContainer{layer->container_index};
    if (trailing > 0)
        end.findings.push_back({"trailing-compressed-data", layer->body->body_start(),
                                std::to_string(trailing) + " octets after the end of the compressed stream"});
    chunk_findings(end.header, layer->body ? layer->body->body_start() : 0, end.findings);
    check_findings(end);
    return end;
}

void PacketParser::check_findings(Packet& p) {
    if (m_opt.strict && !p.findings.empty()) {
        const Finding& f = p.findings.front();
        throw Error(Errc::Strict, f.offset, f.name + ": " + f.detail + " (rejected by --strict)");
    }
}

std::optional<Packet> PacketParser::next() {
    Layer& top = *m_stack.back();
    const std::uint64_t at = top.src->offset();
    std::optional<Header> hdr;
    try {
        hdr = read_header(*top.src, m_opt.gnupg_chunked);
    } catch (Error& e) {
        e.in_packet(m_count, std::nullopt);
        throw;
    }
    if (!hdr) {
        if (m_stack.size() == 1) return std::nullopt;
        return pop_layer();
    }
    const std::size_t index = m_count++;
    try {
        Packet p = read_packet(top, std::move(*hdr), at);
        check_findings(p);
        return p;
    } catch (Error& e) {
        e.in_packet(index, static_cast<std::uint8_t>(hdr->tag));
        throw;
    }
}

Packet PacketParser::read_packet(Layer& top, Header hdr, std::uint64_t at) {
    Packet p;
    p.index = m_count - 1;
    p.offset = at;
    p.depth = depth();
    const std::uint64_t body_at = at + hdr.header_len;
    const Tag tag = hdr.tag;
    const Limits& lim = m_opt.limits;

    if (!is_streamed(tag)) {
        // Buffered: read the whole body, zero-copy when the source holds it in memory.
        if (hdr.definite() && hdr.length > lim.max_packet_size && is_typed_buffered(tag))
            throw Error(Errc::LimitExceeded, at,
                        "declared body length " + std::to_string(hdr.length) + " of " + tag_name(tag) +
                            " packet exceeds " + std::to_string(lim.max_packet_size) +
                            " octets (raise with --max-packet-size)");
        if (!is_typed_buffered(tag) && (!hdr.definite() || hdr.length > lim.max_packet_size)) {
            // A large unknown packet is streamed and kept opaque.
            BodyStream body(*top.src, hdr, body_at, recorded_chunks());
            Opaque o{private_tag(tag) ? "private or experimental tag" : "unknown tag",
                     read_payload(body, m_opt.keep_data, lim.max_kept_payload)};
            p.header = hdr;
            p.body = std::move(o);
            header_findings(p.header, at, p.findings);
            chunk_findings(p.header, at, p.findings);
            return p;
        }
        std::optional<ByteView> view;
        // Wiping memory: a body read from a stream (armored input) may be a secret key's.
        SecretBytes owned;
        if (hdr.definite()) view = top.src->peek_view(static_cast<std::size_t>(hdr.length));
        if (view) {
            top.src->skip(hdr.length);
        } else {
            BodyStream body(*top.src, hdr, body_at, recorded_chunks());
            std::uint8_t buf[16384];
            struct WipeOnExit {
                std::uint8_t* p;
                std::size_t n;
                ~WipeOnExit() { wipe(p, n); }
            } guard{buf, 0};
            for (;;) {
                std::size_t got = body.read({buf, sizeof buf});
                if (got == 0) break;
                guard.n = std::max(guard.n, got);
                if (owned.size() + got > lim.max_packet_size)
                    throw Error(Errc::LimitExceeded, at,
                                std::string(tag_name(tag)) + " packet body exceeds " +
                                    std::to_string(lim.max_packet_size) + " octets (raise with --max-packet-size)");
                owned.insert(owned.end(), buf, buf + got);
            }
            view = ByteView(owned);
        }
        p.header = hdr;
        try {
            p.body = parse_buffered(tag, *view, body_at, lim, m_hashers);
        } catch (Error& e) {
            // The frame is intact, so the next packet can still be read (as gpg, sq and
            // rnp do). Strict mode keeps the typed error.
            if (m_opt.strict) throw;
            e.in_packet(p.index, static_cast<std::uint8_t>(tag));
            p.findings.push_back({"malformed-packet", e.offset(), e.detail()});
            p.body = Opaque{std::string("malformed ") + tag_name(tag) + " packet: " + e.detail(),
                            Payload{Bytes(view->begin(), view->end()), view->size(), true}};
            if (!m_first_malformed) m_first_malformed = e;
            ++m_malformed;
        }
        if (const Key* k = p.get<Key>(); k && k->malformed) {
            // A key whose identity is known but some of whose material is bad.
            Error e = *k->malformed;
            if (m_opt.strict) throw e;
            e.in_packet(p.index, static_cast<std::uint8_t>(tag));
            p.findings.push_back({"malformed-key-material", e.offset(), e.detail()});
            if (!m_first_malformed) m_first_malformed = e;
            ++m_malformed;
        }
        header_findings(p.header, at, p.findings);
        chunk_findings(p.header, at, p.findings);
        return p;
    }

    // Streamed data packets. The layer is only kept (pushed) for a compressed container;
    // it owns the header the body stream completes with chunk sizes.
    auto layer = std::make_unique<Layer>();
    layer->container_index = p.index;
    layer->header = hdr;
    layer->body = std::make_unique<BodyStream>(*top.src, layer->header, body_at, recorded_chunks());
    BodyStream* body = layer->body.get();
    auto head = [&](std::size_t n, std::string_view what) { return read_exact(*body, n, what); };
    auto finish = [&](Packet& pk) {
        pk.header = std::move(layer->header);  // the layer ends here; a long chunk list is not copied
        header_findings(pk.header, at, pk.findings);
        chunk_findings(pk.header, at, pk.findings);
    };
    switch (tag) {
    case Tag::Literal: {
        Literal l;
        l.format = head(1, "literal data format")[0];
        std::uint8_t n = head(1, "literal file name length")[0];
        l.filename = head(n, "literal file name");
        Bytes d = head(4, "literal date");
        l.date = (std::uint32_t{d[0]} << 24) | (std::uint32_t{d[1]} << 16) | (std::uint32_t{d[2]} << 8) | d[3];
        l.payload = read_payload(*body, m_opt.keep_data, lim.max_kept_payload);
        p.body = std::move(l);
        finish(p);
        return p;
    }
    case Tag::Sed: {
        p.body = Sed{read_payload(*body, m_opt.keep_data, lim.max_kept_payload)};
        finish(p);
        return p;
    }
    case Tag::Seipd: {
        Seipd s;
        s.version = head(1, "SEIPD version")[0];
        if (s.version == 2) {
            Bytes h = head(3, "SEIPD v2 parameters");
            s.sym_algo = static_cast<SymAlgo>(h[0]);
            s.aead_algo = static_cast<AeadAlgo>(h[1]);
            s.chunk_size = h[2];
            s.salt = head(32, "SEIPD v2 salt");
        } else if (s.version != 1) {
            Payload rest = read_payload(*body, m_opt.keep_data, lim.max_kept_payload);
            Opaque o{"unknown SEIPD version " + std::to_string(s.version), {}};
            o.payload.kept = rest.kept;
            o.payload.length = rest.length + 1;
            if (rest.kept) {
                o.payload.data.push_back(s.version);
                o.payload.data.insert(o.payload.data.end(), rest.data.begin(), rest.data.end());
            }
            p.body = std::move(o);
            finish(p);
            return p;
        }
        s.payload = read_payload(*body, m_opt.keep_data, lim.max_kept_payload);
        p.body = std::move(s);
        finish(p);
        return p;
    }
    case Tag::OcbEncrypted: {
        OcbEncrypted o;
        Bytes h = head(4, "OCB encrypted data parameters");
        o.version = h[0];
        o.sym_algo = static_cast<SymAlgo>(h[1]);
        o.aead_algo = static_cast<AeadAlgo>(h[2]);
        o.chunk_size = h[3];
        std::size_t nonce = aead_nonce_size(o.aead_algo);
        if (o.version != 1 || nonce == 0) {
            Payload rest = read_payload(*body, m_opt.keep_data, lim.max_kept_payload);
            Opaque op{o.version != 1 ? "unknown OCB encrypted data version " + std::to_string(o.version)
                                     : "unknown AEAD algorithm " + std::to_string(static_cast<unsigned>(o.aead_algo)),
                      {}};
            op.payload.kept = rest.kept;
            op.payload.length = rest.length + 4;
            if (rest.kept) {
                op.payload.data = h;
                op.payload.data.insert(op.payload.data.end(), rest.data.begin(), rest.data.end());
            }
            p.body = std::move(op);
            finish(p);
            return p;
        }
        o.iv = head(nonce, "OCB encrypted data IV");
        o.payload = read_payload(*body, m_opt.keep_data, lim.max_kept_payload);
        p.body = std::move(o);
        finish(p);
        return p;
    }
    default:
        break;
    }

    // Compressed Data: descend into a new layer.
    Compressed c;
    c.algo = static_cast<CompressionAlgo>(head(1, "compression algorithm")[0]);
    if (m_opt.keep_data) {
        c.payload = read_payload(*body, true, lim.max_kept_payload);
        layer->kept = c.payload.data;
    }
    if (!m_opt.descend || !compression_known(c.algo)) {
        if (!m_opt.keep_data) c.payload = read_payload(*body, false, 0);
        p.body = std::move(c);
        finish(p);
        if (m_opt.descend)
            p.findings.push_back({"unknown-compression-algorithm", at,
                                  "compression algorithm " +
                                      std::to_string(static_cast<unsigned>(p.get<Compressed>()->algo)) +
                                      " is unknown; contents not parsed"});
        return p;
    }
    if (depth() + 1 > lim.max_depth)
        throw Error(Errc::LimitExceeded, at,
                    "compressed data nested deeper than " + std::to_string(lim.max_depth) + " levels (raise with --max-depth)");
    // Decompressor offsets are absolute in the stream that holds this container; the
    // body stream counts from body_at (the algorithm octet), kept octets from after it.
    DecompressionInput where{body_at, nullptr};
    if (m_opt.keep_data) {
        layer->kept_src = std::make_unique<MemorySource>(ByteView(layer->kept));
        layer->compressed = layer->kept_src.get();
        where.start = body_at + 1;
    } else {
        layer->compressed = body;
    }
    if (m_stack.size() > 1) where.outermost = m_stack[1]->compressed;
    layer->decompressor = std::make_unique<ContainerSource>(
        make_decompressor(c.algo, *layer->compressed, lim.decompression, where), p.index);
    layer->src = layer->decompressor.get();
    p.body = std::move(c);
    p.header = layer->header;
    header_findings(p.header, at, p.findings);
    m_stack.push_back(std::move(layer));
    return p;
}

namespace {

std::vector<Packet> build_tree(ByteView data, ParseOptions options) {
    MemorySource src(data);
    PacketParser parser(src, options);
    std::vector<Packet> top;
    std::vector<std::vector<Packet>*> stack{&top};
    std::vector<Packet*> containers;
    while (auto p = parser.next()) {
        if (p->get<EndOfContainer>()) {
            Packet* c = containers.back();
            c->header = p->header;
            c->findings.insert(c->findings.end(), p->findings.begin(), p->findings.end());
            containers.pop_back();
            stack.pop_back();
            continue;
        }
        const bool container = p->get<Compressed>() && parser.depth() > p->depth;
        stack.back()->push_back(std::move(*p));
        if (container) {
            containers.push_back(&stack.back()->back());
            stack.push_back(&stack.back()->back().children);
        }
    }
    return top;
}

}  // namespace

std::vector<Packet> parse_all(ByteView data, ParseOptions options) { return build_tree(data, options); }

std::vector<Packet> parse_lossless(ByteView data, ParseOptions options) {
    options.keep_data = true;
    return build_tree(data, options);
}

}  // namespace pgpkit::packet
