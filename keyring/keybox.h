#pragma once
// Read-only access to GnuPG's keybox format (pubring.kbx, what gpg 2.1 and later write),
// as described in GnuPG's kbx/keybox-blob.c. A keybox is a sequence of blobs, each a u32
// length (counting itself), a type octet and a version octet; all integers big-endian,
// offsets counted from the start of the blob. The first blob is a header blob (type 1,
// magic "KBXf"); OpenPGP blobs (type 2) carry a keyblock (the packets of one certificate)
// with an index of its fingerprints and user IDs, and a SHA-1 checksum at the end.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "base/bytes.h"
#include "cert/cert.h"
#include "packet/source.h"

namespace pgpkit::keyring {

/** Blob types (octet 4 of every blob). */
enum class BlobType : std::uint8_t { Empty = 0, Header = 1, OpenPgp = 2, X509 = 3 };

/** Blob flags (u16 at octet 6 of an OpenPGP or X.509 blob). */
enum class BlobFlag : std::uint16_t { Secret = 1, Ephemeral = 2 };

/**
 * True if `head`, the first octets of a file (at least 12), start with a keybox header
 * blob: a length of at least 12, type 1 and the magic "KBXf" at octet 8.
 */
[[nodiscard]] bool is_keybox(ByteView head) noexcept;

/** The header blob that opens a keybox file. */
struct KeyboxHeader {
    std::uint32_t length = 0;
    std::uint8_t version = 0;
    std::uint16_t flags = 0;           ///< bit 1: used for OpenPGP blobs
    std::uint32_t created_at = 0;      ///< 0 if the blob is too short to hold it
    std::uint32_t last_maintenance = 0;
};

/** One entry of a blob's key information: the primary key first, then each subkey. */
struct KeyboxKey {
    /**
     * The fingerprint as the blob stores it: 20 octets (blob version 1; a v3 key's
     * 16-octet MD5 fingerprint is left-padded with four zero octets), or 20 or 32
     * octets (blob version 2, 32 when key flag 0x80 is set).
     */
    Bytes fingerprint;
    /** The key ID the blob points to (version 1 blobs with a non-zero key ID offset). */
    std::optional<std::array<std::uint8_t, 8>> key_id;
    std::uint16_t flags = 0;
};

/** One entry of a blob's user ID information (OpenPGP: the User ID packets, in order). */
struct KeyboxUserId {
    std::uint32_t offset = 0;  ///< of the user ID octets, from the start of the blob
    std::uint32_t length = 0;
    std::uint16_t flags = 0;
    std::uint8_t validity = 0;
};

/** How a blob's checksum (the last 20 octets) turned out. */
enum class BlobChecksum : std::uint8_t {
    Absent,    ///< fewer than 20 octets after the keyblock: the blob has no checksum
    Sha1,      ///< SHA-1 of the blob up to the end of the keyblock: valid
    Md5,       ///< the MD5 of blobs written before GnuPG 2.1: valid
    Unchecked, ///< present, but KeyboxOptions::verify_checksum was off
};

/** An OpenPGP blob: its keyblock and the metadata GnuPG keeps beside it. */
struct KeyboxBlob {
    std::uint64_t offset = 0;   ///< of the blob (its length field) in the input
    std::uint32_t length = 0;   ///< of the whole blob
    std::uint8_t version = 1;   ///< 1: 20-octet fingerprints, 2: up to 32
    std::uint16_t flags = 0;    ///< BlobFlag bits
    std::uint32_t keyblock_offset = 0;  ///< from the start of the blob
    /**
     * The keyblock: the packets of one certificate. A view into the input given as a
     * ByteView, or into the reader's buffer, valid until the reader's next call to next().
     */
    ByteView keyblock;
    std::vector<KeyboxKey> keys;
    Bytes serial;
    std::vector<KeyboxUserId> user_ids;
    std::vector<std::uint32_t> signature_info;  ///< one u32 per signature (expiry or status)
    /** The fields after the signature information, absent if the blob ends before them. */
    std::optional<std::uint8_t> ownertrust;
    std::optional<std::uint8_t> all_validity;
    std::uint32_t recheck_after = 0;
    std::uint32_t latest_timestamp = 0;
    std::uint32_t created_at = 0;
    BlobChecksum checksum = BlobChecksum::Absent;

