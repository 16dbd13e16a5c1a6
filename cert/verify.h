#pragma once
// Checking the signatures of certificates: which key made a signature, what it hashes,
// whether it verifies, and whether the policy accepts it. The cryptographic result and
// the policy verdict are kept apart (issue 9, part 3).

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cert/cert.h"
#include "cert/primitive.h"

namespace pgpkit::cert {

/**
 * What pgpkit accepts beyond a signature that verifies. The defaults are gpg 2.2's:
 *
 * | rule | default | gpg option that lifts it |
 * | --- | --- | --- |
 * | hash algorithms rejected for every signature | MD5 (1) | --allow-weak-digest-algos |
 * | SHA-1 third-party certifications (0x10-0x13, 0x30) made after a date are rejected | 2019-01-19 | --allow-weak-key-signatures |
 * | a signature older than the key that made it is rejected | on | --ignore-time-conflict |
 *
 * Each rejection reads as gpg prints it ("Invalid digest algorithm", ...).
 */
struct Policy {
    std::vector<packet::HashAlgo> rejected_hashes{packet::HashAlgo::Md5};
    /** nullopt: SHA-1 certifications are accepted whenever they were made. */
    std::optional<std::uint32_t> sha1_cert_cutoff = 1547856000;
    bool reject_time_conflict = true;
};

/** The outcome of checking one signature. */
struct SigCheck {
    Verdict crypto = Verdict::NoKey;    ///< the cryptographic result
    std::string crypto_reason;
    std::optional<std::string> policy;  ///< why the policy rejects a signature, if it does
    const packet::Key* issuer = nullptr;  ///< the key that made it, when found
    bool self = false;                  ///< made by the certificate's primary key

    bool good() const noexcept { return crypto == Verdict::Good && !policy; }
    /** The character of gpg's --check-sigs: '!' good, '-' bad, '?' no key, '%' other error. */
    char marker() const noexcept;
    /** "good", "bad", "no-key", "unsupported", "malformed" or "rejected". */
    const char* verdict_name() const noexcept;
};

/** Keys by key ID, to find the issuers of third-party signatures. Holds pointers. */
class KeyIndex {
public:
    /**
     * Adds the primary key and subkeys of `c`, which must outlive the index. A key that is
     * not `usable` (its certificate is expired, revoked or invalid) is still listed but
     * issues nothing: gpg's look-up of a certifying key skips such keys.
     */
    void add(const Cert& c, bool usable = true);
    /** Keys whose key ID is `keyid` (several when IDs collide). */
    const std::vector<const packet::Key*>* find(std::uint64_t keyid) const;
    /** The certificate a key of the index belongs to, or null. */
    const Cert* owner(const packet::Key* key) const;
    /** False for keys added as not usable. */
    bool usable(const packet::Key* key) const;

private:
    std::unordered_map<const packet::Key*, bool> m_usable;
    std::unordered_map<std::uint64_t, std::vector<const packet::Key*>> m_by_keyid;
    std::unordered_map<const packet::Key*, const Cert*> m_owner;
};

/**
 * Decoded keys, so a key that makes many signatures is decoded once (decoding an RSA-4096
 * key costs about as much as ten verifications). Safe to share between threads: the
 * decoding happens outside the lock, and a KeyVerifier may verify on several threads.
 */
class VerifierCache {
public:
    KeyVerifier get(const packet::Key& key);

private:
    std::mutex m_mu;
    std::unordered_map<std::string, KeyVerifier> m_map;  ///< by fingerprint octets
};

/**
 * Verifications known to succeed, as gpg's keybox keeps signature-cache flags: a hit
 * skips the public-key operation, which is most of the cost of listing a store. An entry
 * is a SHA-256 over the key's fingerprint and algorithm, the signature's algorithms and
 * values and the digest it signs (id_of), so it stands for one verification and cannot go
 * stale when a keyblock changes. The key store keeps them (keyring::Store). Thread-safe.
 */
class VerifiedSignatures {
public:
    using Id = std::array<std::uint8_t, 32>;

