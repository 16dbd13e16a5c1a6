#pragma once
// The trust-model options of the commands that compute validity (check-trustdb,
// update-trustdb, list-keys, list-secret-keys), the home's trustdb.gpg they read, and the
// validity a listing shows (trust/wot.h over every certificate of the sources).

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cert/cert.h"
#include "trust/trustdb.h"
#include "trust/wot.h"

namespace CLI {
class App;
}

namespace pgpkit::cli {

/** gpg's trust options, as given on the command line. */
struct TrustCliOptions {
    std::string trustdb;       ///< --trustdb FILE: used in place of <home>/trustdb.gpg
    std::string model = "pgp"; ///< --trust-model pgp|classic|always|direct
    unsigned marginals = 3;    ///< --marginals-needed
    unsigned completes = 1;    ///< --completes-needed
    unsigned max_depth = 5;    ///< --max-cert-depth
    unsigned min_level = 2;    ///< --min-cert-level
    std::vector<std::string> trusted_keys;  ///< --trusted-key (fingerprint or long key ID)
    std::string faked_time;    ///< --faked-system-time
};

/** Adds --trustdb, --trust-model, --marginals-needed ... --trusted-key, --faked-system-time. */
void add_trust_options(CLI::App& cmd, TrustCliOptions& opt);

/** gpg's --faked-system-time: seconds since the epoch (a trailing '!' is accepted) or ISO; now when empty. */
[[nodiscard]] std::int64_t faked_now(const std::string& faked);

/**
 * The computation's options. --trusted-key values are matched against the primary keys
 * of `certs` (a long key ID names every certificate with that key ID).
 * @throws Error(Errc::Usage) for the values gpg refuses (marginals below 2, completes
 * below 1, depth outside 1..255, min level outside 1..3, an unknown model, a --trusted-key
 * that is no fingerprint or long key ID).
 */
[[nodiscard]] trust::WotOptions wot_options(const TrustCliOptions& opt, const std::vector<cert::Cert>& certs,
                                            unsigned jobs);

/** --trustdb FILE, else <home>/trustdb.gpg; empty when the home does not exist and `create` is false. */
[[nodiscard]] std::string trustdb_path(const TrustCliOptions& opt, const std::string& home, bool create);

/** The options and times of a trustdb's version record. */
[[nodiscard]] trust::TrustDbState trustdb_state(const trust::Trustdb& db);

/** The ownertrust of a trustdb as the computation looks it up. */
[[nodiscard]] trust::OwnertrustLookup ownertrust_of(const trust::Trustdb& db);

/**
 * Writes a computation's results into `db` as gpg's validate_keys does: every validity
 * and min_ownertrust reset, then each stored user ID validity with its counts and the
 * key's depth, the min_ownertrust trust signatures gave, nextcheck, and the version
 * record's options and creation time (`now`).
 */
void store_results(trust::Trustdb& db, const std::vector<cert::Cert>& certs, const trust::WotResult& r,
                   const trust::WotOptions& opt, std::uint32_t now);

/** The validity a listing shows, computed over every certificate of its sources. */
struct ListingTrust {
    trust::WotResult result;
    trust::TrustDbState db;   ///< the trustdb's state (defaults when there is no file)
    trust::WotOptions options;
    std::unordered_map<std::string, std::size_t> by_fingerprint;  ///< into result.keys

    /** The validity of the certificate with primary fingerprint `fpr`; null if not computed. */
    [[nodiscard]] const trust::KeyValidity* find(const Bytes& fpr) const;
    /** gpg's "tru" record for this trustdb and these options. */
    [[nodiscard]] std::string tru_line(std::uint32_t now) const;
};

/**
 * The trustdb a listing uses: the file of trustdb_path() when it exists (loaded; a damaged
 * one throws as Trustdb::load, naming the file and the record), else nullopt.
 */
[[nodiscard]] std::optional<trust::Trustdb> listing_trustdb(const TrustCliOptions& opt, const std::string& home);

/**
 * True when a listing shows computed validity: the trustdb holds ownertrust, or
 * --trusted-key is given. Else it keeps the letters of validity without trust (what gpg
 * lists in a home without ownertrust).
 */
[[nodiscard]] bool listing_uses_trust(const TrustCliOptions& opt, const std::optional<trust::Trustdb>& db);

/**
 * The computation over `all` (every certificate of the listing's sources, not only the
 * listed ones) at `now` with the ownertrust of `db`. `checked`, when given, holds check
 * reports parallel to `all`.
 */
[[nodiscard]] ListingTrust listing_trust(const TrustCliOptions& opt, const std::optional<trust::Trustdb>& db,
                                         const std::vector<cert::Cert>& all, std::uint32_t now, unsigned jobs,
                                         const std::vector<cert::CertReport>* checked = nullptr);

}  // namespace pgpkit::cli
