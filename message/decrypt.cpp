// open_encrypted(): the ESK packets, the session key, and the decrypting source.

#include "message/decrypt.h"

#include <algorithm>
#include <string>

#include "base/bytes.h"
#include "base/error.h"
#include "cert/secret_key.h"
#include "message/internal/decrypt_notes.h"
#include "message/seipd.h"
#include "packet/body_stream.h"
#include "packet/byte_reader.h"
#include "packet/header.h"
#include "packet/simple_packets.h"

namespace pgpkit::message {

namespace {

using packet::Tag;
using KeyId = std::array<std::uint8_t, 8>;

constexpr std::size_t max_esk_size = std::size_t{1} << 16;

std::string hex_id(const KeyId& id) { return to_hex(ByteView(id.data(), id.size())); }

KeyId keyid_of(const packet::Pkesk& p) {
    KeyId id{};
    if (p.version == 3) return p.keyid;
    // v6: the key ID of a v6 key is the first eight octets of its fingerprint; of a v4 key the last.
    const Bytes& f = p.v6_fingerprint;
    if (f.size() >= 8) {
        const auto from = p.v6_key_version == 4 ? f.end() - 8 : f.begin();
        std::copy(from, from + 8, id.begin());
    }
    return id;
}

/** One ESK as read, in input order. */
struct Esk {
    std::optional<packet::Pkesk> pkesk;
    std::optional<packet::Skesk> skesk;
};

/** A session key with where it came from (for gpg's failure wording). */
struct Candidate {
    SessionKey key;
    bool from_passphrase = false;
};

class Opened final : public EncryptedMessage {
public:
    Opened(packet::Source& input, packet::Header hdr, std::uint64_t body_at)
        : m_hdr(std::move(hdr)), m_body(input, m_hdr, body_at) {}
    packet::Source* packets() noexcept override { return m_result.failure == DecryptFailure::None ? m_reader.get() : nullptr; }
    DecryptResult& result() noexcept override { return m_result; }
    bool verified() const noexcept override {
        if (m_v1) return m_v1->verified();
        if (m_aead) return m_aead->verified();
        return false;
    }
    bool unprotected() const noexcept override { return m_unprotected; }

