#pragma once
// The routes of `pgpkit serve`, apart from the HTTP transport (keyserver/hkp_server.h):
// /pks/lookup, /pks/add, the read-only VKS API and /health, from a request to a response.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "cert/verify.h"
#include "keyserver/server_store.h"

namespace pgpkit::keyserver {

/** What the routes read of an HTTP request. */
struct HkpRequest {
    std::string method;        ///< "GET", "POST", ...
    std::string target;        ///< path and query, as sent ("/pks/lookup?op=get&...")
    std::string content_type;  ///< of a POST body
    std::string body;
};

struct HkpResponse {
    unsigned status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  ///< beside Content-Type
    /** For the access log: what was looked up or what an upload did. */
    std::string note;
};

/** Server policy the routes apply. */
struct HandlerOptions {
    bool word_search = true;           ///< false: word searches are a 501 (--no-word-search)
    bool strip_third_party = false;    ///< serve certificates without third-party certifications
    std::size_t max_results = 100;     ///< certificates per look-up
};

/** The routes over one store. Thread-safe when the store is. */
class HkpHandler {
public:
    HkpHandler(KeyserverStore& store, HandlerOptions opt);
    /** Answers one request; never throws (a store failure is a 500). */
    [[nodiscard]] HkpResponse handle(const HkpRequest& req) const;

private:
    HkpResponse route(const HkpRequest& req) const;
    HkpResponse lookup(const std::string& query) const;
    HkpResponse add(const HkpRequest& req) const;
    HkpResponse vks(const std::string& path) const;
    HkpResponse stats(bool json) const;
    std::vector<FoundCert> find(const Search& s, bool exact) const;
    std::string keyblocks(const std::vector<FoundCert>& found) const;

    /** The memo of good verifications for listings, shared by the requests; replaced
     *  when it grows past a bound, so memory stays flat on a store of any size. */
    std::shared_ptr<cert::VerifiedSignatures> memo() const;

    KeyserverStore& m_store;
    HandlerOptions m_opt;
    mutable std::mutex m_memo_mutex;
    mutable std::shared_ptr<cert::VerifiedSignatures> m_memo;
};

/** "OK", "Not Found", ...: the reason phrase of a status code. */
const char* status_text(unsigned status) noexcept;

}  // namespace pgpkit::keyserver
