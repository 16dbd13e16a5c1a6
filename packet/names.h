#pragma once
// Algorithm and type numbers of RFC 9580 section 9 and their names. Every enum has a fixed
// underlying type so every wire value is representable (HOUSE-STYLE rule 8).

#include <cstdint>
#include <string>

namespace pgpkit::packet {

/** Packet tags, RFC 9580 section 5 (plus GnuPG's tag 20). */
enum class Tag : std::uint8_t {
    Reserved = 0, Pkesk = 1, Signature = 2, Skesk = 3, OnePassSig = 4, SecretKey = 5,
    PublicKey = 6, SecretSubkey = 7, CompressedData = 8, Sed = 9, Marker = 10, Literal = 11,
    Trust = 12, UserId = 13, PublicSubkey = 14, UserAttribute = 17, Seipd = 18, Mdc = 19,
    OcbEncrypted = 20, Padding = 21,
};

enum class PubkeyAlgo : std::uint8_t {
    Rsa = 1, RsaEncryptOnly = 2, RsaSignOnly = 3, Elgamal = 16, Dsa = 17, Ecdh = 18, Ecdsa = 19,
    ElgamalSignEncrypt = 20, DiffieHellman = 21, EdDsaLegacy = 22, AeDh = 23, AeDsa = 24,
    X25519 = 25, X448 = 26, Ed25519 = 27, Ed448 = 28,
};

enum class SymAlgo : std::uint8_t {
    Plaintext = 0, Idea = 1, TripleDes = 2, Cast5 = 3, Blowfish = 4, Aes128 = 7, Aes192 = 8,
    Aes256 = 9, Twofish = 10, Camellia128 = 11, Camellia192 = 12, Camellia256 = 13,
};

enum class HashAlgo : std::uint8_t {
    Md5 = 1, Sha1 = 2, Ripemd160 = 3, Sha256 = 8, Sha384 = 9, Sha512 = 10, Sha224 = 11,
    Sha3_256 = 12, Sha3_512 = 14,
};

enum class CompressionAlgo : std::uint8_t { Uncompressed = 0, Zip = 1, Zlib = 2, Bzip2 = 3 };

enum class AeadAlgo : std::uint8_t { Eax = 1, Ocb = 2, Gcm = 3 };

enum class SigType : std::uint8_t {
    Binary = 0x00, Text = 0x01, Standalone = 0x02, GenericCert = 0x10, PersonaCert = 0x11,
    CasualCert = 0x12, PositiveCert = 0x13, AttestedKey = 0x16, SubkeyBinding = 0x18,
    PrimaryKeyBinding = 0x19, DirectKey = 0x1F, KeyRevocation = 0x20, SubkeyRevocation = 0x28,
    CertRevocation = 0x30, Timestamp = 0x40, ThirdPartyConfirmation = 0x50,
};

/** Signature subpacket types, RFC 9580 section 5.2.3.7 (34: LibrePGP's AEAD preferences). */
enum class SubpacketType : std::uint8_t {
    SignatureCreationTime = 2, SignatureExpirationTime = 3, ExportableCertification = 4,
    TrustSignature = 5, RegularExpression = 6, Revocable = 7, KeyExpirationTime = 9,
    PlaceholderBackwardCompat = 10, PreferredSymmetric = 11, RevocationKey = 12, IssuerKeyId = 16,
    NotationData = 20, PreferredHash = 21, PreferredCompression = 22, KeyServerPreferences = 23,
    PreferredKeyServer = 24, PrimaryUserId = 25, PolicyUri = 26, KeyFlags = 27, SignersUserId = 28,
    ReasonForRevocation = 29, Features = 30, SignatureTarget = 31, EmbeddedSignature = 32,
    IssuerFingerprint = 33, PreferredAeadLibrePgp = 34, IntendedRecipient = 35,
    AttestedCertifications = 37, KeyBlock = 38, PreferredAeadCiphersuites = 39,
};

/** Certification types 0x10-0x13 (generic, persona, casual, positive). */
constexpr bool is_certification(SigType t) noexcept {
    return t == SigType::GenericCert || t == SigType::PersonaCert || t == SigType::CasualCert ||
           t == SigType::PositiveCert;
}

/** User attribute subpacket types, RFC 9580 section 5.12. */
enum class UserAttributeType : std::uint8_t { Image = 1 };

// Name functions take the enum; a value without an enumerator gets "unknown" (or
// "Private/Experimental" in the 100-110 range). The std::uint8_t overloads are for raw
// octets that are not fields of their own: algorithm lists in preference subpackets, ECDH
// KDF parameters, revocation key and signature target subpackets.

const char* tag_name(Tag tag) noexcept;
/** gpg --list-packets style lower-case short name ("public key", "signature", ...). */
const char* tag_short_name(Tag tag) noexcept;
const char* pubkey_algo_name(PubkeyAlgo algo) noexcept;
const char* sym_algo_name(SymAlgo algo) noexcept;
const char* hash_algo_name(HashAlgo algo) noexcept;
const char* compression_algo_name(CompressionAlgo algo) noexcept;
const char* aead_algo_name(AeadAlgo algo) noexcept;
const char* sig_type_name(SigType type) noexcept;
const char* subpacket_type_name(SubpacketType type) noexcept;

inline const char* pubkey_algo_name(std::uint8_t algo) noexcept {
    return pubkey_algo_name(static_cast<PubkeyAlgo>(algo));
}
inline const char* sym_algo_name(std::uint8_t algo) noexcept { return sym_algo_name(static_cast<SymAlgo>(algo)); }
inline const char* hash_algo_name(std::uint8_t algo) noexcept { return hash_algo_name(static_cast<HashAlgo>(algo)); }
inline const char* compression_algo_name(std::uint8_t algo) noexcept {
    return compression_algo_name(static_cast<CompressionAlgo>(algo));
}
inline const char* aead_algo_name(std::uint8_t algo) noexcept { return aead_algo_name(static_cast<AeadAlgo>(algo)); }

/** Name of a curve given its DER OID body (without the length octet), or "unknown". */
const char* curve_name_from_oid(const std::uint8_t* oid, std::size_t len) noexcept;
/** Dotted form of an OID body ("1.3.6.1.4.1.11591.15.1"). */
std::string oid_to_dotted(const std::uint8_t* oid, std::size_t len);

/** Octet length of the digest of a hash algorithm, or 0 if unknown. */
std::size_t hash_digest_size(HashAlgo algo) noexcept;
/** Block size in octets of a symmetric cipher, or 0 if unknown. */
std::size_t sym_block_size(SymAlgo algo) noexcept;
/** Nonce length of an AEAD mode (RFC 9580 section 9.6), or 0 if unknown. */
std::size_t aead_nonce_size(AeadAlgo algo) noexcept;

}  // namespace pgpkit::packet