    packet::Header m_hdr;
    packet::BodyStream m_body;
    std::unique_ptr<packet::Source> m_keep;  ///< what the reader reads from, when not m_body
    std::unique_ptr<packet::Source> m_reader;
    SeipdV1Reader* m_v1 = nullptr;
    AeadReader* m_aead = nullptr;
    bool m_unprotected = false;
    DecryptResult m_result;
};

/** The data packet's parameters read before any session key is tried. */
struct DataHead {
    Tag tag = Tag::Seipd;
    packet::Seipd seipd;
    packet::OcbEncrypted ocb;
    Bytes prefix;  ///< CFB packets: the first block + 2 octets of ciphertext (read when the cipher is known)
};

DataHead read_data_head(Opened& m, Tag tag) {
    DataHead d;
    d.tag = tag;
    auto take = [&](std::size_t n, std::string_view what) { return packet::read_exact(m.m_body, n, what); };
    if (tag == Tag::Seipd) {
        d.seipd.version = take(1, "SEIPD version")[0];
        if (d.seipd.version == 2) {
            const Bytes h = take(3, "SEIPD v2 parameters");
            d.seipd.sym_algo = static_cast<packet::SymAlgo>(h[0]);
            d.seipd.aead_algo = static_cast<packet::AeadAlgo>(h[1]);
            d.seipd.chunk_size = h[2];
            d.seipd.salt = take(32, "SEIPD v2 salt");
        } else if (d.seipd.version != 1) {
            throw Error(Errc::BadField, m.m_body.body_start(),
                        "unknown SEIPD version " + std::to_string(d.seipd.version));
        }
    } else if (tag == Tag::OcbEncrypted) {
        const Bytes h = take(4, "OCB encrypted data parameters");
        d.ocb.version = h[0];
        d.ocb.sym_algo = static_cast<packet::SymAlgo>(h[1]);
        d.ocb.aead_algo = static_cast<packet::AeadAlgo>(h[2]);
        d.ocb.chunk_size = h[3];
        if (d.ocb.version != 1) throw Error(Errc::BadField, m.m_body.body_start(), "unknown OCB packet version");
        const auto mode = aead_of(d.ocb.aead_algo);
        if (!mode) throw Error(Errc::BadField, m.m_body.body_start(), "unknown AEAD mode of OCB packet");
        d.ocb.iv = take(crypto::aead_nonce_size(*mode), "AEAD IV");
    }
    return d;
}

bool is_aead(const DataHead& d) { return d.tag == Tag::OcbEncrypted || (d.tag == Tag::Seipd && d.seipd.version == 2); }

/** Reads ESK packets up to the encrypted data packet; returns its header. */
packet::Header read_esks(packet::Source& in, std::vector<Esk>& esks, std::uint64_t& body_at) {
    for (std::size_t index = 0;; ++index) {
        const std::uint64_t at = in.offset();
        auto hdr = packet::read_header(in, false);
        if (!hdr) {
            if (index == 0) throw Error(Errc::BadField, at, "no OpenPGP data found");
            throw Error(Errc::BadField, at, "no encrypted data packet after " + std::to_string(index) + " packets");
        }
        const Tag t = hdr->tag;
        if (t == Tag::Seipd || t == Tag::Sed || t == Tag::OcbEncrypted) {
            body_at = in.offset();
            return *hdr;
        }
        if (t != Tag::Pkesk && t != Tag::Skesk && t != Tag::Marker && t != Tag::Padding)
            throw Error(Errc::BadField, at,
                        "not an encrypted message: packet " + std::to_string(index) + " is a " + packet::tag_name(t) +
                            " packet, not a session key or encrypted data packet");
        if (!hdr->definite() || hdr->length > max_esk_size)
            throw Error(Errc::BadLength, at, std::string(packet::tag_name(t)) + " packet of unsupported length");
        const std::uint64_t body = in.offset();
        const Bytes data = packet::read_exact(in, static_cast<std::size_t>(hdr->length), packet::tag_name(t));
        packet::ByteReader r(data, body);
        try {
            Esk e;
            if (t == Tag::Pkesk) e.pkesk = packet::parse_pkesk(r);
            if (t == Tag::Skesk) e.skesk = packet::parse_skesk(r);
            if (e.pkesk || e.skesk) esks.push_back(std::move(e));  // unknown versions are skipped, as gpg does
        } catch (Error& err) {
            throw err.in_packet(index, static_cast<std::uint8_t>(t));
        }
    }
}

}  // namespace

namespace {

/** Yields `head` first, then the rest of `rest`. */
class PrependSource final : public packet::Source {
public:
    PrependSource(Bytes head, packet::Source& rest) : m_head(std::move(head)), m_rest(rest) {}
    std::size_t read(std::span<std::uint8_t> buf) override {
        std::size_t n = 0;
        if (m_pos < m_head.size()) {
            n = std::min(buf.size(), m_head.size() - m_pos);
            std::copy_n(m_head.begin() + static_cast<std::ptrdiff_t>(m_pos), n, buf.begin());
            m_pos += n;
        } else {
            n = m_rest.read(buf);
        }
        m_offset += n;
        return n;
    }

private:
    Bytes m_head;
    std::size_t m_pos = 0;
    packet::Source& m_rest;
};

/** Finds session keys in the ESKs, emitting gpg's lines as gpg does while it reads them. */
class KeySearch {
public:
    KeySearch(const DecryptOptions& opt) : m_opt(opt) {}

    std::vector<Candidate> run(const std::vector<Esk>& esks) {
        std::vector<Pending> pending;
        for (const Esk& e : esks) {
            if (e.pkesk) {
                const KeyId id = keyid_of(*e.pkesk);
                emit(m_opt.status, "ENC_TO", {hex_id(id), std::to_string(unsigned(e.pkesk->algo)), "0"});
                pending.push_back(pkesk(*e.pkesk, id));
            } else if (e.skesk && m_found.empty() && !m_opt.override_key) {
                skesk(*e.skesk);
            }
        }
        for (const Pending& p : pending) {
            note(internal::encrypted_with_note(p.algo, hex_id(p.id), p.cert ? &*p.cert : nullptr, p.key ? &p.key->key : nullptr));
            if (!p.have_secret) emit(m_opt.status, "NO_SECKEY", {hex_id(p.id)});
        }
        if (m_opt.override_key) return {Candidate{*m_opt.override_key, false}};
        return std::move(m_found);
    }

private:
    struct FoundKey {
        packet::Key key;
    };
    struct Pending {
        KeyId id{};
        packet::PubkeyAlgo algo{};
        std::optional<cert::Cert> cert;
        std::optional<FoundKey> key;
        bool have_secret = false;
    };

