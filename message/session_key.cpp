#include "message/session_key.h"

#include <algorithm>
#include <cctype>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/data_cipher.h"
#include "crypto/hash.h"
#include "crypto/pk_encrypt.h"
#include "message/internal/esk_fields.h"
#include "packet/byte_writer.h"
#include "packet/sig_hash.h"

namespace pgpkit::message {

using packet::PubkeyAlgo;
using packet::SymAlgo;

std::optional<crypto::CipherKind> cipher_of(SymAlgo a) noexcept {
    using C = crypto::CipherKind;
    switch (a) {
    case SymAlgo::Idea: return C::Idea;
    case SymAlgo::TripleDes: return C::TripleDes;
    case SymAlgo::Cast5: return C::Cast5;
    case SymAlgo::Blowfish: return C::Blowfish;
    case SymAlgo::Aes128: return C::Aes128;
    case SymAlgo::Aes192: return C::Aes192;
    case SymAlgo::Aes256: return C::Aes256;
    case SymAlgo::Twofish: return C::Twofish;
    case SymAlgo::Camellia128: return C::Camellia128;
    case SymAlgo::Camellia192: return C::Camellia192;
    case SymAlgo::Camellia256: return C::Camellia256;
    default: return std::nullopt;
    }
}

std::optional<crypto::AeadKind> aead_of(packet::AeadAlgo a) noexcept {
    switch (a) {
    case packet::AeadAlgo::Eax: return crypto::AeadKind::Eax;
    case packet::AeadAlgo::Ocb: return crypto::AeadKind::Ocb;
    case packet::AeadAlgo::Gcm: return crypto::AeadKind::Gcm;
    }
    return std::nullopt;
}

std::string session_key_text(const SessionKey& sk) {
    return std::to_string(static_cast<unsigned>(sk.algo)) + ":" + to_hex(sk.key);
}

SessionKey parse_session_key_text(std::string_view text) {
    const auto bad = [&] { return Error(Errc::Usage, 0, "session key not in the form ALGO:HEX"); };
    const std::size_t colon = text.find(':');
    if (colon == 0 || colon == std::string_view::npos || colon > 3) throw bad();
    unsigned algo = 0;
    for (char c : text.substr(0, colon)) {
        if (!std::isdigit(static_cast<unsigned char>(c))) throw bad();
        algo = algo * 10 + static_cast<unsigned>(c - '0');
    }
    const std::string_view hex = text.substr(colon + 1);
    if (algo > 255 || hex.empty() || hex.size() % 2) throw bad();
    SessionKey sk;
    sk.algo = static_cast<SymAlgo>(algo);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        int v = 0;
        for (char c : hex.substr(i, 2)) {
            const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                          : std::isxdigit(static_cast<unsigned char>(c)) ? (std::tolower(c) - 'a' + 10) : -1;
            if (d < 0) throw bad();
            v = v * 16 + d;
        }
        sk.key.push_back(static_cast<std::uint8_t>(v));
    }
    const auto cipher = cipher_of(sk.algo);
    if (!cipher) throw Error(Errc::Usage, 0, "session key of unknown cipher " + std::to_string(algo));
    if (sk.key.size() != crypto::cipher_key_size(*cipher))
        throw Error(Errc::Usage, 0, "session key of " + std::to_string(sk.key.size()) + " octets for cipher " +
                                        std::to_string(algo));
    return sk;
}

SessionKey random_session_key(SymAlgo algo, crypto::Rng& rng) {
    const auto cipher = cipher_of(algo);
    if (!cipher) throw Error(Errc::Usage, 0, "unknown cipher " + std::to_string(static_cast<unsigned>(algo)));
    SessionKey sk{algo, SecretBytes(crypto::cipher_key_size(*cipher))};
    rng.fill(sk.key);
    return sk;
}

