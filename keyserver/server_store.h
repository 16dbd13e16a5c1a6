#pragma once
// The store behind an HKP server (issue 13): look-ups by a parsed search, uploads merged
// into what is stored, and the figures of op=stats. One interface, several engines
// (keyserver/sqlite_store.h, keyserver/postgres_store.h). Every method may be called from
// several threads at once.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "keyserver/query.h"

namespace pgpkit::keyserver {

/** A certificate found by a look-up. */
struct FoundCert {
    Bytes fingerprint;  ///< of the primary key
    Bytes keyblock;     ///< the certificate's packets as stored (merged)
};

/** How a look-up matches. */
struct LookupOptions {
    /** Words: the search text must occur as written (case-insensitive) in a user ID. */
    bool exact = false;
    /** At most this many certificates (searches by e-mail or words can match many). */
    std::size_t max_results = 100;
};

/** What an upload did to one certificate. */
enum class AddStatus : std::uint8_t { Inserted, Updated, Unchanged, Rejected };
const char* add_status_name(AddStatus s) noexcept;

struct AddCertResult {
    AddStatus status = AddStatus::Rejected;
    Bytes fingerprint;    ///< of the primary key (empty if it could not be read)
    std::string reason;   ///< Rejected: why
};

/** Why a whole upload was refused (nothing of it is stored). */
enum class UploadProblem : std::uint8_t {
    None,      ///< the upload was read; see the per-certificate results
    TooLarge,  ///< more octets, certificates or packets than the limits allow (HTTP 413)
    Invalid,   ///< not a keyring, no certificate, or a secret key (HTTP 422)
};

struct AddResult {
    UploadProblem problem = UploadProblem::None;
    std::string message;                ///< the problem, for the answer and the log
    std::vector<AddCertResult> certs;   ///< in upload order
};

/** Limits of an upload. */
struct UploadLimits {
    std::size_t max_bytes = std::size_t{8} << 20;     ///< the key text, armored or binary
    std::size_t max_certs = 1000;                     ///< certificates in one upload
    std::size_t max_packets_per_cert = 20000;
    /** Third-party signatures kept per user ID or subkey; more are dropped on import. */
    std::size_t max_sigs_per_component = 2000;
    std::size_t max_keyblock_bytes = std::size_t{5} << 20;  ///< one certificate once merged
};

struct StoreStats {
    std::uint64_t certs = 0;
    std::int64_t last_update = 0;  ///< Unix time of the last change; 0 if unknown
};

class KeyserverStore {
public:
    virtual ~KeyserverStore() = default;
    /** The certificates a search names, in store order, at most opt.max_results. */
    [[nodiscard]] virtual std::vector<FoundCert> lookup(const Search& search, const LookupOptions& opt) = 0;
    /**
     * Merges the certificates of `keytext` (armored or binary) into the store, as
     * keyring import does: self-signatures verified, nothing ever removed. An upload with
     * a secret key, or that breaks the limits, is refused whole.
     */
    [[nodiscard]] virtual AddResult add(ByteView keytext) = 0;
    /** Removes a certificate (primary fingerprint). False if it was not there. Only the
     *  legacy protocol's DELETE, on a unix socket with --allow-delete, reaches this. */
    virtual bool erase(ByteView fingerprint) = 0;
    [[nodiscard]] virtual StoreStats stats() = 0;
    /** "sqlite", "postgresql": for op=stats and the log. */
    [[nodiscard]] virtual std::string engine() const = 0;
};

/**
 * Opens the store `spec` names: "sqlite:PATH" (the key store at PATH), or a PostgreSQL
 * connection URI ("postgresql://..." or "postgres://...").
 * @throws Error(Errc::Usage) for another form, Error(Errc::Io) if it cannot be opened.
 */
[[nodiscard]] std::unique_ptr<KeyserverStore> open_keyserver_store(const std::string& spec, UploadLimits limits = {});

}  // namespace pgpkit::keyserver
