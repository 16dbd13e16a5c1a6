#pragma once
// GnuPG's unattended key generation parameter language (GnuPG doc/DETAILS, "Unattended
// key generation"), parsed into key blocks. Parsing never prints: %echo text and notices
// are returned as messages in file order, errors are attached to the block they spoil.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto/pk.h"
#include "base/secret.h"

namespace pgpkit::keygen {

/** Public-key algorithms keygen can make (RFC 9580 section 9.1 numbers). */
enum class Algo : std::uint8_t { Rsa = 1, Elgamal = 16, Dsa = 17, Ecdh = 18, Ecdsa = 19, EdDsa = 22 };

/** Key capabilities, as Key-Usage names them (RFC 9580 section 5.2.3.29 flags). */
struct Usage {
    bool sign = false, encrypt = false, auth = false, cert = false;
    bool operator==(const Usage&) const = default;
};

/** An Expire-Date value: never, a duration from creation, or an absolute time. */
struct Expiry {
    enum class Kind : std::uint8_t { Never, Duration, Absolute } kind = Kind::Never;
    std::uint64_t value = 0;  ///< seconds (Duration) or seconds since the epoch (Absolute)
    bool operator==(const Expiry&) const = default;
};

/** Preferences in `setpref` syntax (GnuPG's --default-preference-list). */
struct Preferences {
    std::vector<std::uint8_t> sym, hash, zip;
    bool mdc = true;          ///< features: SEIPD v1 (MDC)
    bool ks_modify = false;   ///< keyserver preferences: no-modify unless ks-modify
    bool operator==(const Preferences&) const = default;
};

/** A designated revoker (Revoker: algo:fpr [sensitive]). */
struct Revoker {
    std::uint8_t algo = 0;
    std::vector<std::uint8_t> fingerprint;
    bool sensitive = false;
    bool operator==(const Revoker&) const = default;
};

/** A Key-Grip / Subkey-Grip: take the key material of this libgcrypt keygrip from a store. */
struct GripRef {
    unsigned line = 0;
    std::string keyword;  ///< as written ("Key-Grip", "Keygrip", "Subkey-Grip")
    std::array<std::uint8_t, 20> grip{};
};

/** One Subkey-Type group with its Subkey-* parameters. */
struct SubkeySpec {
    unsigned line = 0;
    Algo algo = Algo::Rsa;
    unsigned length = 0;                  ///< 0: the default for the algorithm
    std::optional<crypto::Curve> curve;
    std::optional<Usage> usage;
    std::optional<Expiry> expire;         ///< unset: the primary key's Expire-Date
    std::uint8_t version = 0;             ///< 0: the block's Key-Version
    std::optional<GripRef> grip;          ///< Subkey-Grip
};

/** One key block: parameters from its first line to its commit. */
struct KeyBlock {
    std::string file;
    unsigned line = 0;                    ///< first line of the block
    unsigned key_type_line = 0;           ///< 0 if the block has no Key-Type
    Algo algo = Algo::Rsa;
    unsigned length = 0;
    std::optional<crypto::Curve> curve;
    std::optional<Usage> usage;
    std::uint8_t version = 4;
    std::optional<GripRef> grip;          ///< Key-Grip / Keygrip
    std::vector<SubkeySpec> subkeys;
    std::string name_real, name_comment, name_email, user_id;
    /**
     * User IDs certified after the first (library callers such as `sop generate-key`; the
     * parameter language has one per block). With no user ID at all the key's properties
     * go into a direct-key signature, as in v6 keys.
     */
    std::vector<std::string> more_user_ids;
    /** True: an empty user ID with no more_user_ids means a key without user IDs. */
    bool allow_no_user_id = false;
    std::optional<SecretBytes> passphrase;
    Expiry expire;
    std::optional<std::uint32_t> creation;
    Preferences prefs;
    std::vector<Revoker> revokers;
    std::string keyserver;
    std::string handle;
    // Control state in force when the block was committed.
    bool dry_run = false, no_protection = false, transient_key = false;
    std::string pubring, secring;
    /** First error found in the block ("file:line: reason"); the block must not be made. */
    std::optional<std::string> error;

    /**
     * User-Id, or GnuPG's user ID from the parts given: "Name-Real (Name-Comment) <Name-Email>"
     * with the comment's leading space kept when Name-Real is absent (" (c)") and a lone
     * Name-Email bare ("e@x.org").
     */
    std::string effective_user_id() const;
};

/**
 * %echo text, a notice (skipped control statements, obsolete statements), or a warning: a
 * Key-Length / Subkey-Length that GnuPG would change, in GnuPG's words ("t.param:2: keysize
 * invalid; using 3072 bits"), placed just before the block it belongs to.
 */
struct Message {
    enum class Kind : std::uint8_t { Echo, Notice, Warning } kind = Kind::Echo;
    unsigned line = 0;
    std::string text;
};

using Item = std::variant<Message, KeyBlock>;

/** Longest accepted line in octets, without its line ending (GnuPG reads 1024-octet lines). */
inline constexpr std::size_t max_line_length = 1022;

/**
 * Parses a parameter file. `file` names it in messages. Every block is returned, in file
 * order, interleaved with messages; a block with an error carries it in KeyBlock::error
 * (`keys.param:7: unknown Key-Type "RSB"`), so one bad block does not stop the others.
 * Never throws for bad input.
 */
[[nodiscard]] std::vector<Item> parse_params(std::string_view text, std::string_view file);

/** Parses an Expire-Date value; nullopt if invalid. */
[[nodiscard]] std::optional<Expiry> parse_expiry(std::string_view s);
/** Parses a Creation-Date value (ISO date, ISO timestamp, seconds=N since the epoch). */
[[nodiscard]] std::optional<std::uint32_t> parse_creation(std::string_view s);
/** Parses a setpref string; on error returns the reason. */
[[nodiscard]] std::variant<Preferences, std::string> parse_preferences(std::string_view s);
/** GnuPG's default preferences (AES256 AES192 AES SHA512 SHA384 SHA256 SHA224 ZLIB BZIP2 ZIP, mdc). */
[[nodiscard]] Preferences default_preferences();
/** Seconds from `created` to the expiry, 0 for never; nullopt if it lies at or before `created`. */
[[nodiscard]] std::optional<std::uint32_t> expiry_seconds(const Expiry& e, std::uint32_t created);

}  // namespace pgpkit::keygen