namespace {

/** The checksum of RFC 9580 section 5.1: sum of the key octets mod 65536. */
std::uint16_t key_checksum(ByteView key) noexcept {
    unsigned sum = 0;
    for (std::uint8_t b : key) sum += b;
    return static_cast<std::uint16_t>(sum & 0xFFFF);
}

/** algo (v3) || key || checksum. */
SecretBytes esk_plain(const SessionKey& sk, std::uint8_t version) {
    SecretBytes m;
    if (version == 3) m.push_back(static_cast<std::uint8_t>(sk.algo));
    m.insert(m.end(), sk.key.begin(), sk.key.end());
    const std::uint16_t ck = key_checksum(sk.key);
    m.push_back(static_cast<std::uint8_t>(ck >> 8));
    m.push_back(static_cast<std::uint8_t>(ck));
    return m;
}

std::optional<SessionKey> parse_esk_plain(ByteView m, std::uint8_t version) {
    const std::size_t head = version == 3 ? 1 : 0;
    if (m.size() < head + 2 + 1) return std::nullopt;
    SessionKey sk;
    if (version == 3) sk.algo = static_cast<SymAlgo>(m[0]);
    sk.key.assign(m.begin() + static_cast<std::ptrdiff_t>(head), m.end() - 2);
    const std::uint16_t ck = static_cast<std::uint16_t>((m[m.size() - 2] << 8) | m[m.size() - 1]);
    if (ck != key_checksum(sk.key)) return std::nullopt;
    if (version == 3) {
        const auto cipher = cipher_of(sk.algo);
        if (!cipher || crypto::cipher_key_size(*cipher) != sk.key.size()) return std::nullopt;
    }
    return sk;
}

packet::AlgoField mpi_field(std::string_view name, ByteView value) {
    packet::AlgoField f;
    f.name = name;
    f.kind = packet::FieldKind::Mpi;
    std::size_t i = 0;
    while (i < value.size() && value[i] == 0) ++i;
    f.data.assign(value.begin() + static_cast<std::ptrdiff_t>(i), value.end());
    f.mpi_bits = packet::effective_bits_of(f.data);
    return f;
}

packet::AlgoField octets_field(std::string_view name, packet::FieldKind kind, ByteView value) {
    packet::AlgoField f;
    f.name = name;
    f.kind = kind;
    f.data.assign(value.begin(), value.end());
    return f;
}

/** PKCS#5 padding to a multiple of 8 octets (RFC 6637 section 8). */
void pad8(SecretBytes& m) {
    const std::size_t n = 8 - m.size() % 8;
    m.insert(m.end(), n, static_cast<std::uint8_t>(n));
}

std::optional<SecretBytes> unpad8(SecretBytes m) {
    if (m.empty()) return std::nullopt;
    const std::uint8_t n = m.back();
    if (n == 0 || n > 8 || n > m.size()) return std::nullopt;
    for (std::size_t i = m.size() - n; i < m.size(); ++i)
        if (m[i] != n) return std::nullopt;
    m.resize(m.size() - n);
    return m;
}

/** HKDF input of X25519 (RFC 9580 section 5.1.6): ephemeral || recipient || shared. */
SecretBytes x25519_kek(ByteView ephemeral, ByteView recipient, const SecretBytes& shared) {
    SecretBytes ikm(ephemeral.begin(), ephemeral.end());
    ikm.insert(ikm.end(), recipient.begin(), recipient.end());
    ikm.insert(ikm.end(), shared.begin(), shared.end());
    static constexpr std::string_view info = "OpenPGP X25519";
    return crypto::hkdf_sha256(ikm, as_bytes(info), 16);
}

}  // namespace

bool can_encrypt_to(const packet::Key& key) noexcept {
    try {
        switch (key.algo) {
        case PubkeyAlgo::Rsa:
        case PubkeyAlgo::RsaEncryptOnly: return internal::rsa_public(key).has_value();
        case PubkeyAlgo::Elgamal:
        case PubkeyAlgo::ElgamalSignEncrypt: return internal::elgamal_public(key).has_value();
        case PubkeyAlgo::Ecdh: return internal::ecdh_public(key).has_value();
        case PubkeyAlgo::X25519: return internal::field(key.fields, "public") != nullptr;
        default: return false;
        }
    } catch (const Error&) {
        return false;
    }
}

packet::Pkesk make_pkesk(const packet::Key& recipient, const SessionKey& sk, std::uint8_t version, crypto::Rng& rng) {
    if (version != 3 && version != 6) throw Error(Errc::Usage, 0, "PKESK version " + std::to_string(version));
    packet::Pkesk p;
    p.version = version;
    p.algo = recipient.algo;
    if (version == 3) {
        p.keyid = recipient.keyid;
    } else {
        p.v6_key_version = recipient.version;
        p.v6_fingerprint = recipient.fingerprint;
        p.v6_info_len = static_cast<std::uint8_t>(1 + recipient.fingerprint.size());
    }
    const auto bad_key = [&] { return Error(Errc::BadField, 0, "recipient key material does not decode"); };
    switch (recipient.algo) {
    case PubkeyAlgo::Rsa:
    case PubkeyAlgo::RsaEncryptOnly: {
        const auto k = internal::rsa_public(recipient);
        if (!k) throw bad_key();
        p.fields.push_back(mpi_field("m^e", crypto::encrypt_rsa(k->n, k->e, esk_plain(sk, version), rng)));
        return p;
    }
    case PubkeyAlgo::Elgamal:
    case PubkeyAlgo::ElgamalSignEncrypt: {
        const auto k = internal::elgamal_public(recipient);
        if (!k) throw bad_key();
        const crypto::ElgamalCiphertext c = crypto::encrypt_elgamal(*k, esk_plain(sk, version), rng);
        p.fields.push_back(mpi_field("g^k", c.a));
        p.fields.push_back(mpi_field("m*y^k", c.b));
        return p;
    }
    case PubkeyAlgo::Ecdh: {
        const auto k = internal::ecdh_public(recipient);
        if (!k) throw bad_key();
        const crypto::Agreement a = crypto::ecdh_agree(k->key.curve, k->key.point, rng);
        const SecretBytes kek = internal::ecdh_kek(recipient, *k, a.shared);
        SecretBytes m = esk_plain(sk, version);
        pad8(m);
        p.fields.push_back(mpi_field("ephemeral", a.ephemeral));
        p.fields.push_back(octets_field("wrapped_key", packet::FieldKind::Sized8, crypto::aes_key_wrap(kek, m)));
        return p;
    }
    case PubkeyAlgo::X25519: {
        const packet::AlgoField* pub = internal::field(recipient.fields, "public");
        if (!pub || pub->data.size() != 32) throw bad_key();
        const crypto::Agreement a = crypto::x25519_agree(pub->data, rng);
        const SecretBytes kek = x25519_kek(a.ephemeral, pub->data, a.shared);
        Bytes wrapped;
        if (version == 3) wrapped.push_back(static_cast<std::uint8_t>(sk.algo));
        const Bytes w = crypto::aes_key_wrap(kek, sk.key);
        wrapped.insert(wrapped.end(), w.begin(), w.end());
        p.fields.push_back(octets_field("ephemeral", packet::FieldKind::Fixed, a.ephemeral));
        p.fields.push_back(octets_field("wrapped_key", packet::FieldKind::Sized8, wrapped));
        return p;
    }
    default:
        throw Error(Errc::Usage, 0, "cannot encrypt to public-key algorithm " +
                                        std::to_string(static_cast<unsigned>(recipient.algo)));
    }
}

