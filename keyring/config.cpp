#include "keyring/config.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <optional>

#include "base/version.h"

namespace pgpkit::keyring {

namespace {

/** An algorithm number and the name gpg's --list-config gives it. */
struct Named {
    std::uint8_t id;
    const char* name;
};

// Public-key algorithms pgpkit verifies with (cert/primitive.h) or generates (keygen/):
// RSA, ElGamal encryption subkeys, DSA, ECDH, ECDSA, EdDSA, and RFC 9580's X25519/Ed25519.
constexpr std::array kPubkey{Named{1, "RSA"},   Named{16, "ELG"},   Named{17, "DSA"},    Named{18, "ECDH"},
                             Named{19, "ECDSA"}, Named{22, "EDDSA"}, Named{25, "X25519"}, Named{27, "ED25519"}};

// Ciphers of secret-key protection (cert/secret_key.cpp).
constexpr std::array kCipher{Named{1, "IDEA"},       Named{2, "3DES"},         Named{3, "CAST5"},
                             Named{4, "BLOWFISH"},   Named{7, "AES"},          Named{8, "AES192"},
                             Named{9, "AES256"},     Named{10, "TWOFISH"},     Named{11, "CAMELLIA128"},
                             Named{12, "CAMELLIA192"}, Named{13, "CAMELLIA256"}};

// Digests the default signature policy accepts (cert/verify.h; MD5 is rejected, as gpg).
constexpr std::array kDigest{Named{2, "SHA1"},   Named{3, "RIPEMD160"}, Named{8, "SHA256"},
                             Named{9, "SHA384"}, Named{10, "SHA512"},   Named{11, "SHA224"},
                             Named{12, "SHA3-256"}, Named{14, "SHA3-512"}};

// Compression the packet layer reads (packet/decompress.h).
constexpr std::array kCompress{Named{0, "Uncompressed"}, Named{1, "ZIP"}, Named{2, "ZLIB"}, Named{3, "BZIP2"}};

constexpr std::array kCurves{"cv25519",         "ed25519",         "nistp256",        "nistp384", "nistp521",
                             "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1", "secp256k1"};

constexpr std::array<const char*, 10> kItems{"version",  "pubkey",       "pubkeyname", "cipher",
                                             "ciphername", "digest",     "digestname", "compress",
                                             "compressname", "curve"};

template <std::size_t N>
std::string ids(const std::array<Named, N>& table) {
    std::string out;
    for (const Named& n : table) out += (out.empty() ? "" : ";") + std::to_string(n.id);
    return out;
}

template <std::size_t N>
std::string names(const std::array<Named, N>& table) {
    std::string out;
    for (const Named& n : table) out += (out.empty() ? "" : ";") + std::string(n.name);
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

/** The value of a known item; "group" and unknown items have none. */
std::optional<std::string> value_of(const std::string& item) {
    if (item == "version") return std::string(version());
    if (item == "pubkey") return ids(kPubkey);
    if (item == "pubkeyname") return names(kPubkey);
    if (item == "cipher") return ids(kCipher);
    if (item == "ciphername") return names(kCipher);
    if (item == "digest") return ids(kDigest);
    if (item == "digestname") return names(kDigest);
    if (item == "compress") return ids(kCompress);
    if (item == "compressname") return names(kCompress);
    if (item == "curve") {
        std::string out;
        for (const char* c : kCurves) out += (out.empty() ? "" : ";") + std::string(c);
        return out;
    }
    return std::nullopt;
}

bool known(const std::string& item) {
    return item == "group" || std::find(kItems.begin(), kItems.end(), item) != kItems.end();
}

}  // namespace

std::span<const char* const> config_items() noexcept { return kItems; }

std::vector<ColonRecord> config_records(std::span<const std::string> items) {
    std::vector<std::string> asked(items.begin(), items.end());
    if (asked.empty()) asked.assign(kItems.begin(), kItems.end());
    std::vector<ColonRecord> out;
    for (const std::string& a : asked) {
        const std::string item = lower(a);
        if (const auto v = value_of(item)) out.push_back(ColonRecord{{"cfg", item, *v}});
    }
    return out;
}

std::vector<std::string> unknown_config_items(std::span<const std::string> items) {
    std::vector<std::string> out;
    for (const std::string& a : items)
        if (!known(lower(a))) out.push_back(a);
    return out;
}

}  // namespace pgpkit::keyring