    /** The entry for `key` verifying `sig` over `digest`. */
    [[nodiscard]] static Id id_of(const packet::Key& key, const packet::Signature& sig, ByteView digest);

    /** Adds an entry loaded from storage (not "fresh"). */
    void load(const Id& id);
    [[nodiscard]] bool contains(const Id& id) const;
    /** Adds an entry found by a verification of a signature of the certificate `cert_fpr`. */
    void record(const Id& id, ByteView cert_fpr);
    /** Entries recorded since the last call, with their certificate's fingerprint; clears them. */
    [[nodiscard]] std::vector<std::pair<Bytes, Id>> take_fresh();
    [[nodiscard]] std::size_t size() const;

private:
    struct IdHash {
        std::size_t operator()(const Id& id) const noexcept;
    };
    mutable std::mutex m_mu;
    std::unordered_set<Id, IdHash> m_ids;
    std::vector<std::pair<Bytes, Id>> m_fresh;
};

/** The context of a check: other keys, policy, the caches. */
struct CheckContext {
    const KeyIndex* others = nullptr;  ///< may be null: only the certificate's own keys
    Policy policy;
    VerifierCache* cache = nullptr;    ///< may be null: keys are decoded for each signature
    /** May be null. Consulted before each public-key operation; good results go into it. */
    VerifiedSignatures* verified = nullptr;
};

/**
 * Checks one signature `sig_packet` of component `comp` of `c`: finds the issuer (the
 * certificate's own keys first, as gpg does, then `ctx.others`), hashes what the
 * signature type covers (RFC 9580 section 5.2.4), compares the left 16 bits, verifies,
 * and applies the policy. Never throws for bad input: a problem is a verdict.
 */
[[nodiscard]] SigCheck check_signature(const Cert& c, const Component& comp, const packet::Packet& sig_packet,
                                       const CheckContext& ctx);

/**
 * The public-key step of a check: `k` verifies `sig` over `digest`, through ctx.cache
 * when set, and skipped when ctx.verified knows the result (a good one is recorded there
 * for the certificate `cert_fpr`). A key whose material does not parse is Malformed.
 */
[[nodiscard]] CryptoResult verify_in_context(const packet::Key& k, const packet::Signature& sig, ByteView digest,
                                             ByteView cert_fpr, const CheckContext& ctx);

/**
 * Checks a data signature (RFC 9580 section 5.2.1: binary 0x00, text 0x01 with CR LF
 * line ends, standalone 0x02 and timestamp 0x40 over no data) on `data`, with the issuer
 * looked up by key ID among the keys of `ctx.others` (subkeys included: data is signed
 * by signing subkeys). Never throws for bad input.
 */
[[nodiscard]] SigCheck check_data_signature(const packet::Signature& sig, ByteView data, const CheckContext& ctx);

/** What gpg's --check-sigs shows in the flag columns of a signature line. */
struct SigFlags {
    bool exportable = true;   ///< exportable certification subpacket absent or 1
    bool revocable = true;
    bool policy_url = false;
    bool notation = false;
    bool expired = false;     ///< signature expiration time passed at `now`
    std::uint8_t trust_depth = 0;
    std::optional<std::uint32_t> expires;
};
[[nodiscard]] SigFlags signature_flags(const packet::Signature& sig, std::uint32_t now);

/**
 * The quick check of RFC 9580 section 5.2.3: does the digest `sig` would have over
 * component `comp` of `c` start with its left 16 bits? No verification; false when the
 * digest cannot be computed.
 */
[[nodiscard]] bool left16_matches(const Cert& c, const Component& comp, const packet::Signature& sig);

/** True for revocation signature types (0x20, 0x28, 0x30): gpg lists them as "rev". */
bool is_revocation(packet::SigType sig_type) noexcept;

/** Key ID of 8 octets as a number (big-endian). */
std::uint64_t keyid_value(const std::array<std::uint8_t, 8>& id) noexcept;

}  // namespace pgpkit::cert
