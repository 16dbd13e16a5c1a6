#include "keyserver/http_client.h"

#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <thread>

#include "base/error.h"

namespace pgpkit::keyserver {
namespace {

std::once_flag curl_once;

struct Transfer {
    std::string* body = nullptr;
    std::size_t max = 0;
    bool too_large = false;
    std::string retry_after;  // of the last response's headers
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t len = size * n;
    if (t->body->size() + len > t->max) {
        t->too_large = true;
        return 0;  // libcurl stops with CURLE_WRITE_ERROR
    }
    t->body->append(data, len);
    return len;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t len = size * n;
    std::string_view line(data, len);
    if (line.starts_with("HTTP/")) t->retry_after.clear();  // a new response (redirect)
    constexpr std::string_view name = "retry-after:";
    if (line.size() > name.size()) {
        bool match = true;
        for (std::size_t i = 0; i < name.size() && match; ++i)
            match = (line[i] | 0x20) == name[i] || line[i] == name[i];
        if (match) {
            line.remove_prefix(name.size());
            while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
            while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' '))
                line.remove_suffix(1);
            t->retry_after = std::string(line);
        }
    }
    return len;
}

NetError classify(CURLcode rc, bool too_large) {
    switch (rc) {
    case CURLE_OK: return NetError::None;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT: return NetError::BadUrl;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return NetError::Dns;
    case CURLE_COULDNT_CONNECT: return NetError::Refused;
    case CURLE_OPERATION_TIMEDOUT: return NetError::Timeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_INITFAILED: return NetError::Tls;
    case CURLE_TOO_MANY_REDIRECTS: return NetError::Redirects;
    case CURLE_WRITE_ERROR: return too_large ? NetError::TooLarge : NetError::Protocol;
    default: return NetError::Protocol;
    }
}

/** Milliseconds a Retry-After value asks for (delta-seconds or an HTTP-date), -1 if none. */
long retry_after_ms(const std::string& v) {
    if (v.empty()) return -1;
    if (v.find_first_not_of("0123456789") == std::string::npos) {
        if (v.size() > 9) return 1'000'000'000L;
        return std::stol(v) * 1000;
    }
    const std::time_t when = curl_getdate(v.c_str(), nullptr);
    if (when < 0) return -1;
    const std::time_t now = std::time(nullptr);
    return when > now ? static_cast<long>(when - now) * 1000 : 0;
}

bool retryable(long status) { return status == 429 || status == 502 || status == 503 || status == 504; }

}  // namespace

const char* net_error_name(NetError e) noexcept {
    switch (e) {
    case NetError::None: return "none";
    case NetError::BadUrl: return "bad URL";
    case NetError::Dns: return "DNS failure";
    case NetError::Refused: return "connection refused";
    case NetError::Timeout: return "timeout";
    case NetError::Tls: return "TLS failure";
    case NetError::TooLarge: return "answer too large";
    case NetError::Redirects: return "too many redirects";
    case NetError::Protocol: return "not an HTTP answer";
    }
    return "unknown";
}

std::string transport_url(std::string_view ks) {
    const std::size_t sep = ks.find("://");
    if (sep == std::string_view::npos) return {};
    std::string scheme(ks.substr(0, sep));
    for (auto& c : scheme) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    std::string_view rest = ks.substr(sep + 3);
    while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    const std::size_t slash = rest.find('/');
    const std::string_view authority = rest.substr(0, slash);
    const std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    if (authority.empty()) return {};
    const std::size_t bracket = authority.rfind(']');
    const std::size_t colon = authority.rfind(':');
    const bool has_port = colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket);
    std::string port;
    if (scheme == "hkp") {
        scheme = "http";
        if (!has_port) port = ":11371";
    } else if (scheme == "hkps") {
        scheme = "https";
        if (!has_port) port = ":443";
    } else if (scheme != "http" && scheme != "https") {
        return {};
    }
    return scheme + "://" + std::string(authority) + port + std::string(path);
}

std::string form_escape(std::string_view value) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size() * 3 / 2);
    for (char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '~') {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

struct HttpClient::Impl {
    CURL* curl = nullptr;
    char errbuf[CURL_ERROR_SIZE] = {};
    ~Impl() {
        if (curl) curl_easy_cleanup(curl);
    }
};

HttpClient::HttpClient(HttpOptions opt) : m_impl(std::make_unique<Impl>()), m_opt(std::move(opt)) {
    std::call_once(curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    m_impl->curl = curl_easy_init();
    if (!m_impl->curl) throw Error(Errc::Io, 0, "curl_easy_init failed");
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::get(const std::string& url) { return perform(url, nullptr); }

HttpResponse HttpClient::post_form(const std::string& url, const std::string& form) {
    return post(url, form, "application/x-www-form-urlencoded");
}

HttpResponse HttpClient::post(const std::string& url, const std::string& body, const std::string& content_type) {
    const Body b{body, content_type};
    return perform(url, &b);
}

HttpResponse HttpClient::perform(const std::string& url, const Body* body) {
    HttpResponse r;
    for (int attempt_no = 0;; ++attempt_no) {
        long wait_ms = -1;
        r = attempt(url, body, wait_ms);
        r.attempts = attempt_no + 1;
        if (!r.ok() || !retryable(r.status) || attempt_no >= m_opt.retries) return r;
        const long backoff = m_opt.backoff_ms << std::min(attempt_no, 16);
        long pause = std::max(backoff, wait_ms);
        pause = std::min(pause, m_opt.max_retry_after_ms);
        std::this_thread::sleep_for(std::chrono::milliseconds(pause));
    }
}

HttpResponse HttpClient::attempt(const std::string& url, const Body* body, long& wait_ms) {
    HttpResponse r;
    CURL* c = m_impl->curl;
    curl_easy_reset(c);
    Transfer t;
    t.body = &r.body;
    t.max = m_opt.max_response;
    m_impl->errbuf[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, m_impl->errbuf);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, static_cast<long>(m_opt.max_redirects));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, m_opt.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, m_opt.total_timeout_ms);
    curl_easy_setopt(c, CURLOPT_USERAGENT, m_opt.user_agent.c_str());
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
    if (!m_opt.proxy.empty()) curl_easy_setopt(c, CURLOPT_PROXY, m_opt.proxy.c_str());
    if (!m_opt.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, m_opt.ca_file.c_str());
    struct Headers {
        curl_slist* list = nullptr;
        ~Headers() { curl_slist_free_all(list); }
    } headers;
    if (body) {
        headers.list = curl_slist_append(nullptr, ("Content-Type: " + body->type).c_str());
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.list);
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data.c_str());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->data.size()));
    }
    const CURLcode rc = curl_easy_perform(c);
    r.error = classify(rc, t.too_large);
    if (!r.ok()) {
        r.message = m_impl->errbuf[0] ? m_impl->errbuf : curl_easy_strerror(rc);
        if (r.error == NetError::TooLarge)
            r.message = "answer larger than " + std::to_string(m_opt.max_response) + " octets";
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    char* ct = nullptr;
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct) r.content_type = ct;
    char* eff = nullptr;
    if (curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff) r.url = eff;
    curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &r.seconds);
    wait_ms = retry_after_ms(t.retry_after);
    return r;
}

}  // namespace pgpkit::keyserver
