#pragma once
// The HKP client (doc/DETAILS "Documentation on HKP"; the HKP Internet-Draft): index
// search, get, add, and the probe of `keyserver test`. Status codes are read as gpg reads
// them: 404 not found, 501 not implemented, 502/503/504 server unavailable.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "cert/cert.h"
#include "keyserver/http_client.h"
#include "keyserver/mr_index.h"

namespace pgpkit::keyserver {

/** What a search or recv argument is. */
enum class QueryKind : std::uint8_t { ShortKeyId, LongKeyId, Fingerprint, Email, Words };

struct Query {
    QueryKind kind = QueryKind::Words;
    std::string text;  ///< upper-case hex for IDs (no 0x, no spaces); the address; the words
};

/**
 * Classifies a query: 8 or 16 hex digits (0x optional) are key IDs, 40 or 64 (spaces
 * allowed, 0x optional) a fingerprint, "a@b" or "<a@b>" an e-mail address, else words.
 */
[[nodiscard]] Query classify_query(std::string_view q);

/** The octets of an ID query (key IDs, fingerprints); empty for e-mail and words. */
[[nodiscard]] Bytes query_id(const Query& q);

/** How a request ended. */
enum class Outcome : std::uint8_t {
    Ok,
    NotFound,        ///< 404 (or an empty index)
    NotImplemented,  ///< 501
    Unavailable,     ///< 502, 503, 504 (after the retries)
    HttpError,       ///< any other status
    NetFailure,      ///< no HTTP answer: see Answer::net
    NotKeyserver,    ///< an answer, but not a keyserver's (an HTML page, a captive portal)
};

const char* outcome_name(Outcome o) noexcept;

struct Answer {
    Outcome outcome = Outcome::NetFailure;
    NetError net = NetError::None;
    long status = 0;
    std::string message;  ///< one line: libcurl's reason, or the text of an error page
    double seconds = 0;
    bool ok() const noexcept { return outcome == Outcome::Ok; }
};

struct SearchResult : Answer {
    std::vector<IndexEntry> entries;
    std::vector<IndexWarning> warnings;
};

struct FetchResult : Answer {
    Bytes data;  ///< the key material as sent (armored, maybe several blocks)
};

/** One address of a VKS upload and its status: unpublished, pending, published, revoked. */
struct VksAddress {
    std::string address;
    std::string status;
    bool operator==(const VksAddress&) const = default;
};

/** What a VKS upload or verification request answered (keyserver/vks.h). */
struct VksUpload : Answer {
    std::string fingerprint;            ///< key_fpr
    std::string token;                  ///< for request-verify
    std::vector<VksAddress> addresses;  ///< sorted by address
};

/** The certificates of a get answer, sorted into those that match the request and not. */
struct MatchedCerts {
    std::vector<cert::Cert> accepted;
    std::vector<std::string> refused;  ///< one line per certificate that was not asked for
    std::string error;                 ///< set when the data did not parse at all
};

/**
 * Keeps the certificates of `data` that have a key (primary or subkey) whose fingerprint
 * equals `wanted` (20 or 32 octets) or whose key ID ends in it (8 or 4 octets).
 */
[[nodiscard]] MatchedCerts match_certs(ByteView data, ByteView wanted);

/** What `keyserver test` found out about one server. */
struct ProbeResult {
    Answer reach;            ///< of the HKP probe; NetFailure: not reachable
    bool hkp = false;        ///< answered an HKP lookup as a keyserver does
    bool vks = false;        ///< answered a VKS lookup as a keyserver does
    bool empty_answer = false;  ///< the all-zero fingerprint was (correctly) not found
    std::string verdict;     ///< one line for people
};

/** HKP requests to one keyserver (hkp, hkps, http or https URL). */
class HkpClient {
public:
    /** @throws Error(Errc::Usage) if the URL's scheme is not hkp, hkps, http or https. */
    explicit HkpClient(std::string keyserver_url, HttpOptions opt = {});

    /** op=index&options=mr&fingerprint=on (exact=on for an e-mail address). */
    [[nodiscard]] SearchResult search(const Query& q);
    /** op=get&options=mr&search=0x<hex>; `id` is a key ID or fingerprint. */
    [[nodiscard]] FetchResult get(ByteView id);
    /** POST /pks/add with keytext=<armored>. */
    [[nodiscard]] Answer send(std::string_view armored);
    /** VKS GET /vks/v1/by-fingerprint/<FPR>, by-keyid/<ID> or by-email/<addr>. */
    [[nodiscard]] FetchResult vks_get(const Query& q);
    /** VKS POST /vks/v1/upload with {"keytext": armored}. */
    [[nodiscard]] VksUpload vks_upload(std::string_view armored);
    /** VKS POST /vks/v1/request-verify: the server mails a link to each address. */
    [[nodiscard]] VksUpload vks_request_verify(const std::string& token, const std::vector<std::string>& addresses);
    /** The all-zero-fingerprint probes of `keyserver test`, HKP and VKS. */
    [[nodiscard]] ProbeResult probe();

    /** http(s)://host:port the requests go to. */
    const std::string& base() const noexcept { return m_base; }

private:
    Answer classify(const HttpResponse& r, bool want_text) const;
    FetchResult key_answer(const HttpResponse& r) const;
    VksUpload vks_answer(const HttpResponse& r) const;

    std::string m_base;
    HttpClient m_http;
};

}  // namespace pgpkit::keyserver
