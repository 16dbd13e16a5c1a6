#pragma once
// recv and refresh: fetching keys from one keyserver on a few threads (each with its own
// connection), keeping only what was asked for, and importing it through the key store's
// Importer with gpg 2.2.40's keyserver default (self-sigs-only), per-key results.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/bytes.h"
#include "keyring/import.h"
#include "keyring/store.h"
#include "keyserver/hkp_client.h"
#include "keyserver/keyserver_list.h"

namespace pgpkit::keyserver {

/** Parallel requests to one server are capped at this many, whatever --jobs says. */
inline constexpr unsigned max_jobs_per_server = 8;

/** One key asked for and what the server gave. */
struct KeyFetch {
    Bytes id;            ///< fingerprint or key ID asked for
    FetchResult answer;  ///< outcome, timing, raw data
    MatchedCerts certs;  ///< accepted and refused certificates of the answer
    std::string server;  ///< URL of the server whose answer this is
};

struct FetchOptions {
    HttpOptions http;
    unsigned jobs = 1;   ///< parallel requests (capped at max_jobs_per_server)
    bool vks = false;    ///< use VKS paths instead of /pks/lookup
};

/**
 * Fetches every id from `keyserver_url`. `progress(done, total)` is called after each
 * key, from the worker threads, one call at a time. Never throws for a network or server
 * failure (they are in KeyFetch::answer).
 * @throws Error(Errc::Usage) for a bad URL.
 */
[[nodiscard]] std::vector<KeyFetch> fetch_keys(const std::string& keyserver_url, const std::vector<Bytes>& ids,
                                               const FetchOptions& opt,
                                               const std::function<void(std::size_t, std::size_t)>& progress = {});

/**
 * True for an answer after which the next listed keyserver is asked: 502, 503 or 504
 * after the retries (as gpg's dirmngr moves on), or no HTTP answer at all.
 */
[[nodiscard]] bool moves_on(const Answer& a) noexcept;

/**
 * fetch_keys over several servers in order: the keys for which a server's answer
 * moves_on() are asked of the next one, and the last server's answer stands. Each
 * server's own `vks` flag picks its protocol (opt.vks is not used). `progress` counts
 * each server's round from the keys already settled.
 * @throws Error(Errc::Usage) for a bad URL or an empty list.
 */
[[nodiscard]] std::vector<KeyFetch> fetch_keys(const std::vector<KeyserverEntry>& servers, const std::vector<Bytes>& ids,
                                               const FetchOptions& opt,
                                               const std::function<void(std::size_t, std::size_t)>& progress = {});

/** A search answered by one of several servers. */
struct ServerSearch {
    std::string server;  ///< the server whose answer `result` is
    SearchResult result;
};

/** HkpClient::search on each server in turn until one gives an answer that does not move on. */
[[nodiscard]] ServerSearch search_keys(const std::vector<KeyserverEntry>& servers, const Query& q,
                                       const HttpOptions& http);

/** HkpClient::send on each server in turn until one gives an answer that does not move on. */
[[nodiscard]] std::pair<std::string, Answer> send_key(const std::vector<KeyserverEntry>& servers,
                                                      std::string_view armored, const HttpOptions& http);

/**
 * The certificate `fingerprint` of the store as a keyserver may get it: public parts only
 * (secret key packets made public, whatever is stored), armored. nullopt if not stored.
 */
[[nodiscard]] std::optional<std::string> armored_public_cert(keyring::Store& store, ByteView fingerprint);

/** What became of one key of a recv or refresh. */
enum class KeyOutcome : std::uint8_t { New, Updated, Unchanged, NotOnServer, Refused, Failed };

const char* key_outcome_name(KeyOutcome o) noexcept;

/** What an import added to one stored certificate. */
struct KeyChanges {
    std::int64_t uids = 0;
    std::int64_t subkeys = 0;
    std::int64_t sigs = 0;
    std::int64_t revocations = 0;
    bool any() const noexcept { return uids || subkeys || sigs || revocations; }
};

struct KeyReport {
    Bytes id;                  ///< as asked
    std::vector<Bytes> fingerprints;  ///< of the certificates imported for it
    KeyOutcome outcome = KeyOutcome::Failed;
    KeyChanges changes;        ///< summed over its certificates
    std::string message;       ///< for NotOnServer, Refused and Failed
};

struct ImportFetchedOptions {
    /**
     * Lifts self-sigs-only. gpg's default keyserver-options (2.2.40: "self-sigs-only,
     * repair-keys, ..."; the man page) keep only self-signatures and do not clean.
     */
    bool keep_third_party = false;
    bool import_clean = false;  ///< also import-clean (gpg --keyserver-options import-clean)
};

/**
 * Imports the accepted certificates of every fetch in one import run and reports per
 * requested key. `stats` gets the run's counters (for the summary).
 */
[[nodiscard]] std::vector<KeyReport> import_fetched(keyring::Store& store, const std::vector<KeyFetch>& fetched,
                                                    const ImportFetchedOptions& opt, keyring::ImportEvents events,
                                                    keyring::ImportStats& stats);

}  // namespace pgpkit::keyserver
