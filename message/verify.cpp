#include "message/verify.h"

#include <algorithm>
#include <memory>

#include "armor/armor.h"
#include "armor/cleartext.h"
#include "base/error.h"
#include "message/data_hasher.h"
#include "message/internal/checker.h"
#include "message/reader.h"

namespace pgpkit::message {

using internal::Checker;

const char* trust_keyword(TrustLevel t) noexcept {
    switch (t) {
    case TrustLevel::Undefined: return "TRUST_UNDEFINED";
    case TrustLevel::Never: return "TRUST_NEVER";
    case TrustLevel::Marginal: return "TRUST_MARGINAL";
    case TrustLevel::Fully: return "TRUST_FULLY";
    case TrustLevel::Ultimate: return "TRUST_ULTIMATE";
    }
    return "TRUST_UNDEFINED";
}

const char* trust_word(TrustLevel t) noexcept {
    switch (t) {
    case TrustLevel::Undefined: return "unknown";
    case TrustLevel::Never: return "never";
    case TrustLevel::Marginal: return "marginal";
    case TrustLevel::Fully: return "full";
    case TrustLevel::Ultimate: return "ultimate";
    }
    return "unknown";
}

std::string gpg_algo_name(packet::PubkeyAlgo algo) {
    using packet::PubkeyAlgo;
    switch (algo) {
    case PubkeyAlgo::Rsa: case PubkeyAlgo::RsaEncryptOnly: case PubkeyAlgo::RsaSignOnly: return "RSA";
    case PubkeyAlgo::Dsa: return "DSA";
    case PubkeyAlgo::Elgamal: case PubkeyAlgo::ElgamalSignEncrypt: return "ELG";
    case PubkeyAlgo::Ecdsa: return "ECDSA";
    case PubkeyAlgo::Ecdh: return "ECDH";
    case PubkeyAlgo::EdDsaLegacy: return "EDDSA";
    case PubkeyAlgo::Ed25519: return "ED25519";
    case PubkeyAlgo::Ed448: return "ED448";
    default: return "?";
    }
}

CertLookup lookup_in(keyring::Sources& sources) {
    return [&sources](const Bytes& keyid) { return sources.certs_with_keys({keyid}); };
}

CertLookup lookup_in(const std::vector<cert::Cert>& certs) {
    return [&certs](const Bytes& keyid) {
        std::vector<cert::Cert> out;
        for (const cert::Cert& c : certs) {
            bool has = std::equal(keyid.begin(), keyid.end(), c.key().keyid.begin(), c.key().keyid.end());
            for (const cert::Component* k : c.of_kind(cert::ComponentKind::Subkey))
                has = has || std::equal(keyid.begin(), keyid.end(), k->key()->keyid.begin(), k->key()->keyid.end());
            if (has) out.push_back(c);
        }
        return out;
    };
}

bool VerifyResult::all_good() const noexcept {
    if (sigs.empty()) return false;
    // gpg: an expired signature is not good; one by a key expired or revoked since is.
    for (const SignatureReport& r : sigs)
        if (r.outcome != SigOutcome::Good || r.sig_expired) return false;
    return true;
}

namespace {

/** A signature with the hasher of its data; the hasher is absent when it could not be made. */
struct Hashing {
    std::optional<DataHasher> hasher;
    std::string why;
};

Hashing start_hashing(packet::HashAlgo algo, packet::SigType type, ByteView salt) {
    Hashing h;
    try {
        h.hasher.emplace(algo, type, salt);
    } catch (const Error& e) {
        h.why = e.detail();
    }
    return h;
}

SignatureReport check_with(Checker& checker, const packet::Signature& sig, Hashing& h) {
    std::optional<Bytes> digest;
    if (h.hasher) digest = h.hasher->finish(sig);
    return checker.check(sig, digest, h.why);
}

constexpr std::size_t read_buffer = std::size_t{1} << 16;

}  // namespace

VerifyResult verify_detached(packet::Source& signature, packet::Source& data, const VerifyOptions& opt) {
    const std::vector<SignaturePacket> sigs = read_signatures(signature, opt.limits);
    std::vector<Hashing> hashing;
    for (const SignaturePacket& s : sigs)
        hashing.push_back(s.sig ? start_hashing(s.sig->hash_algo, s.sig->sig_type, s.sig->salt) : Hashing{});
    std::vector<std::uint8_t> buf(read_buffer);
    for (;;) {
        const std::size_t got = data.read(buf);
        if (got == 0) break;
        for (Hashing& h : hashing)
            if (h.hasher) h.hasher->update(ByteView(buf.data(), got));
    }
    VerifyResult out;
    Checker checker(opt);
    for (std::size_t i = 0; i < sigs.size(); ++i)
        if (sigs[i].sig) out.sigs.push_back(check_with(checker, *sigs[i].sig, hashing[i]));
    return out;
}

namespace {

void emit_plaintext(const VerifyOptions& opt, const packet::Literal& l, std::optional<std::uint64_t> length) {
    if (!opt.output) return;
    static constexpr char digits[] = "0123456789abcdef";
    emit(opt.status, "PLAINTEXT",
         {std::string{digits[l.format >> 4], digits[l.format & 15]}, std::to_string(l.date),
          status_escape(std::string(l.filename.begin(), l.filename.end()), true)});
    if (length) emit(opt.status, "PLAINTEXT_LENGTH", {std::to_string(*length)});
}

/** Inline signed messages: one-pass signatures before the data, or signatures before it. */
class InlineVerifier {
public:
    InlineVerifier(const VerifyOptions& opt, VerifyResult& out) : m_opt(opt), m_out(out), m_checker(opt) {}