    bool has_flag(BlobFlag f) const noexcept { return (flags & static_cast<std::uint16_t>(f)) != 0; }
    bool ephemeral() const noexcept { return has_flag(BlobFlag::Ephemeral); }
};

/** What a reader passed over, so callers can say why a keybox held fewer certificates. */
struct KeyboxStats {
    std::uint64_t openpgp = 0;    ///< OpenPGP blobs handed over
    std::uint64_t x509 = 0;       ///< X.509 blobs, skipped
    std::uint64_t empty = 0;      ///< empty (deleted) blobs, skipped
    std::uint64_t ephemeral = 0;  ///< ephemeral OpenPGP blobs skipped (KeyboxOptions::skip_ephemeral)
    std::uint64_t too_large = 0;  ///< blobs over KeyboxOptions::max_blob_size, skipped
    std::uint64_t other = 0;      ///< further header blobs and unknown blob types, skipped
};

/** Options of a keybox read. */
struct KeyboxOptions {
    /**
     * OpenPGP blobs larger than this are skipped and counted (KeyboxStats::too_large),
     * as gpg does; GnuPG never writes a blob over 5 MiB (kbx/keybox-file.c).
     */
    std::uint32_t max_blob_size = 5u << 20;
    /** Check each OpenPGP blob's checksum; a mismatch is an error naming the blob. */
    bool verify_checksum = true;
    /** Pass over blobs flagged ephemeral, as gpg's key listing does. */
    bool skip_ephemeral = true;
};

/**
 * A streaming reader of a keybox: memory holds one blob at a time. The constructor
 * reads the header blob; next() returns each OpenPGP blob in file order.
 *
 * Bad input is an Error with the offset in the input and what is wrong: Truncated for a
 * blob that runs past the end, BadLength for a length or offset outside its blob,
 * BadField for a field value that cannot be (no header blob, an unknown blob version,
 * a checksum mismatch).
 */
class KeyboxReader {
public:
    /** Reads from a stream. @throws Error if the input does not open with a header blob. */
    explicit KeyboxReader(packet::Source& input, KeyboxOptions opt = {});
    /** Reads from memory, zero-copy: the blobs' keyblocks are views of `data`. */
    explicit KeyboxReader(ByteView data, KeyboxOptions opt = {});
    ~KeyboxReader();
    KeyboxReader(const KeyboxReader&) = delete;
    KeyboxReader& operator=(const KeyboxReader&) = delete;

    const KeyboxHeader& header() const noexcept { return m_header; }
    /** The next OpenPGP blob, or nothing at the end of the input. */
    [[nodiscard]] std::optional<KeyboxBlob> next();
    const KeyboxStats& stats() const noexcept { return m_stats; }

private:
    struct Input;
    void read_header();
    void count_skipped(std::uint8_t type, std::uint32_t len) noexcept;
    std::unique_ptr<Input> m_in;
    KeyboxOptions m_opt;
    KeyboxHeader m_header;
    KeyboxStats m_stats;
};

/** Every OpenPGP blob of a keybox in memory; keyblocks are views of `data`. */
[[nodiscard]] std::vector<KeyboxBlob> read_keybox(ByteView data, const KeyboxOptions& opt = {},
                                                  KeyboxStats* stats = nullptr);

/** What a keybox certificate read reports. */
struct KeyboxCertEvents {
    /** A certificate with the blob it came from (whose keyblock view is still valid). */
    std::function<void(cert::Cert&&, const KeyboxBlob&)> cert;
    /** Packets of a keyblock that belong to no certificate (cert::ReadEvents::stray). */
    std::function<void(const packet::Packet&, const std::string& why)> stray;
};

/**
 * Reads each OpenPGP blob's keyblock as certificates (cert::read_certs), one blob in
 * memory at a time. Errors inside a keyblock are rethrown with the offset in the keybox
 * and a detail naming the blob.
 * @returns what the keybox reader passed over.
 */
KeyboxStats read_keybox_certs(packet::Source& input, const KeyboxOptions& kopt,
                              const cert::ReadOptions& ropt, const KeyboxCertEvents& events);

/** Every certificate of a keybox in memory, in file order. */
[[nodiscard]] std::vector<cert::Cert> read_keybox_all_certs(ByteView data, const KeyboxOptions& kopt = {},
                                                            const cert::ReadOptions& ropt = {});

}  // namespace pgpkit::keyring