    void note(const std::string& s) const {
        if (m_opt.notes) m_opt.notes(s);
    }

    Pending pkesk(const packet::Pkesk& p, const KeyId& id) {
        Pending out{id, p.algo, std::nullopt, std::nullopt, false};
        if (!m_opt.keys) return out;
        const bool anonymous = std::all_of(id.begin(), id.end(), [](std::uint8_t b) { return b == 0; });
        for (cert::Tsk& tsk : m_opt.keys->secret_keys(id)) {
            std::vector<const cert::Component*> comps{&tsk.primary};
            for (const cert::Component& c : tsk.components)
                if (c.kind == cert::ComponentKind::Subkey) comps.push_back(&c);
            for (const cert::Component* c : comps) {
                const packet::Key* k = c->key();
                if (!k || (anonymous ? !can_encrypt_to(*k) : k->keyid != id)) continue;
                if (!out.key) out.key = FoundKey{*k};
                if (!out.cert) out.cert = tsk;
                if (try_key(p, tsk, *c, out)) return out;
            }
        }
        if (!out.cert) out.cert = m_opt.keys->certificate(id);
        if (!out.key && out.cert) {
            for (const cert::Component* c : packets_keys(*out.cert))
                if (c->key()->keyid == id) out.key = FoundKey{*c->key()};
        }
        return out;
    }

    static std::vector<const cert::Component*> packets_keys(const cert::Cert& c) {
        std::vector<const cert::Component*> out{&c.primary};
        for (const cert::Component& s : c.components)
            if (s.kind == cert::ComponentKind::Subkey) out.push_back(&s);
        return out;
    }

    bool try_key(const packet::Pkesk& p, const cert::Tsk& tsk, const cert::Component& c, Pending& out) {
        const packet::Key& k = *c.key();
        const cert::SecretKind kind = cert::secret_kind(k);
        if (kind != cert::SecretKind::Cleartext && kind != cert::SecretKind::Encrypted) return false;
        out.have_secret = true;
        if (!m_found.empty()) return true;  // a session key is known: gpg does not try more keys
        if (kind == cert::SecretKind::Encrypted && !m_opt.passphrase) {
            note("no passphrase given to unlock key " + to_hex(ByteView(k.keyid.data(), 8)));
            return false;
        }
        cert::SecretFields fields;
        try {
            fields = cert::unprotect(k, c.head.header.tag, m_opt.passphrase ? *m_opt.passphrase : SecretBytes{});
        } catch (const Error& e) {
            note("public key decryption failed: " + e.detail());
            return false;
        }
        auto sk = open_pkesk(p, k, fields);
        if (!sk) {
            note("public key decryption failed: wrong secret key or corrupt session key packet");
            return false;
        }
        emit(m_opt.status, "DECRYPTION_KEY", {to_hex(k.fingerprint), to_hex(tsk.fingerprint()), "-"});
        m_found.push_back(Candidate{std::move(*sk), false});
        return true;
    }

    void skesk(const packet::Skesk& s) {
        emit(m_opt.status, "NEED_PASSPHRASE_SYM",
             {std::to_string(unsigned(s.sym_algo)), std::to_string(unsigned(s.s2k.type)),
              std::to_string(unsigned(s.s2k.hash_algo))});
        const std::string mode = s.version == 6 ? packet::aead_algo_name(s.aead_algo) : "CFB";
        note(internal::gpg_cipher_name(s.sym_algo) + "." + mode + " encrypted " +
             (s.version == 4 && s.esk.empty() ? "data" : "session key"));
        note("encrypted with 1 passphrase");
        if (!m_opt.passphrase) return;
        if (auto sk = open_skesk(s, *m_opt.passphrase, m_opt.s2k_limits)) m_found.push_back(Candidate{std::move(*sk), true});
    }

