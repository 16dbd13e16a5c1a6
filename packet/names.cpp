#include "packet/names.h"

#include <array>
#include <cstring>

namespace pgpkit::packet {

const char* tag_name(std::uint8_t tag) noexcept {
    switch (tag) {
    case 0: return "Reserved";
    case 1: return "Public-Key Encrypted Session Key";
    case 2: return "Signature";
    case 3: return "Symmetric-Key Encrypted Session Key";
    case 4: return "One-Pass Signature";
    case 5: return "Secret-Key";
    case 6: return "Public-Key";
    case 7: return "Secret-Subkey";
    case 8: return "Compressed Data";
    case 9: return "Symmetrically Encrypted Data";
    case 10: return "Marker";
    case 11: return "Literal Data";
    case 12: return "Trust";
    case 13: return "User ID";
    case 14: return "Public-Subkey";
    case 17: return "User Attribute";
    case 18: return "Symmetrically Encrypted and Integrity Protected Data";
    case 19: return "Modification Detection Code";
    case 20: return "OCB Encrypted Data (GnuPG)";
    case 21: return "Padding";
    default:
        if (tag >= 60 && tag <= 63) return "Private or Experimental";
        return "Unknown";
    }
}

const char* tag_short_name(std::uint8_t tag) noexcept {
    switch (tag) {
    case 1: return "pubkey enc packet";
    case 2: return "signature packet";
    case 3: return "symkey enc packet";
    case 4: return "onepass_sig packet";
    case 5: return "secret key packet";
    case 6: return "public key packet";
    case 7: return "secret sub key packet";
    case 8: return "compressed packet";
    case 9: return "encrypted data packet";
    case 10: return "marker packet";
    case 11: return "literal data packet";
    case 12: return "trust packet";
    case 13: return "user ID packet";
    case 14: return "public sub key packet";
    case 17: return "attribute packet";
    case 18: return "encrypted data packet (mdc)";
    case 19: return "mdc packet";
    case 20: return "aead encrypted packet";
    case 21: return "padding packet";
    default: return "unknown packet";
    }
}

const char* pubkey_algo_name(std::uint8_t algo) noexcept {
    switch (algo) {
    case 1: return "RSA";
    case 2: return "RSA Encrypt-Only";
    case 3: return "RSA Sign-Only";
    case 16: return "ElGamal";
    case 17: return "DSA";
    case 18: return "ECDH";
    case 19: return "ECDSA";
    case 20: return "ElGamal Encrypt-or-Sign";
    case 21: return "Diffie-Hellman";
    case 22: return "EdDSALegacy";
    case 23: return "AEDH";
    case 24: return "AEDSA";
    case 25: return "X25519";
    case 26: return "X448";
    case 27: return "Ed25519";
    case 28: return "Ed448";
    default: return (algo >= 100 && algo <= 110) ? "Private/Experimental" : "unknown";
    }
}

const char* sym_algo_name(std::uint8_t algo) noexcept {
    switch (algo) {
    case 0: return "Plaintext";
    case 1: return "IDEA";
    case 2: return "TripleDES";
    case 3: return "CAST5";
    case 4: return "Blowfish";
    case 7: return "AES-128";
    case 8: return "AES-192";
    case 9: return "AES-256";
    case 10: return "Twofish";
    case 11: return "Camellia-128";
    case 12: return "Camellia-192";
    case 13: return "Camellia-256";
    default: return (algo >= 100 && algo <= 110) ? "Private/Experimental" : "unknown";
    }
}

const char* hash_algo_name(std::uint8_t algo) noexcept {
    switch (algo) {
    case 1: return "MD5";
    case 2: return "SHA1";
    case 3: return "RIPEMD160";
    case 8: return "SHA256";
    case 9: return "SHA384";
    case 10: return "SHA512";
    case 11: return "SHA224";
    case 12: return "SHA3-256";
    case 14: return "SHA3-512";
    default: return (algo >= 100 && algo <= 110) ? "Private/Experimental" : "unknown";
    }
}

const char* compression_algo_name(std::uint8_t algo) noexcept {
    switch (algo) {
    case 0: return "Uncompressed";
    case 1: return "ZIP";
    case 2: return "ZLIB";
    case 3: return "BZip2";
    default: return (algo >= 100 && algo <= 110) ? "Private/Experimental" : "unknown";
    }
}

const char* aead_algo_name(std::uint8_t algo) noexcept {
    switch (algo) {
    case 1: return "EAX";
    case 2: return "OCB";
    case 3: return "GCM";
    default: return (algo >= 100 && algo <= 110) ? "Private/Experimental" : "unknown";
    }
}

const char* sig_type_name(std::uint8_t type) noexcept {
    switch (type) {
    case 0x00: return "binary document";
    case 0x01: return "text document";
    case 0x02: return "standalone";
    case 0x10: return "generic certification";
    case 0x11: return "persona certification";
    case 0x12: return "casual certification";
    case 0x13: return "positive certification";
    case 0x16: return "attested key";
    case 0x18: return "subkey binding";
    case 0x19: return "primary key binding";
    case 0x1F: return "direct key";
    case 0x20: return "key revocation";
    case 0x28: return "subkey revocation";
    case 0x30: return "certification revocation";
    case 0x40: return "timestamp";
    case 0x50: return "third-party confirmation";
    default: return "unknown";
    }
}

const char* subpacket_type_name(std::uint8_t type) noexcept {
    switch (type) {
    case 2: return "signature creation time";
    case 3: return "signature expiration time";
    case 4: return "exportable certification";
    case 5: return "trust signature";
    case 6: return "regular expression";
    case 7: return "revocable";
    case 9: return "key expiration time";
    case 10: return "placeholder for backward compatibility";
    case 11: return "preferred symmetric ciphers";
    case 12: return "revocation key";
    case 16: return "issuer key ID";
    case 20: return "notation data";
    case 21: return "preferred hash algorithms";
    case 22: return "preferred compression algorithms";
    case 23: return "key server preferences";
    case 24: return "preferred key server";
    case 25: return "primary user ID";
    case 26: return "policy URI";
    case 27: return "key flags";
    case 28: return "signer's user ID";
    case 29: return "reason for revocation";
    case 30: return "features";
    case 31: return "signature target";
    case 32: return "embedded signature";
    case 33: return "issuer fingerprint";
    case 34: return "preferred AEAD algorithms (LibrePGP)";
    case 35: return "intended recipient fingerprint";
    case 37: return "attested certifications";
    case 38: return "key block";
    case 39: return "preferred AEAD ciphersuites";
    default: return (type >= 100 && type <= 110) ? "private or experimental" : "unknown";
    }
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

std::size_t hash_digest_size(std::uint8_t algo) noexcept {
    switch (algo) {
    case 1: return 16;
    case 2: case 3: return 20;
    case 8: case 12: return 32;
    case 9: return 48;
    case 10: case 14: return 64;
    case 11: return 28;
    default: return 0;
    }
}

std::size_t sym_block_size(std::uint8_t algo) noexcept {
    switch (algo) {
    case 1: case 2: case 3: case 4: return 8;
    case 7: case 8: case 9: case 10: case 11: case 12: case 13: return 16;
    default: return 0;
    }
}

std::size_t aead_nonce_size(std::uint8_t algo) noexcept {
    switch (algo) {
    case 1: return 16;
    case 2: return 15;
    case 3: return 12;
    default: return 0;
    }
}

}  // namespace pgpkit::packet
