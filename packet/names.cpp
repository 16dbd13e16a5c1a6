#include "packet/names.h"

#include <array>
#include <cstring>

namespace pgpkit::packet {

namespace {
/** RFC 9580's range 100-110 of private or experimental algorithm numbers. */
bool private_range(unsigned v) noexcept { return v >= 100 && v <= 110; }
}  // namespace

const char* tag_name(Tag tag) noexcept {
    switch (tag) {
    case Tag::Reserved: return "Reserved";
    case Tag::Pkesk: return "Public-Key Encrypted Session Key";
    case Tag::Signature: return "Signature";
    case Tag::Skesk: return "Symmetric-Key Encrypted Session Key";
    case Tag::OnePassSig: return "One-Pass Signature";
    case Tag::SecretKey: return "Secret-Key";
    case Tag::PublicKey: return "Public-Key";
    case Tag::SecretSubkey: return "Secret-Subkey";
    case Tag::CompressedData: return "Compressed Data";
    case Tag::Sed: return "Symmetrically Encrypted Data";
    case Tag::Marker: return "Marker";
    case Tag::Literal: return "Literal Data";
    case Tag::Trust: return "Trust";
    case Tag::UserId: return "User ID";
    case Tag::PublicSubkey: return "Public-Subkey";
    case Tag::UserAttribute: return "User Attribute";
    case Tag::Seipd: return "Symmetrically Encrypted and Integrity Protected Data";
    case Tag::Mdc: return "Modification Detection Code";
    case Tag::OcbEncrypted: return "OCB Encrypted Data (GnuPG)";
    case Tag::Padding: return "Padding";
    }
    const auto n = static_cast<unsigned>(tag);
    return n >= 60 && n <= 63 ? "Private or Experimental" : "Unknown";
}

const char* tag_short_name(Tag tag) noexcept {
    switch (tag) {
    case Tag::Pkesk: return "pubkey enc packet";
    case Tag::Signature: return "signature packet";
    case Tag::Skesk: return "symkey enc packet";
    case Tag::OnePassSig: return "onepass_sig packet";
    case Tag::SecretKey: return "secret key packet";
    case Tag::PublicKey: return "public key packet";
    case Tag::SecretSubkey: return "secret sub key packet";
    case Tag::CompressedData: return "compressed packet";
    case Tag::Sed: return "encrypted data packet";
    case Tag::Marker: return "marker packet";
    case Tag::Literal: return "literal data packet";
    case Tag::Trust: return "trust packet";
    case Tag::UserId: return "user ID packet";
    case Tag::PublicSubkey: return "public sub key packet";
    case Tag::UserAttribute: return "attribute packet";
    case Tag::Seipd: return "encrypted data packet (mdc)";
    case Tag::Mdc: return "mdc packet";
    case Tag::OcbEncrypted: return "aead encrypted packet";
    case Tag::Padding: return "padding packet";
    case Tag::Reserved: break;
    }
    return "unknown packet";
}

const char* pubkey_algo_name(PubkeyAlgo algo) noexcept {
    switch (algo) {
    case PubkeyAlgo::Rsa: return "RSA";
    case PubkeyAlgo::RsaEncryptOnly: return "RSA Encrypt-Only";
    case PubkeyAlgo::RsaSignOnly: return "RSA Sign-Only";
    case PubkeyAlgo::Elgamal: return "ElGamal";
    case PubkeyAlgo::Dsa: return "DSA";
    case PubkeyAlgo::Ecdh: return "ECDH";
    case PubkeyAlgo::Ecdsa: return "ECDSA";
    case PubkeyAlgo::ElgamalSignEncrypt: return "ElGamal Encrypt-or-Sign";
    case PubkeyAlgo::DiffieHellman: return "Diffie-Hellman";
    case PubkeyAlgo::EdDsaLegacy: return "EdDSALegacy";
    case PubkeyAlgo::AeDh: return "AEDH";
    case PubkeyAlgo::AeDsa: return "AEDSA";
    case PubkeyAlgo::X25519: return "X25519";
    case PubkeyAlgo::X448: return "X448";
    case PubkeyAlgo::Ed25519: return "Ed25519";
    case PubkeyAlgo::Ed448: return "Ed448";
    }
    return private_range(static_cast<unsigned>(algo)) ? "Private/Experimental" : "unknown";
}

const char* sym_algo_name(SymAlgo algo) noexcept {
    switch (algo) {
    case SymAlgo::Plaintext: return "Plaintext";
    case SymAlgo::Idea: return "IDEA";
    case SymAlgo::TripleDes: return "TripleDES";
    case SymAlgo::Cast5: return "CAST5";
    case SymAlgo::Blowfish: return "Blowfish";
    case SymAlgo::Aes128: return "AES-128";
    case SymAlgo::Aes192: return "AES-192";
    case SymAlgo::Aes256: return "AES-256";
    case SymAlgo::Twofish: return "Twofish";
    case SymAlgo::Camellia128: return "Camellia-128";
    case SymAlgo::Camellia192: return "Camellia-192";
    case SymAlgo::Camellia256: return "Camellia-256";
    }
    return private_range(static_cast<unsigned>(algo)) ? "Private/Experimental" : "unknown";
}

const char* hash_algo_name(HashAlgo algo) noexcept {
    switch (algo) {
    case HashAlgo::Md5: return "MD5";
    case HashAlgo::Sha1: return "SHA1";
    case HashAlgo::Ripemd160: return "RIPEMD160";
    case HashAlgo::Sha256: return "SHA256";
    case HashAlgo::Sha384: return "SHA384";
    case HashAlgo::Sha512: return "SHA512";
    case HashAlgo::Sha224: return "SHA224";
    case HashAlgo::Sha3_256: return "SHA3-256";
    case HashAlgo::Sha3_512: return "SHA3-512";
    }
    return private_range(static_cast<unsigned>(algo)) ? "Private/Experimental" : "unknown";
}

const char* compression_algo_name(CompressionAlgo algo) noexcept {
    switch (algo) {
    case CompressionAlgo::Uncompressed: return "Uncompressed";
    case CompressionAlgo::Zip: return "ZIP";
    case CompressionAlgo::Zlib: return "ZLIB";
    case CompressionAlgo::Bzip2: return "BZip2";
    }
    return private_range(static_cast<unsigned>(algo)) ? "Private/Experimental" : "unknown";
}

const char* aead_algo_name(AeadAlgo algo) noexcept {
    switch (algo) {
    case AeadAlgo::Eax: return "EAX";
    case AeadAlgo::Ocb: return "OCB";
    case AeadAlgo::Gcm: return "GCM";
    }
    return private_range(static_cast<unsigned>(algo)) ? "Private/Experimental" : "unknown";
}

const char* sig_type_name(SigType type) noexcept {
    switch (type) {
    case SigType::Binary: return "binary document";
    case SigType::Text: return "text document";
    case SigType::Standalone: return "standalone";
    case SigType::GenericCert: return "generic certification";
    case SigType::PersonaCert: return "persona certification";
    case SigType::CasualCert: return "casual certification";
    case SigType::PositiveCert: return "positive certification";
    case SigType::AttestedKey: return "attested key";
    case SigType::SubkeyBinding: return "subkey binding";
    case SigType::PrimaryKeyBinding: return "primary key binding";
    case SigType::DirectKey: return "direct key";
    case SigType::KeyRevocation: return "key revocation";
    case SigType::SubkeyRevocation: return "subkey revocation";
    case SigType::CertRevocation: return "certification revocation";
    case SigType::Timestamp: return "timestamp";
    case SigType::ThirdPartyConfirmation: return "third-party confirmation";
    }
    return "unknown";
}

const char* subpacket_type_name(SubpacketType type) noexcept {
    using T = SubpacketType;
    switch (type) {
    case T::SignatureCreationTime: return "signature creation time";
    case T::SignatureExpirationTime: return "signature expiration time";
    case T::ExportableCertification: return "exportable certification";
    case T::TrustSignature: return "trust signature";
    case T::RegularExpression: return "regular expression";
    case T::Revocable: return "revocable";
    case T::KeyExpirationTime: return "key expiration time";
    case T::PlaceholderBackwardCompat: return "placeholder for backward compatibility";
    case T::PreferredSymmetric: return "preferred symmetric ciphers";
    case T::RevocationKey: return "revocation key";
    case T::IssuerKeyId: return "issuer key ID";
    case T::NotationData: return "notation data";
    case T::PreferredHash: return "preferred hash algorithms";
    case T::PreferredCompression: return "preferred compression algorithms";
    case T::KeyServerPreferences: return "key server preferences";
    case T::PreferredKeyServer: return "preferred key server";
    case T::PrimaryUserId: return "primary user ID";
    case T::PolicyUri: return "policy URI";
    case T::KeyFlags: return "key flags";
    case T::SignersUserId: return "signer's user ID";
    case T::ReasonForRevocation: return "reason for revocation";
    case T::Features: return "features";
    case T::SignatureTarget: return "signature target";
    case T::EmbeddedSignature: return "embedded signature";
    case T::IssuerFingerprint: return "issuer fingerprint";
    case T::PreferredAeadLibrePgp: return "preferred AEAD algorithms (LibrePGP)";
    case T::IntendedRecipient: return "intended recipient fingerprint";
    case T::AttestedCertifications: return "attested certifications";
    case T::KeyBlock: return "key block";
    case T::PreferredAeadCiphersuites: return "preferred AEAD ciphersuites";
    }
    return private_range(static_cast<unsigned>(type)) ? "private or experimental" : "unknown";
}

namespace {
struct Curve {
    const char* name;
    std::uint8_t len;
    std::uint8_t oid[10];
};
constexpr std::array<Curve, 11> curves{{
    {"nistp256", 8, {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07}},
    {"nistp384", 5, {0x2B, 0x81, 0x04, 0x00, 0x22}},
    {"nistp521", 5, {0x2B, 0x81, 0x04, 0x00, 0x23}},
    {"brainpoolP256r1", 9, {0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07}},
    {"brainpoolP384r1", 9, {0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0B}},
    {"brainpoolP512r1", 9, {0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0D}},
    {"ed25519", 9, {0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01}},
    {"cv25519", 10, {0x2B, 0x06, 0x01, 0x04, 0x01, 0x97, 0x55, 0x01, 0x05, 0x01}},
    {"ed448", 3, {0x2B, 0x65, 0x71}},
    {"x448", 3, {0x2B, 0x65, 0x6F}},
    {"secp256k1", 5, {0x2B, 0x81, 0x04, 0x00, 0x0A}},
}};
}  // namespace

const char* curve_name_from_oid(const std::uint8_t* oid, std::size_t len) noexcept {
    for (const Curve& c : curves)
        if (c.len == len && std::memcmp(c.oid, oid, len) == 0) return c.name;
    return "unknown";
}

std::string oid_to_dotted(const std::uint8_t* oid, std::size_t len) {
    std::string s;
    if (len == 0) return s;
    s = std::to_string(oid[0] / 40) + "." + std::to_string(oid[0] % 40);
    std::uint64_t v = 0;
    for (std::size_t i = 1; i < len; ++i) {
        if (v > (std::uint64_t{1} << 56)) return s + ".?";
        v = (v << 7) | (oid[i] & 0x7F);
        if (!(oid[i] & 0x80)) {
            s += "." + std::to_string(v);
            v = 0;
        }
    }
    return s;
}

std::size_t hash_digest_size(HashAlgo algo) noexcept {
    switch (algo) {
    case HashAlgo::Md5: return 16;
    case HashAlgo::Sha1: case HashAlgo::Ripemd160: return 20;
    case HashAlgo::Sha256: case HashAlgo::Sha3_256: return 32;
    case HashAlgo::Sha384: return 48;
    case HashAlgo::Sha512: case HashAlgo::Sha3_512: return 64;
    case HashAlgo::Sha224: return 28;
    }
    return 0;
}

std::size_t sym_block_size(SymAlgo algo) noexcept {
    switch (algo) {
    case SymAlgo::Idea: case SymAlgo::TripleDes: case SymAlgo::Cast5: case SymAlgo::Blowfish: return 8;
    case SymAlgo::Aes128: case SymAlgo::Aes192: case SymAlgo::Aes256: case SymAlgo::Twofish:
    case SymAlgo::Camellia128: case SymAlgo::Camellia192: case SymAlgo::Camellia256: return 16;
    case SymAlgo::Plaintext: break;
    }
    return 0;
}

std::size_t aead_nonce_size(AeadAlgo algo) noexcept {
    switch (algo) {
    case AeadAlgo::Eax: return 16;
    case AeadAlgo::Ocb: return 15;
    case AeadAlgo::Gcm: return 12;
    }
    return 0;
}

}  // namespace pgpkit::packet
