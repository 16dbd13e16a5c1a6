// decrypt(): the packets inside the encryption, compression unwrapped, literal data written.

#include <cstring>
#include <string>

#include "armor/armor.h"
#include "base/error.h"
#include "message/decrypt.h"
#include "message/seipd.h"
#include "packet/body_stream.h"
#include "packet/decompress.h"
#include "packet/header.h"
#include "packet/simple_packets.h"

namespace pgpkit::message {

namespace {

using packet::Tag;

class Inner {
public:
    Inner(const DecryptOptions& opt, ByteSink& out, DecryptResult& res) : m_opt(opt), m_out(out), m_res(res) {}

    void packets(packet::Source& src, unsigned depth, const packet::Source* outermost) {
        for (;;) {
            auto hdr = packet::read_header(src, false);
            if (!hdr) return;
            packet::BodyStream body(src, *hdr, src.offset(), 16);
            switch (hdr->tag) {
            case Tag::Literal: literal(body, *hdr); break;
            case Tag::CompressedData: compressed(body, depth, outermost); break;
            case Tag::OnePassSig:
            case Tag::Signature:
            case Tag::Marker:
            case Tag::Padding: break;  // signatures are the verifier's (see open_encrypted)
            default:
                throw Error(Errc::BadField, body.body_start(),
                            std::string("unexpected ") + packet::tag_name(hdr->tag) + " packet inside encrypted data");
            }
            body.drain();
        }
    }

private:
    void literal(packet::BodyStream& body, const packet::Header& hdr) {
        const Bytes head = packet::read_exact(body, 2, "literal data header");
        const Bytes name = packet::read_exact(body, head[1], "literal file name");
        const Bytes d = packet::read_exact(body, 4, "literal date");
        m_res.literal_format = head[0];
        m_res.literal_name.assign(name.begin(), name.end());
        m_res.literal_date = (std::uint32_t{d[0]} << 24) | (std::uint32_t{d[1]} << 16) | (std::uint32_t{d[2]} << 8) | d[3];
        char fmt[3];
        std::snprintf(fmt, sizeof fmt, "%X", head[0]);
        emit(m_opt.status, "PLAINTEXT",
             {fmt, std::to_string(m_res.literal_date), status_escape(m_res.literal_name, true)});
        if (hdr.definite())
            emit(m_opt.status, "PLAINTEXT_LENGTH", {std::to_string(hdr.length - 6 - head[1])});
        std::uint8_t buf[1 << 16];
        for (;;) {
            const std::size_t n = body.read(buf);
            if (n == 0) break;
            m_out.write({buf, n});
            m_res.plaintext_octets += n;
        }
    }

    void compressed(packet::BodyStream& body, unsigned depth, const packet::Source* outermost) {
        const Bytes algo = packet::read_exact(body, 1, "compression algorithm");
        if (depth + 1 > m_opt.limits.max_depth)
            throw Error(Errc::LimitExceeded, body.body_start(), "compressed data nested too deep");
        packet::DecompressionInput where{body.body_start() + 1, outermost};
        auto dec = packet::make_decompressor(static_cast<packet::CompressionAlgo>(algo[0]), body,
                                             m_opt.limits.decompression, where);
        if (!dec)
            throw Error(Errc::BadField, body.body_start(),
                        "unknown compression algorithm " + std::to_string(unsigned(algo[0])));
        packets(*dec, depth + 1, outermost ? outermost : &body);
    }

    const DecryptOptions& m_opt;
    ByteSink& m_out;
    DecryptResult& m_res;
};

bool is_manipulated(const Error& e) {
    return e.kind() == Errc::Crypto && e.detail().rfind(manipulated_text, 0) == 0;
}

/** After bad framing inside: whether the integrity check fails too (then that is the verdict). */
bool integrity_fails(packet::Source& inner) {
    try {
        std::uint8_t buf[1 << 14];
        while (inner.read(buf) != 0) {
        }
        return false;
    } catch (const Error& e) {
        return is_manipulated(e);
    }
}

void manipulated(EncryptedMessage& m, const DecryptOptions& opt) {
    DecryptResult& r = m.result();
    r.failure = DecryptFailure::Manipulated;
    r.detail = "WARNING: encrypted message has been manipulated!";
    if (opt.notes) opt.notes(r.detail);
    emit(opt.status, "BADMDC");
    emit(opt.status, "DECRYPTION_FAILED");
    emit(opt.status, "END_DECRYPTION");
}

DecryptResult run(packet::Source& input, ByteSink& out, const DecryptOptions& opt) {
    std::unique_ptr<EncryptedMessage> m = open_encrypted(input, opt);
    DecryptResult& r = m->result();
    if (!r.ok()) return r;
    if (m->unprotected()) {
        r.failure = DecryptFailure::NotProtected;
        r.detail = "WARNING: message was not integrity protected: refused";
        if (opt.notes) opt.notes(r.detail);
        emit(opt.status, "DECRYPTION_FAILED");
        emit(opt.status, "END_DECRYPTION");
        return r;
    }
    packet::Source& inner = *m->packets();
    try {
        if (opt.inner) {
            opt.inner(inner, out);
            std::uint8_t rest[1 << 14];
            while (inner.read(rest) != 0) {
            }  // to the end, where the MDC or the final AEAD tag is checked
        } else {
            Inner(opt, out, r).packets(inner, 0, nullptr);
        }
    } catch (const Error& e) {
        if (is_manipulated(e) || integrity_fails(inner)) {
            manipulated(*m, opt);
            return r;
        }
        emit(opt.status, "DECRYPTION_FAILED");
        emit(opt.status, "END_DECRYPTION");
        throw;
    }
    if (!m->verified()) {
        manipulated(*m, opt);
        return r;
    }
    out.finish();
    r.integrity_checked = true;
    emit(opt.status, "DECRYPTION_OKAY");
    emit(opt.status, "GOODMDC");
    emit(opt.status, "END_DECRYPTION");
    return r;
}

}  // namespace

DecryptResult decrypt(packet::Source& input, ByteSink& out, const DecryptOptions& opt) {
    const auto first = input.peek_view(1);
    const bool binary = first && !first->empty() && ((*first)[0] & 0x80);
    if (binary || !first || first->empty()) return run(input, out, opt);
    armor::DearmorSource text(input);
    return run(text, out, opt);
}

}  // namespace pgpkit::message