    MessageEvents events() {
        MessageEvents ev;
        ev.one_pass = [this](const packet::OnePassSig& ops) {
            if (m_out.literal) throw Error(Errc::BadField, 0, "one-pass signature after the literal data");
            m_ops.push_back(ops);
        };
        ev.signature = [this](packet::Signature&& s, std::size_t) { signature(std::move(s)); };
        ev.literal_start = [this](const packet::Literal& l, std::optional<std::uint64_t> length) {
            m_out.literal = l;
            for (const packet::OnePassSig& o : m_ops) m_ops_hash.push_back(start_hashing(o.hash_algo, o.sig_type, o.salt));
            for (const packet::Signature& s : m_prefix) m_prefix_hash.push_back(start_hashing(s.hash_algo, s.sig_type, s.salt));
            emit_plaintext(m_opt, l, length);
        };
        ev.literal_data = [this](ByteView d) {
            for (Hashing& h : m_ops_hash)
                if (h.hasher) h.hasher->update(d);
            for (Hashing& h : m_prefix_hash)
                if (h.hasher) h.hasher->update(d);
            if (m_opt.output) write_out(d);
        };
        ev.literal_end = [this](std::uint64_t n) {
            m_out.literal_length = n;
            for (std::size_t i = 0; i < m_prefix.size(); ++i)
                m_out.sigs.push_back(check_with(m_checker, m_prefix[i], m_prefix_hash[i]));
        };
        return ev;
    }

    /** After the last packet; `end` is the offset of the end of the input. */
    void finish(std::uint64_t end) {
        if (!m_out.literal) throw Error(Errc::BadField, end, "no signed data found (no literal data packet; a detached signature needs its data file too)");
        if (m_out.sigs.empty() && m_opt.require_signature) throw Error(Errc::BadField, end, "no signature found");
        if (!m_ops_hash.empty())
            throw Error(Errc::Truncated, end,
                        std::to_string(m_ops_hash.size()) + " one-pass signature(s) without their signature packet");
    }

private:
    /** Literal text ('t', 'u') goes out with native line ends: gpg drops every CR. */
    void write_out(ByteView d) {
        const std::uint8_t f = m_out.literal->format;
        if (f != 't' && f != 'u') return m_opt.output(d);
        m_text.clear();
        for (std::uint8_t c : d)
            if (c != '\r') m_text.push_back(c);
        m_opt.output(m_text);
    }

    void signature(packet::Signature&& s) {
        if (!m_out.literal) {
            m_prefix.push_back(std::move(s));
            return;
        }
        if (m_ops_hash.empty()) throw Error(Errc::BadField, 0, "signature after the literal data without a one-pass signature");
        // The last one-pass signature belongs to the first signature after the data.
        Hashing h = std::move(m_ops_hash.back());
        const packet::OnePassSig ops = m_ops.back();
        m_ops_hash.pop_back();
        m_ops.pop_back();
        if (ops.sig_type != s.sig_type || ops.hash_algo != s.hash_algo || ops.pk_algo != s.pk_algo) {
            h.hasher.reset();
            h.why = "signature does not match its one-pass signature";
        }
        m_out.sigs.push_back(check_with(m_checker, s, h));
    }

    const VerifyOptions& m_opt;
    VerifyResult& m_out;
    Checker m_checker;
    std::vector<packet::OnePassSig> m_ops;
    std::vector<Hashing> m_ops_hash;
    std::vector<packet::Signature> m_prefix;
    std::vector<Hashing> m_prefix_hash;
    Bytes m_text;
};

VerifyResult verify_cleartext(packet::Source& input, const VerifyOptions& opt) {
    Bytes all;
    std::vector<std::uint8_t> buf(read_buffer);
    for (std::size_t got; (got = input.read(buf)) != 0;) {
        if (all.size() + got > opt.limits.max_kept_payload)
            throw Error(Errc::LimitExceeded, all.size(),
                        "cleartext message larger than " + std::to_string(opt.limits.max_kept_payload) +
                            " octets (limit max_kept_payload)");
        all.insert(all.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(got));
    }
    const armor::CleartextMessage msg = armor::parse_cleartext(all);
    packet::MemorySource sigsrc(msg.signature);
    const std::vector<SignaturePacket> sigs = read_signatures(sigsrc, opt.limits);
    const Bytes signed_text = armor::signed_data(msg.text);
    if (opt.output) {
        std::string text = msg.text;
        text += '\n';
        opt.output(as_bytes(text));
    }
    VerifyResult out;
    Checker checker(opt);
    for (const SignaturePacket& s : sigs) {
        if (!s.sig) continue;
        Hashing h = start_hashing(s.sig->hash_algo, s.sig->sig_type, s.sig->salt);
        if (h.hasher) h.hasher->update(signed_text);
        out.sigs.push_back(check_with(checker, *s.sig, h));
    }
    return out;
}

}  // namespace

VerifyResult verify_message(packet::Source& input, const VerifyOptions& opt) {
    SniffSource sniff(input);
    const InputForm form = detect_form(sniff.head());
    if (form == InputForm::Cleartext) return verify_cleartext(sniff, opt);
    std::unique_ptr<armor::DearmorSource> dearmor;
    packet::Source* in = &sniff;
    if (form == InputForm::Armored) {
        dearmor = std::make_unique<armor::DearmorSource>(sniff);
        in = dearmor.get();
    }
    return verify_packets(*in, opt);
}

VerifyResult verify_packets(packet::Source& packets, const VerifyOptions& opt) {
    VerifyResult out;
    InlineVerifier v(opt, out);
    walk_message(packets, opt.limits, v.events());
    v.finish(packets.offset());
    return out;
}

bool is_detached_signature(packet::Source& signature, const packet::Limits& limits) {
    try {
        (void)read_signatures(signature, limits);
        return true;
    } catch (const Error&) {
        return false;
    }
}

}  // namespace pgpkit::message
