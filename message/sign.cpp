#include "message/sign.h"

#include <memory>

#include "armor/armor.h"
#include "armor/cleartext.h"
#include "base/error.h"
#include "keygen/signature_builder.h"
#include "message/data_hasher.h"
#include "message/internal/checker.h"
#include "packet/byte_writer.h"
#include "packet/header.h"
#include "packet/simple_packets.h"

namespace pgpkit::message {

namespace {

using packet::SigType;
using packet::SubpacketType;

// The subpacket, octet and salt helpers of the signatures new keys get.
using keygen::be32;
using keygen::salt_size;
using keygen::subpacket;

/** A signature being made: its fields before the data, and the hasher of the data. */
struct Pending {
    const SigningKey* key = nullptr;
    packet::Signature sig;
    std::optional<DataHasher> hasher;
};

Pending start(const SigningKey& k, SigType type, std::uint32_t now, crypto::Rng& rng) {
    Pending p;
    p.key = &k;
    const packet::Key& key = k.material.key;
    packet::Signature& s = p.sig;
    s.version = key.version == 6 ? 6 : 4;
    s.sig_type = type;
    s.pk_algo = key.algo;
    s.hash_algo = k.hash;
    if (s.version == 6) {
        s.salt.resize(salt_size(s.hash_algo));
        rng.fill(s.salt);
    }
    Bytes fpr{s.version};
    fpr.insert(fpr.end(), key.fingerprint.begin(), key.fingerprint.end());
    s.hashed.push_back(subpacket(SubpacketType::IssuerFingerprint, std::move(fpr)));
    s.hashed.push_back(subpacket(SubpacketType::SignatureCreationTime, be32(now)));
    if (s.version == 4) s.unhashed.push_back(subpacket(SubpacketType::IssuerKeyId, Bytes(key.keyid.begin(), key.keyid.end())));
    p.hasher.emplace(s.hash_algo, type, s.salt);
    return p;
}

Bytes finish(Pending& p, crypto::Rng& rng) {
    const Bytes digest = p.hasher->finish(p.sig);
    p.sig.left16 = {digest.at(0), digest.at(1)};
    p.sig.fields = keygen::sign_digest(p.key->material, p.sig.hash_algo, digest, rng);
    Bytes body;
    packet::ByteWriter w(body);
    packet::write_signature(p.sig, w);
    Bytes out;
    packet::write_canonical_header(packet::Tag::Signature, body.size(), out);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

Bytes one_pass(const Pending& p, bool last) {
    packet::OnePassSig o;
    const packet::Key& key = p.key->material.key;
    o.version = p.sig.version == 6 ? 6 : 3;
    o.sig_type = p.sig.sig_type;
    o.hash_algo = p.sig.hash_algo;
    o.pk_algo = p.sig.pk_algo;
    std::copy(key.keyid.begin(), key.keyid.end(), o.keyid.begin());
    o.salt = p.sig.salt;
    o.fingerprint = key.fingerprint;
    o.last_flag = last ? 1 : 0;
    Bytes body;
    packet::ByteWriter w(body);
    packet::write_one_pass_sig(o, w);
    Bytes out;
    packet::write_canonical_header(packet::Tag::OnePassSig, body.size(), out);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

std::string class_hex(SigType t) {
    static constexpr char digits[] = "0123456789abcdef";
    const auto v = static_cast<unsigned>(t);
    return {digits[v >> 4], digits[v & 15]};
}

void created(const SignOptions& opt, const Pending& p) {
    const char* kind = opt.mode == SignMode::Detached ? "D" : opt.mode == SignMode::Cleartext ? "C" : "S";
    emit(opt.status, "SIG_CREATED",
         {kind, std::to_string(static_cast<unsigned>(p.sig.pk_algo)), std::to_string(static_cast<unsigned>(p.sig.hash_algo)),
          class_hex(p.sig.sig_type), std::to_string(opt.now), internal::hex(p.key->material.key.fingerprint)});
}

/** The output, armored or not. */
class Writer {
public:
    Writer(const std::function<void(ByteView)>& out, bool armor, const char* label) : m_out(out) {
        if (armor) m_armor = std::make_unique<armor::ArmorEncoder>(label, std::vector<armor::ArmorHeader>{});
    }
    void put(ByteView b) {
        if (!m_armor) return m_out(b);
        m_text.clear();
        m_armor->update(b, m_text);
        if (!m_text.empty()) m_out(as_bytes(m_text));
    }
    void close() {
        if (!m_armor) return;
        m_text.clear();
        m_armor->finish(m_text);
        m_out(as_bytes(m_text));
    }

private:
    const std::function<void(ByteView)>& m_out;
    std::unique_ptr<armor::ArmorEncoder> m_armor;
    std::string m_text;
};

void put_length(std::uint64_t n, Bytes& out) {
    if (n < 192) {
        out.push_back(static_cast<std::uint8_t>(n));
    } else if (n < 8384) {
        const std::uint64_t v = n - 192;
        out.push_back(static_cast<std::uint8_t>((v >> 8) + 192));
        out.push_back(static_cast<std::uint8_t>(v));
    } else {
        out.push_back(0xFF);
        const Bytes b = be32(static_cast<std::uint32_t>(n));
        out.insert(out.end(), b.begin(), b.end());
    }
}

/** Literal data in partial chunks of 8 KiB (RFC 9580 section 4.2.1.4), the last one definite. */
class LiteralWriter {
public:
    LiteralWriter(Writer& w, const SignOptions& opt) : m_w(w) {
        m_buf.push_back(opt.text ? 't' : 'b');
        const std::string name = opt.filename.substr(0, 255);
        m_buf.push_back(static_cast<std::uint8_t>(name.size()));
        m_buf.insert(m_buf.end(), name.begin(), name.end());
        const Bytes d = be32(opt.literal_date);
        m_buf.insert(m_buf.end(), d.begin(), d.end());
    }
    void put(ByteView b) {
        m_buf.insert(m_buf.end(), b.begin(), b.end());
        std::size_t at = 0;
        // A chunk goes out only when more follows it: the last part must be a definite length.
        while (m_buf.size() - at > chunk) {
            Bytes head;
            if (!m_started) head.push_back(0xC0 | static_cast<std::uint8_t>(packet::Tag::Literal));
            m_started = true;
            head.push_back(0xE0 | 13);
            m_w.put(head);
            m_w.put(ByteView(m_buf.data() + at, chunk));
            at += chunk;
        }
        m_buf.erase(m_buf.begin(), m_buf.begin() + static_cast<std::ptrdiff_t>(at));
    }
    void close() {
        Bytes head;
        if (!m_started) head.push_back(0xC0 | static_cast<std::uint8_t>(packet::Tag::Literal));
        put_length(m_buf.size(), head);
        m_w.put(head);
        m_w.put(m_buf);
    }

private:
    static constexpr std::size_t chunk = std::size_t{1} << 13;
    Writer& m_w;
    Bytes m_buf;
    bool m_started = false;
};

constexpr std::size_t read_buffer = std::size_t{1} << 16;

void sign_cleartext(packet::Source& data, std::vector<Pending>& sigs, const SignOptions& opt, crypto::Rng& rng,
                    const std::function<void(ByteView)>& out) {
    std::string text;
    std::vector<std::uint8_t> buf(read_buffer);
    for (std::size_t got; (got = data.read(buf)) != 0;) text.append(reinterpret_cast<const char*>(buf.data()), got);
    // The line end before the signature block is not part of the signed text (RFC 9580 section 7.1).
    if (!text.empty() && text.back() == '\n') text.pop_back();
    if (!text.empty() && text.back() == '\r') text.pop_back();
    const Bytes canonical = armor::signed_data(text);
    Bytes packets;
    std::vector<std::string> hashes;
    for (Pending& p : sigs) {
        p.hasher->update(canonical);
        const Bytes b = finish(p, rng);
        packets.insert(packets.end(), b.begin(), b.end());
        const std::string h = packet::hash_algo_name(p.sig.hash_algo);
        if (std::find(hashes.begin(), hashes.end(), h) == hashes.end()) hashes.push_back(h);
        created(opt, p);
    }
    const std::string msg = armor::write_cleartext(text, hashes, packets);
    out(as_bytes(msg));
}

}  // namespace

void sign(packet::Source& data, const std::vector<SigningKey>& keys, const SignOptions& opt, crypto::Rng& rng,
          const std::function<void(ByteView)>& out) {
    if (keys.empty()) throw Error(Errc::Usage, 0, "no signing key");
    const SigType type = opt.text || opt.mode == SignMode::Cleartext ? SigType::Text : SigType::Binary;
    std::vector<Pending> sigs;
    for (const SigningKey& k : keys) {
        // As gpg for -u: the certificate's secret key was considered (flag 2).
        emit(opt.status, "KEY_CONSIDERED", {internal::hex(k.primary_fpr), "2"});
    }
    for (const SigningKey& k : keys) {
        sigs.push_back(start(k, type, opt.now, rng));
        emit(opt.status, "BEGIN_SIGNING", {"H" + std::to_string(static_cast<unsigned>(k.hash))});
    }
    if (opt.mode == SignMode::Cleartext) return sign_cleartext(data, sigs, opt, rng, out);
    Writer w(out, opt.armor, opt.mode == SignMode::Detached ? "SIGNATURE" : "MESSAGE");
    std::optional<LiteralWriter> literal;
    if (opt.mode == SignMode::Inline) {
        for (std::size_t i = 0; i < sigs.size(); ++i) w.put(one_pass(sigs[i], i + 1 == sigs.size()));
        literal.emplace(w, opt);
    }
    std::vector<std::uint8_t> buf(read_buffer);
    Bytes text;
    bool after_cr = false;
    for (std::size_t got; (got = data.read(buf)) != 0;) {
        ByteView piece(buf.data(), got);
        if (literal && opt.text) {
            // Literal text ('t') holds CR LF line ends (RFC 9580 section 5.9), as gpg writes it.
            text.clear();
            for (std::uint8_t c : piece) {
                if (c == '\n' && !after_cr) text.push_back('\r');
                text.push_back(c);
                after_cr = c == '\r';
            }
            piece = text;
        }
        for (Pending& p : sigs) p.hasher->update(piece);
        if (literal) literal->put(piece);
    }
    if (literal) literal->close();
    // The signature of the last one-pass signature comes first.
    for (std::size_t i = sigs.size(); i-- > 0;) {
        w.put(finish(sigs[i], rng));
        created(opt, sigs[i]);
    }
    w.close();
}

}  // namespace pgpkit::message
