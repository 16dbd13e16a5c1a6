// SKESK v4 and v6 (RFC 9580 section 5.3): passphrase-encrypted session keys.

#include "message/session_key.h"

#include <string>

#include "base/error.h"
#include "crypto/data_cipher.h"
#include "packet/sig_hash.h"

namespace pgpkit::message {

namespace {

using packet::S2kType;

SecretBytes derive(const packet::S2k& s, const SecretBytes& passphrase, std::size_t len,
                   const S2kLimits& bounds = {}) {
    const cert::UnprotectLimits& limits = bounds.argon2;
    switch (s.type) {
    case S2kType::Argon2:
        if (s.argon2_t == 0 || s.argon2_p == 0 || s.argon2_m > 31 ||
            (std::uint64_t{1} << s.argon2_m) < std::uint64_t{8} * s.argon2_p)
            throw Error(Errc::BadField, 0, "invalid Argon2 parameters in SKESK");
        if (s.argon2_m > limits.max_argon2_log2_kib ||
            (std::uint64_t{s.argon2_t} << s.argon2_m) > limits.max_argon2_pass_kib)
            throw Error(Errc::LimitExceeded, 0, "Argon2 parameters of SKESK over the limits");
        return crypto::argon2id(passphrase, s.salt, s.argon2_t, s.argon2_p, s.argon2_m, len);
    case S2kType::Simple:
    case S2kType::Salted:
    case S2kType::IteratedSalted: {
        const auto hash = packet::hash_kind(s.hash_algo);
        if (!hash) throw Error(Errc::Usage, 0, "unsupported S2K hash " + std::to_string(unsigned(s.hash_algo)));
        const std::uint32_t count = s.type == S2kType::IteratedSalted ? crypto::s2k_decode_count(s.coded_count) : 0;
        if (bounds.max_iterated_count && count > bounds.max_iterated_count)
            throw Error(Errc::LimitExceeded, 0, "S2K count " + std::to_string(count) + " of SKESK over the limit of " +
                                                    std::to_string(bounds.max_iterated_count));
        const std::span<const std::uint8_t> salt = s.type == S2kType::Simple ? std::span<const std::uint8_t>{} : s.salt;
        return crypto::s2k_iterated(*hash, passphrase, salt, count, len);
    }
    default: throw Error(Errc::Usage, 0, "unsupported S2K type " + std::to_string(unsigned(s.type)) + " in SKESK");
    }
}

crypto::CipherKind need_cipher(packet::SymAlgo a) {
    const auto c = cipher_of(a);
    if (!c) throw Error(Errc::Usage, 0, "unsupported cipher " + std::to_string(unsigned(a)) + " in SKESK");
    return *c;
}

/** Associated data and HKDF info of SKESK v6: packet tag, version, cipher, AEAD mode. */
Bytes v6_info(const packet::Skesk& s) {
    return {0xC3, 6, static_cast<std::uint8_t>(s.sym_algo), static_cast<std::uint8_t>(s.aead_algo)};
}

}  // namespace

packet::Skesk make_skesk(const SecretBytes& passphrase, packet::SymAlgo algo, const std::optional<SessionKey>& sk,
                         const SkeskParams& params, crypto::Rng& rng, SessionKey* derived) {
    const crypto::CipherKind cipher = need_cipher(algo);
    packet::Skesk s;
    s.version = params.version;
    s.sym_algo = algo;
    s.s2k.type = S2kType::IteratedSalted;
    s.s2k.hash_algo = params.hash;
    s.s2k.salt.resize(8);
    rng.fill(s.s2k.salt);
    s.s2k.coded_count = params.coded_count;
    const SecretBytes key = derive(s.s2k, passphrase, crypto::cipher_key_size(cipher));
    if (params.version == 4) {
        if (!sk) {
            if (derived) *derived = SessionKey{algo, key};
            return s;
        }
        SecretBytes plain;
        plain.push_back(static_cast<std::uint8_t>(sk->algo));
        plain.insert(plain.end(), sk->key.begin(), sk->key.end());
        crypto::CfbStream cfb(cipher, crypto::CfbStream::Direction::Encrypt, key);
        cfb.process(plain);
        s.esk.assign(plain.begin(), plain.end());
        if (derived) *derived = *sk;
        return s;
    }
    if (params.version != 6 || !sk) throw Error(Errc::Usage, 0, "SKESK v6 needs a session key");
    const auto mode = aead_of(params.aead);
    if (!mode) throw Error(Errc::Usage, 0, "unknown AEAD mode");
    s.aead_algo = params.aead;
    s.s2k_len = static_cast<std::uint8_t>(packet::s2k_size(s.s2k));
    s.iv.resize(crypto::aead_nonce_size(*mode));
    rng.fill(s.iv);
    s.v6_params_len = static_cast<std::uint8_t>(3 + *s.s2k_len + s.iv.size());
    const Bytes info = v6_info(s);
    const SecretBytes kek = crypto::hkdf_sha256(key, info, crypto::cipher_key_size(cipher));
    Bytes out = crypto::aead_encrypt(cipher, *mode, kek, s.iv, info, sk->key);
    s.tag.assign(out.end() - crypto::aead_tag_size, out.end());
    s.esk.assign(out.begin(), out.end() - crypto::aead_tag_size);
    if (derived) *derived = *sk;
    return s;
}

std::optional<SessionKey> open_skesk(const packet::Skesk& s, const SecretBytes& passphrase,
                                     const S2kLimits& limits) {
    const crypto::CipherKind cipher = need_cipher(s.sym_algo);
    if (s.version == 4) {
        SecretBytes key = derive(s.s2k, passphrase, crypto::cipher_key_size(cipher), limits);
        if (s.esk.empty()) return SessionKey{s.sym_algo, std::move(key)};
        SecretBytes plain(s.esk.begin(), s.esk.end());
        crypto::CfbStream cfb(cipher, crypto::CfbStream::Direction::Decrypt, key);
        cfb.process(plain);
        SessionKey sk;
        sk.algo = static_cast<packet::SymAlgo>(plain[0]);
        sk.key.assign(plain.begin() + 1, plain.end());
        const auto inner = cipher_of(sk.algo);
        if (!inner || crypto::cipher_key_size(*inner) != sk.key.size()) return std::nullopt;
        return sk;
    }
    if (s.version != 6) throw Error(Errc::Usage, 0, "unsupported SKESK version " + std::to_string(s.version));
    const auto mode = aead_of(s.aead_algo);
    if (!mode) throw Error(Errc::Usage, 0, "unsupported AEAD mode " + std::to_string(unsigned(s.aead_algo)));
    const SecretBytes key = derive(s.s2k, passphrase, crypto::cipher_key_size(cipher), limits);
    const Bytes info = v6_info(s);
    const SecretBytes kek = crypto::hkdf_sha256(key, info, crypto::cipher_key_size(cipher));
    Bytes ct = s.esk;
    ct.insert(ct.end(), s.tag.begin(), s.tag.end());
    auto out = crypto::aead_decrypt(cipher, *mode, kek, s.iv, info, ct);
    if (!out) return std::nullopt;
    return SessionKey{packet::SymAlgo{}, std::move(*out)};
}

}  // namespace pgpkit::message