    const DecryptOptions& m_opt;
    std::vector<Candidate> m_found;
};

void fail_open(Opened& m, const DecryptOptions& opt, DecryptFailure f, const std::string& why) {
    m.m_result.failure = f;
    m.m_result.detail = why;
    if (opt.notes) opt.notes(why);
    emit(opt.status, "DECRYPTION_FAILED");
    emit(opt.status, "END_DECRYPTION");
}

void show_key(const DecryptOptions& opt, const SessionKey& sk) {
    if (!opt.show_session_key) return;
    emit(opt.status, "SESSION_KEY", {session_key_text(sk)});
    if (opt.notes) opt.notes("session key: '" + session_key_text(sk) + "'");
}

/** CFB packets: the first candidate that passes the quick check. */
void open_cfb(Opened& m, const DecryptOptions& opt, std::vector<Candidate>& cands) {
    const auto first = cipher_of(cands.front().key.algo);
    emit(opt.status, "DECRYPTION_INFO",
         {m.m_hdr.tag == Tag::Seipd ? "2" : "0", std::to_string(unsigned(cands.front().key.algo)), "0"});
    Bytes ahead(18);
    ahead.resize(m.m_body.read_full(ahead));
    for (Candidate& c : cands) {
        const auto cipher = cipher_of(c.key.algo);
        if (!cipher || c.key.key.size() != crypto::cipher_key_size(*cipher)) continue;
        const std::size_t n = crypto::cipher_block_size(*cipher) + 2;
        if (ahead.size() < n) throw Error(Errc::Truncated, m.m_body.body_start(), "encrypted data cut short");
        const ByteView prefix(ahead.data(), n);
        if (!cfb_quick_check(*cipher, c.key.key, prefix)) continue;
        m.m_result.session_key = c.key;
        show_key(opt, c.key);
        auto rest = std::make_unique<PrependSource>(Bytes(ahead.begin() + static_cast<std::ptrdiff_t>(n), ahead.end()),
                                                    m.m_body);
        packet::Source& src = *rest;
        m.m_keep = std::move(rest);
        if (m.m_hdr.tag == Tag::Seipd) {
            auto r = std::make_unique<SeipdV1Reader>(src, *cipher, c.key.key, prefix);
            m.m_v1 = r.get();
            m.m_reader = std::move(r);
        } else {
            m.m_reader = std::make_unique<SedReader>(src, *cipher, c.key.key, prefix);
            m.m_unprotected = true;
        }
        return;
    }
    (void)first;
    const bool all_pass = std::all_of(cands.begin(), cands.end(), [](const Candidate& c) { return c.from_passphrase; });
    if (all_pass) emit(opt.status, "ERROR", {"symkey_decrypt.maybe_error", "11_BAD_PASSPHRASE"});
    fail_open(m, opt, DecryptFailure::BadSessionKey, "decryption failed: Bad session key");
}

void open_aead(Opened& m, const DecryptOptions& opt, const DataHead& d, std::vector<Candidate>& cands) {
    const bool v2 = d.tag == Tag::Seipd;
    const packet::SymAlgo sym = v2 ? d.seipd.sym_algo : d.ocb.sym_algo;
    const packet::AeadAlgo aead = v2 ? d.seipd.aead_algo : d.ocb.aead_algo;
    emit(opt.status, "DECRYPTION_INFO", {"0", std::to_string(unsigned(sym)), std::to_string(unsigned(aead))});
    SessionKey sk = cands.front().key;
    if (v2) sk.algo = sym;  // v6 ESKs do not name the cipher; SEIPD v2 does
    m.m_result.session_key = sk;
    show_key(opt, sk);
    std::unique_ptr<AeadReader> r = v2 ? std::make_unique<AeadReader>(m.m_body, d.seipd, sk.key)
                                       : std::make_unique<AeadReader>(m.m_body, d.ocb, sk.key);
    m.m_aead = r.get();
    m.m_reader = std::move(r);
}

}  // namespace

std::unique_ptr<EncryptedMessage> open_encrypted(packet::Source& input, const DecryptOptions& opt) {
    std::vector<Esk> esks;
    std::uint64_t body_at = 0;
    packet::Header hdr = read_esks(input, esks, body_at);
    auto m = std::make_unique<Opened>(input, hdr, body_at);
    const DataHead d = read_data_head(*m, hdr.tag);
    std::vector<Candidate> cands = KeySearch(opt).run(esks);
    emit(opt.status, "BEGIN_DECRYPTION");
    if (cands.empty()) {
        fail_open(*m, opt, DecryptFailure::NoSessionKey, "decryption failed: No secret key");
        return m;
    }
    if (is_aead(d)) open_aead(*m, opt, d, cands);
    else open_cfb(*m, opt, cands);
    return m;
}

}  // namespace pgpkit::message
