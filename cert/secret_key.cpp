#include "cert/secret_key.h"

#include "packet/names.h"

#include <algorithm>
#include <optional>
#include <string>

#include "base/error.h"
#include "crypto/hash.h"
#include "crypto/protect.h"
#include "packet/byte_reader.h"
#include "packet/byte_writer.h"
#include "packet/packet.h"
#include "packet/sig_hash.h"

namespace pgpkit::cert {

namespace {

constexpr std::uint8_t usage_aead = 253, usage_sha1 = 254, usage_checksum = 255;
constexpr std::size_t sha1_size = 20;

/** How one key is protected, once every octet of its protection header is understood. */
struct Scheme {
    crypto::CipherKind cipher = crypto::CipherKind::Aes256;
    std::optional<crypto::AeadKind> aead;  ///< usage 253
};

std::optional<crypto::CipherKind> cipher_kind(packet::SymAlgo algo) noexcept {
    using packet::SymAlgo;
    switch (algo) {
    case SymAlgo::Idea: return crypto::CipherKind::Idea;
    case SymAlgo::TripleDes: return crypto::CipherKind::TripleDes;
    case SymAlgo::Cast5: return crypto::CipherKind::Cast5;
    case SymAlgo::Blowfish: return crypto::CipherKind::Blowfish;
    case SymAlgo::Aes128: return crypto::CipherKind::Aes128;
    case SymAlgo::Aes192: return crypto::CipherKind::Aes192;
    case SymAlgo::Aes256: return crypto::CipherKind::Aes256;
    case SymAlgo::Twofish: return crypto::CipherKind::Twofish;
    case SymAlgo::Camellia128: return crypto::CipherKind::Camellia128;
    case SymAlgo::Camellia192: return crypto::CipherKind::Camellia192;
    case SymAlgo::Camellia256: return crypto::CipherKind::Camellia256;
    default: return std::nullopt;
    }
}

std::optional<crypto::AeadKind> aead_kind(packet::AeadAlgo algo) noexcept {
    using packet::AeadAlgo;
    switch (algo) {
    case AeadAlgo::Eax: return crypto::AeadKind::Eax;
    case AeadAlgo::Ocb: return crypto::AeadKind::Ocb;
    case AeadAlgo::Gcm: return crypto::AeadKind::Gcm;
    default: return std::nullopt;
    }
}

std::string key_name(const packet::Key& key) { return "key " + to_hex(key.keyid); }

[[noreturn]] void unsupported(const std::string& what) {
    throw Error(Errc::Usage, 0, "unsupported protection: " + what);
}
[[noreturn]] void corrupt(const packet::Key& key, const std::string& what) {
    throw Error(Errc::BadField, 0, "secret material corrupt: " + what + " (" + key_name(key) + ")");
}
[[noreturn]] void wrong_passphrase(const packet::Key& key, const std::string& how) {
    throw Error(Errc::BadPassphrase, 0, "wrong passphrase for " + key_name(key) + how);
}

const packet::SecretKeyMaterial& secret_of(const packet::Key& key) {
    if (!key.secret) {
        if (!key.secret_opaque.empty())
            throw Error(Errc::Usage, 0, "secret part of " + key_name(key) + " (algorithm " +
                                            std::to_string(static_cast<unsigned>(key.algo)) + ") is not understood");
        throw Error(Errc::Usage, 0, "not a secret key: " + key_name(key));
    }
    return *key.secret;
}

void refuse_stub(const packet::S2k& s2k) {
    if (s2k.gnu_mode == static_cast<std::uint8_t>(packet::GnuS2kMode::Dummy))
        throw Error(Errc::Usage, 0, "key stub without secret material (gnu-dummy)");
    if (s2k.gnu_mode == static_cast<std::uint8_t>(packet::GnuS2kMode::DivertToCard))
        throw Error(Errc::Usage, 0, s2k.card_serial.empty() ? std::string("secret key on a smartcard (no serial)")
                                                            : "secret key on card " + to_hex(s2k.card_serial));
    unsupported("GNU S2K extension mode " + std::to_string(1000 + s2k.gnu_mode));
}

void check_s2k(const packet::Key& key, const packet::SecretKeyMaterial& s) {
    if (!s.s2k) corrupt(key, "S2K specifier missing");
    const packet::S2k& k = *s.s2k;
    switch (k.type) {
    case packet::S2kType::Simple:
    case packet::S2kType::Salted:
    case packet::S2kType::IteratedSalted:
        if (!packet::hash_kind(k.hash_algo))
            unsupported("S2K hash " + std::to_string(static_cast<unsigned>(k.hash_algo)));
        return;
    case packet::S2kType::Argon2:
        // RFC 9580 section 3.7.2.1: MUST reject Argon2 outside usage 253.
        if (s.usage != usage_aead) corrupt(key, "Argon2 S2K with usage " + std::to_string(s.usage));
        if (k.argon2_t == 0 || k.argon2_p == 0 || k.argon2_m > 31 ||
            (std::size_t{1} << k.argon2_m) < std::size_t{8} * k.argon2_p)
            corrupt(key, "invalid Argon2 parameters");
        return;
    default: unsupported("S2K type " + std::to_string(static_cast<unsigned>(k.type)));
    }
}

/** Checks every octet of the protection header of an encrypted key; the stub cases throw. */
Scheme scheme_of(const packet::Key& key) {
    const packet::SecretKeyMaterial& s = secret_of(key);
    if (s.s2k && s.s2k->is_gnu()) refuse_stub(*s.s2k);
    const bool legacy = s.usage != usage_aead && s.usage != usage_sha1 && s.usage != usage_checksum;
    if (key.version == 6 && (legacy || s.usage == usage_checksum))
        corrupt(key, "usage " + std::to_string(s.usage) + " in a v6 key (RFC 9580 section 5.5.3 forbids it)");
    if (key.version < 4 && !legacy && s.usage != usage_checksum)
        unsupported("usage " + std::to_string(s.usage) + " in a v" + std::to_string(key.version) + " key");
    Scheme out;
    const auto cipher = cipher_kind(s.sym_algo);
    if (!cipher) unsupported("cipher " + std::to_string(static_cast<unsigned>(s.sym_algo)));
    out.cipher = *cipher;
    std::size_t iv_len = crypto::cipher_block_size(out.cipher);
    if (s.usage == usage_aead) {
        out.aead = aead_kind(s.aead_algo);
        if (!out.aead) unsupported("usage 253 with AEAD " + std::to_string(static_cast<unsigned>(s.aead_algo)));
        if (iv_len != 16) corrupt(key, "usage 253 with a 64-bit block cipher");
        iv_len = crypto::aead_nonce_size(*out.aead);
    }
    if (!legacy) check_s2k(key, s);
    if (s.iv.size() != iv_len)
        corrupt(key, "IV of " + std::to_string(s.iv.size()) + " octets, " + std::to_string(iv_len) + " expected");
    return out;
}

/** The fields as unprotect returns them (both sides are wiping memory). */
SecretFields to_secret_fields(packet::SecretAlgoFields&& fields) {
    SecretFields out;
    out.fields.reserve(fields.size());
    for (packet::SecretAlgoField& f : fields) out.fields.push_back({f.name, f.kind, std::move(f.data)});
    return out;
}

/** Parses decrypted secret fields that must fill `plain` exactly; nullopt if they do not. */
std::optional<SecretFields> parse_plain(const packet::Key& key, std::span<const std::uint8_t> plain) {
    try {
        packet::ByteReader in(plain);
        packet::SecretAlgoFields f = packet::parse_secret_fields(key.algo, in);
        if (!in.empty()) return std::nullopt;
        return to_secret_fields(std::move(f));
    } catch (const Error&) {
        return std::nullopt;
    }
}

std::uint16_t checksum16(std::span<const std::uint8_t> data) noexcept {
    std::uint32_t sum = 0;
    for (std::uint8_t b : data) sum += b;
    return static_cast<std::uint16_t>(sum & 0xFFFF);
}

SecretFields cleartext(const packet::Key& key, const packet::SecretKeyMaterial& s) {
    if (s.checksum) {
        SecretBytes serialized;
        packet::ByteWriter w(serialized);
        packet::write_fields(s.fields, w);
        if (checksum16(serialized) != *s.checksum) corrupt(key, "checksum mismatch");
    }
    packet::SecretAlgoFields copy = s.fields;
    return to_secret_fields(std::move(copy));
}

/** The packet type octet of a new-format header, which usage 253 binds into the key. */
std::uint8_t type_octet(packet::Tag tag) noexcept {
    return static_cast<std::uint8_t>(0xC0 | static_cast<unsigned>(tag));
}

SecretBytes aead_kek(const packet::Key& key, packet::Tag tag, const Scheme& sc, const SecretBytes& s2k_key) {
    const packet::SecretKeyMaterial& s = *key.secret;
    const std::uint8_t info[4] = {type_octet(tag), key.version, static_cast<std::uint8_t>(s.sym_algo),
                                  static_cast<std::uint8_t>(s.aead_algo)};
    return crypto::hkdf_sha256(s2k_key, info, crypto::cipher_key_size(sc.cipher));
}

/** Usage 253, RFC 9580 section 5.5.3, for v4, v5 and v6 keys alike. */
SecretFields open_aead(const packet::Key& key, packet::Tag tag, const Scheme& sc, const SecretBytes& k) {
    const packet::SecretKeyMaterial& s = *key.secret;
    if (s.encrypted.size() < crypto::aead_tag_size)
        throw Error(Errc::Truncated, 0, "AEAD-encrypted secret material shorter than its tag (" + key_name(key) + ")");
    const SecretBytes kek = aead_kek(key, tag, sc, k);
    Bytes ad{type_octet(tag)};
    const Bytes body = packet::public_key_body(key);
    ad.insert(ad.end(), body.begin(), body.end());
    const std::optional<SecretBytes> plain =
        crypto::aead_decrypt(sc.cipher, *sc.aead, kek, s.iv, ad, s.encrypted);
    if (!plain) wrong_passphrase(key, " (AEAD authentication failed)");
    std::optional<SecretFields> out = parse_plain(key, *plain);
    if (!out) corrupt(key, "decrypted fields do not parse");
    return std::move(*out);
}

/** Usage 254 (SHA-1 check) and 255 / legacy (two-octet checksum) in v4 to v6 keys. */
SecretFields open_cfb(const packet::Key& key, const Scheme& sc, const SecretBytes& k) {
    const packet::SecretKeyMaterial& s = *key.secret;
    const bool sha1 = s.usage == usage_sha1;
    const std::size_t check_len = sha1 ? sha1_size : 2;
    if (s.encrypted.size() < check_len)
        throw Error(Errc::Truncated, 0,
                    "encrypted secret material shorter than its check value (" + key_name(key) + ")");
    const SecretBytes plain = crypto::cfb_decrypt(sc.cipher, k, s.iv, s.encrypted);
    const std::span<const std::uint8_t> fields(plain.data(), plain.size() - check_len);
    const std::span<const std::uint8_t> check(plain.data() + fields.size(), check_len);
    if (sha1) {
        crypto::Hasher h(crypto::HashKind::Sha1);
        h.update(fields);
        const Bytes want = h.final();
        if (!crypto::constant_time_equal(want, check)) wrong_passphrase(key, "");
        std::optional<SecretFields> out = parse_plain(key, fields);
        if (!out) corrupt(key, "decrypted fields do not parse");
        return std::move(*out);
    }
    const std::uint16_t stored = static_cast<std::uint16_t>((check[0] << 8) | check[1]);
    std::optional<SecretFields> out;
    if (checksum16(fields) == stored) out = parse_plain(key, fields);
    // Without a hash the checksum cannot tell a wrong passphrase from corrupt data.
    if (!out) wrong_passphrase(key, " (checksum mismatch: wrong passphrase or corrupt data)");
    return std::move(*out);
}

/**
 * v2 and v3 keys, RFC 4880 section 5.5.3: the MPI bit counts and the checksum are in the
 * clear; each MPI's octets are encrypted on their own, CFB resynchronised so that each starts
 * with the last block of ciphertext before it as IV (GnuPG's cipher_sync).
 */
SecretFields open_v3(const packet::Key& key, const Scheme& sc, const SecretBytes& k) {
    const packet::SecretKeyMaterial& s = *key.secret;
    using packet::PubkeyAlgo;
    if (key.algo != PubkeyAlgo::Rsa && key.algo != PubkeyAlgo::RsaEncryptOnly && key.algo != PubkeyAlgo::RsaSignOnly)
        unsupported("v" + std::to_string(key.version) + " key of algorithm " +
                    std::to_string(static_cast<unsigned>(key.algo)));
    const std::size_t bs = crypto::cipher_block_size(sc.cipher);
    packet::ByteReader in(s.encrypted);
    Bytes stream = s.iv;  // IV || ciphertext so far: the next IV is its last block
    SecretBytes plain;
    try {
        for (int i = 0; i < 4; ++i) {  // RSA d, p, q, u
            const std::uint16_t bits = in.be16("MPI bit count");
            const ByteView c = in.take((std::size_t{bits} + 7) / 8, "encrypted MPI");
            const std::span<const std::uint8_t> iv(stream.data() + stream.size() - bs, bs);
            const SecretBytes m = crypto::cfb_decrypt(sc.cipher, k, iv, c);
            plain.push_back(static_cast<std::uint8_t>(bits >> 8));
            plain.push_back(static_cast<std::uint8_t>(bits));
            plain.insert(plain.end(), m.begin(), m.end());
            stream.insert(stream.end(), c.begin(), c.end());
        }
    } catch (const Error& e) {
        if (e.kind() != Errc::Truncated) throw;
        throw Error(Errc::Truncated, 0, "encrypted v3 secret material truncated (" + key_name(key) + ")");
    }
    if (in.remaining() < 2)
        throw Error(Errc::Truncated, 0, "v3 secret key without checksum (" + key_name(key) + ")");
    const std::uint16_t stored = in.be16();
    std::optional<SecretFields> out;
    if (in.empty() && checksum16(plain) == stored) out = parse_plain(key, plain);
    if (!out) wrong_passphrase(key, " (checksum mismatch: wrong passphrase or corrupt data)");
    return std::move(*out);
}

}  // namespace

const SecretField* SecretFields::find(std::string_view name) const noexcept {
    for (const SecretField& f : fields)
        if (f.name == name) return &f;
    return nullptr;
}

SecretKind secret_kind(const packet::Key& key) noexcept {
    if (!key.secret) return SecretKind::None;
    const packet::SecretKeyMaterial& s = *key.secret;
    if (s.usage == 0) return SecretKind::Cleartext;
    if (s.s2k && s.s2k->is_gnu()) {
        if (s.s2k->gnu_mode == static_cast<std::uint8_t>(packet::GnuS2kMode::Dummy)) return SecretKind::GnuDummy;
        if (s.s2k->gnu_mode == static_cast<std::uint8_t>(packet::GnuS2kMode::DivertToCard))
            return SecretKind::DivertToCard;
        return SecretKind::UnknownStub;
    }
    return SecretKind::Encrypted;
}

SecretBytes derive_s2k_key(const packet::Key& key, const SecretBytes& passphrase,
                                   const UnprotectLimits& limits) {
    const packet::SecretKeyMaterial& s = secret_of(key);
    if (s.usage == 0) throw Error(Errc::Usage, 0, key_name(key) + " is not protected");
    const Scheme sc = scheme_of(key);
    const std::size_t len = crypto::cipher_key_size(sc.cipher);
    if (!s.s2k) return crypto::s2k_iterated(crypto::HashKind::Md5, passphrase, {}, 0, len);  // legacy cipher octet
    const packet::S2k& k = *s.s2k;
    if (k.type == packet::S2kType::Argon2) {
        if (k.argon2_m > limits.max_argon2_log2_kib)
            throw Error(Errc::LimitExceeded, 0, "Argon2 memory of 2^" + std::to_string(k.argon2_m) +
                                                    " KiB exceeds the limit of 2^" +
                                                    std::to_string(limits.max_argon2_log2_kib) +
                                                    " KiB (UnprotectLimits::max_argon2_log2_kib)");
        if (std::uint64_t{k.argon2_t} << k.argon2_m > limits.max_argon2_pass_kib)
            throw Error(Errc::LimitExceeded, 0, "Argon2 work of " + std::to_string(k.argon2_t) + " passes over 2^" +
                                                    std::to_string(k.argon2_m) + " KiB exceeds the limit of " +
                                                    std::to_string(limits.max_argon2_pass_kib) +
                                                    " pass-KiB (UnprotectLimits::max_argon2_pass_kib)");
        return crypto::argon2id(passphrase, k.salt, k.argon2_t, k.argon2_p, k.argon2_m, len);
    }
    const std::uint32_t count = k.type == packet::S2kType::IteratedSalted ? crypto::s2k_decode_count(k.coded_count) : 0;
    const std::span<const std::uint8_t> salt =
        k.type == packet::S2kType::Simple ? std::span<const std::uint8_t>{} : k.salt;
    return crypto::s2k_iterated(*packet::hash_kind(k.hash_algo), passphrase, salt, count, len);
}

SecretFields unprotect_with_s2k_key(const packet::Key& key, packet::Tag tag, const SecretBytes& s2k_key) {
    const packet::SecretKeyMaterial& s = secret_of(key);
    if (s.usage == 0) return cleartext(key, s);
    if (tag != packet::Tag::SecretKey && tag != packet::Tag::SecretSubkey)
        throw Error(Errc::Usage, 0,
                    "packet type " + std::to_string(static_cast<unsigned>(tag)) + " is not a secret key type");
    const Scheme sc = scheme_of(key);
    if (s2k_key.size() != crypto::cipher_key_size(sc.cipher))
        throw Error(Errc::Usage, 0, "S2K key of " + std::to_string(s2k_key.size()) + " octets for a " +
                                        std::to_string(crypto::cipher_key_size(sc.cipher)) + "-octet cipher key");
    if (sc.aead) return open_aead(key, tag, sc, s2k_key);
    if (key.version < 4) return open_v3(key, sc, s2k_key);
    return open_cfb(key, sc, s2k_key);
}

SecretBytes write_tsk(const Tsk& tsk) {
    SecretBytes out;
    for (const packet::Packet* p : packets_of(tsk)) packet::write_packet(*p, out);
    return out;
}

SecretFields unprotect(const packet::Key& key, packet::Tag tag, const SecretBytes& passphrase,
                       const UnprotectLimits& limits) {
    const packet::SecretKeyMaterial& s = secret_of(key);
    if (s.usage == 0) return cleartext(key, s);
    return unprotect_with_s2k_key(key, tag, derive_s2k_key(key, passphrase, limits));
}

}  // namespace pgpkit::cert