namespace {

std::optional<SessionKey> open_x25519(const packet::Pkesk& p, const packet::Key& key,
                                      const cert::SecretFields& secret) {
    const packet::AlgoField* eph = internal::field(p.fields, "ephemeral");
    const packet::AlgoField* wrapped = internal::field(p.fields, "wrapped_key");
    const packet::AlgoField* pub = internal::field(key.fields, "public");
    const cert::SecretField* sec = secret.find("secret");
    if (!eph || !wrapped || !pub || !sec || eph->data.size() != 32 || sec->value.size() != 32) return std::nullopt;
    const SecretBytes shared = crypto::x25519_shared(sec->value, eph->data);
    const SecretBytes kek = x25519_kek(eph->data, pub->data, shared);
    ByteView w = wrapped->data;
    SessionKey sk;
    if (p.version == 3) {
        if (w.empty()) return std::nullopt;
        sk.algo = static_cast<SymAlgo>(w[0]);
        w = w.subspan(1);
    }
    auto key_octets = crypto::aes_key_unwrap(kek, w);
    if (!key_octets) return std::nullopt;
    sk.key = std::move(*key_octets);
    if (p.version == 3) {
        const auto cipher = cipher_of(sk.algo);
        if (!cipher || crypto::cipher_key_size(*cipher) != sk.key.size()) return std::nullopt;
    }
    return sk;
}

std::optional<SessionKey> open_ecdh(const packet::Pkesk& p, const packet::Key& key, const cert::SecretFields& secret) {
    const packet::AlgoField* eph = internal::field(p.fields, "ephemeral");
    const packet::AlgoField* wrapped = internal::field(p.fields, "wrapped_key");
    const cert::SecretField* d = secret.find("d");
    auto k = internal::ecdh_public(key);
    if (!eph || !wrapped || !d || !k) return std::nullopt;
    k->key.secret = d->value;
    const SecretBytes shared = crypto::ecdh_shared(k->key, eph->data);
    const SecretBytes kek = internal::ecdh_kek(key, *k, shared);
    auto m = crypto::aes_key_unwrap(kek, wrapped->data);
    if (!m) return std::nullopt;
    auto plain = unpad8(std::move(*m));
    if (!plain) return std::nullopt;
    return parse_esk_plain(*plain, p.version);
}

}  // namespace

std::optional<SessionKey> open_pkesk(const packet::Pkesk& p, const packet::Key& key, const cert::SecretFields& secret) {
    if (p.algo != key.algo && !(internal::is_rsa(p.algo) && internal::is_rsa(key.algo))) return std::nullopt;
    try {
        std::optional<SecretBytes> m;
        switch (key.algo) {
        case PubkeyAlgo::Rsa:
        case PubkeyAlgo::RsaEncryptOnly: {
            const packet::AlgoField* c = internal::field(p.fields, "m^e");
            auto k = internal::rsa_secret(key, secret);
            if (!c || !k) return std::nullopt;
            m = crypto::decrypt_rsa(*k, c->data);
            break;
        }
        case PubkeyAlgo::Elgamal:
        case PubkeyAlgo::ElgamalSignEncrypt: {
            const packet::AlgoField* a = internal::field(p.fields, "g^k");
            const packet::AlgoField* b = internal::field(p.fields, "m*y^k");
            auto k = internal::elgamal_public(key);
            const cert::SecretField* x = secret.find("x");
            if (!a || !b || !k || !x) return std::nullopt;
            k->x = x->value;
            m = crypto::decrypt_elgamal(*k, a->data, b->data);
            break;
        }
        case PubkeyAlgo::Ecdh: return open_ecdh(p, key, secret);
        case PubkeyAlgo::X25519: return open_x25519(p, key, secret);
        default: return std::nullopt;
        }
        if (!m) return std::nullopt;
        return parse_esk_plain(*m, p.version);
    } catch (const Error& e) {
        if (e.kind() == Errc::Crypto) return std::nullopt;  // a point off the curve, a zero secret
        throw;
    }
}

}  // namespace pgpkit::message
