#pragma once
// HTTP for the keyserver client, on libcurl: hkp:// (port 11371), hkps:// (443, TLS
// verified), http:// and https://; timeouts, retries with back-off on 429 and 502/503/504
// (honouring Retry-After), proxies, a response size cap. Transport failures come back as
// distinct kinds, never printed; an HTTP status is an answer, not a failure.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pgpkit::keyserver {

/** Defaults of the transport; the cli states them in its --help. */
struct HttpOptions {
    long connect_timeout_ms = 10'000;  ///< TCP (and proxy) connect, per attempt
    long total_timeout_ms = 30'000;    ///< one whole attempt, transfer included
    int retries = 2;                   ///< further attempts after a 429/502/503/504 or a timeout
    long backoff_ms = 500;             ///< first wait; doubled per retry
    long max_retry_after_ms = 30'000;  ///< a longer Retry-After is cut to this
    std::size_t max_response = std::size_t{64} << 20;  ///< octets of body kept at most
    std::string proxy;    ///< --proxy URL; empty: http_proxy, https_proxy, ALL_PROXY, NO_PROXY
    std::string ca_file;  ///< --keyserver-ca: PEM bundle that replaces the system's CAs
    int max_redirects = 5;
    std::string user_agent = "pgpkit";
};

/** Why no HTTP answer came (None: one did). */
enum class NetError : std::uint8_t {
    None,
    BadUrl,      ///< not an hkp/hkps/http/https URL
    Dns,         ///< host name (or proxy name) does not resolve
    Refused,     ///< connection refused or host unreachable
    Timeout,     ///< connect or total timeout
    Tls,         ///< handshake or certificate verification failed
    TooLarge,    ///< the body passed HttpOptions::max_response
    Redirects,   ///< more than max_redirects
    Protocol,    ///< the peer does not speak HTTP, or another transport failure
};

/** Stable name of a NetError ("dns", "connection refused", "timeout", ...). */
const char* net_error_name(NetError e) noexcept;

struct HttpResponse {
    NetError error = NetError::None;
    std::string message;       ///< libcurl's explanation when error is set
    long status = 0;           ///< HTTP status of the last attempt (0 without an answer)
    std::string body;
    std::string content_type;  ///< as sent, e.g. "text/plain" (empty when absent)
    std::string url;           ///< the URL finally fetched (after redirects)
    double seconds = 0;        ///< time of the last attempt
    int attempts = 0;
    bool ok() const noexcept { return error == NetError::None; }
};

/**
 * The http(s):// URL an hkp/hkps/http/https keyserver URL stands for, with its default
 * port made explicit for hkp (11371) and hkps (443), and no trailing '/'.
 * Returns an empty string for another scheme.
 */
[[nodiscard]] std::string transport_url(std::string_view keyserver_url);

/** application/x-www-form-urlencoded escaping of one value (RFC 3986 unreserved kept). */
[[nodiscard]] std::string form_escape(std::string_view value);

/**
 * One connection context (libcurl easy handle, reused between requests so keep-alive
 * works). Not thread-safe: one HttpClient per thread.
 */
class HttpClient {
public:
    explicit HttpClient(HttpOptions opt = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    /** GET `url` (http:// or https://), following redirects, with retries. */
    [[nodiscard]] HttpResponse get(const std::string& url);
    /** POST `form` (already form-encoded) to `url`, with retries on 429/502/503/504 only. */
    [[nodiscard]] HttpResponse post_form(const std::string& url, const std::string& form);
    /** POST `body` of type `content_type` ("application/json", ...), retried as post_form. */
    [[nodiscard]] HttpResponse post(const std::string& url, const std::string& body, const std::string& content_type);

    const HttpOptions& options() const noexcept { return m_opt; }

private:
    /** A POST's body and its Content-Type. */
    struct Body {
        const std::string& data;
        const std::string& type;
    };
    HttpResponse perform(const std::string& url, const Body* body);
    HttpResponse attempt(const std::string& url, const Body* body, long& retry_after_ms);

    struct Impl;
    std::unique_ptr<Impl> m_impl;
    HttpOptions m_opt;
};

}  // namespace pgpkit::keyserver
