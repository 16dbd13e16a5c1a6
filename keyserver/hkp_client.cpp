#include "keyserver/hkp_client.h"

#include <algorithm>
#include <cctype>

#include "base/error.h"
#include "keyserver/keyserver_list.h"

namespace pgpkit::keyserver {
namespace {

bool is_hex(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

/**
 * The visible text of an HTML error page (or the plain body) on one line: from the first
 * <h1> when there is one (SKS puts a disclaimer before it), else after </head>; cut at
 * `max` characters when `max` is not 0.
 */
std::string page_text(std::string_view body, std::size_t max = 160) {
    std::string out;
    bool in_tag = false, space = false;
    std::string_view b = body;
    if (const auto h1 = b.find("<h1"); h1 != std::string_view::npos) b.remove_prefix(h1);
    else if (const auto head_end = b.find("</head>"); head_end != std::string_view::npos) b.remove_prefix(head_end + 7);
    for (char c : b) {
        if (c == '<') {
            in_tag = true;
            space = space || !out.empty();
        } else if (c == '>') {
            in_tag = false;
        } else if (!in_tag) {
            if (std::isspace(static_cast<unsigned char>(c))) {
                space = !out.empty();
                continue;
            }
            if (space) out += ' ';
            space = false;
            if (static_cast<unsigned char>(c) >= 0x20) out += c;
        }
        if (max && out.size() > max) {
            out += "...";
            break;
        }
    }
    return out;
}

/** The page text with every mention of `path` taken out (servers echo the URL). */
std::string page_without(std::string_view body, const std::string& path) {
    std::string t = page_text(body, 0);
    for (std::size_t at; !path.empty() && (at = t.find(path)) != std::string::npos;) t.erase(at, path.size());
    return t;
}

bool looks_html(const HttpResponse& r) {
    if (r.content_type.find("html") != std::string::npos) return true;
    const std::string_view b = trim(r.body);
    return b.starts_with("<!") || b.starts_with("<html") || b.starts_with("<HTML");
}

bool looks_openpgp(std::string_view b) {
    b = trim(b);
    if (b.find("-----BEGIN PGP PUBLIC KEY BLOCK-----") != std::string_view::npos) return true;
    // Binary: a public key packet (old or new CTB, tag 6).
    return !b.empty() && ((static_cast<unsigned char>(b[0]) & 0xFC) == 0x98 || static_cast<unsigned char>(b[0]) == 0xC6);
}

}  // namespace

const char* outcome_name(Outcome o) noexcept {
    switch (o) {
    case Outcome::Ok: return "ok";
    case Outcome::NotFound: return "not found";
    case Outcome::NotImplemented: return "not implemented";
    case Outcome::Unavailable: return "server unavailable";
    case Outcome::HttpError: return "HTTP error";
    case Outcome::NetFailure: return "network failure";
    case Outcome::NotKeyserver: return "not a keyserver";
    }
    return "unknown";
}

Query classify_query(std::string_view q) {
    q = trim(q);
    std::string hex;
    std::string_view h = q;
    if (h.size() > 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X')) h.remove_prefix(2);
    for (char c : h)
        if (c != ' ') hex += c;
    if (is_hex(hex)) {
        const bool spaced = hex.size() != h.size();
        if (!spaced && hex.size() == 8) return {QueryKind::ShortKeyId, upper(hex)};
        if (!spaced && hex.size() == 16) return {QueryKind::LongKeyId, upper(hex)};
        if (hex.size() == 40 || hex.size() == 64) return {QueryKind::Fingerprint, upper(hex)};
    }
    std::string_view m = q;
    if (m.size() > 2 && m.front() == '<' && m.back() == '>') m = m.substr(1, m.size() - 2);
    const auto at = m.find('@');
    if (at != std::string_view::npos && at > 0 && at + 1 < m.size() && m.find_first_of(" \t<>") == std::string_view::npos)
        return {QueryKind::Email, std::string(m)};
    return {QueryKind::Words, std::string(q)};
}

Bytes query_id(const Query& q) {
    if (q.kind == QueryKind::Email || q.kind == QueryKind::Words) return {};
    Bytes out;
    for (std::size_t i = 0; i + 1 < q.text.size(); i += 2) {
        auto v = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (c | 0x20) - 'a' + 10; };
        out.push_back(static_cast<std::uint8_t>(v(q.text[i]) * 16 + v(q.text[i + 1])));
    }
    return out;
}

MatchedCerts match_certs(ByteView data, ByteView wanted) {
    MatchedCerts m;
    std::vector<cert::Cert> certs;
    try {
        cert::ReadOptions ro;
        ro.raise_malformed = false;
        certs = cert::read_all_certs(data, ro);
    } catch (const Error& e) {
        m.error = e.what();
        return m;
    }
    auto key_matches = [&](const packet::Key& k) {
        if (wanted.size() >= 20) return k.fingerprint.size() == wanted.size() && std::equal(wanted.begin(), wanted.end(), k.fingerprint.begin());
        if (wanted.size() > 8) return false;
        return std::equal(wanted.begin(), wanted.end(), k.keyid.end() - static_cast<std::ptrdiff_t>(wanted.size()));
    };
    for (auto& c : certs) {
        bool ok = key_matches(c.key());
        for (const auto& comp : c.components)
            if (!ok && comp.kind == cert::ComponentKind::Subkey && comp.key()) ok = key_matches(*comp.key());
        if (ok) {
            m.accepted.push_back(std::move(c));
        } else {
            m.refused.push_back("key " + to_hex(c.fingerprint()) + ": not the key asked for (" + to_hex(wanted) +
                                "); refused");
        }
    }
    return m;
}

HkpClient::HkpClient(std::string keyserver_url, HttpOptions opt) : m_http(std::move(opt)) {
    m_base = transport_url(normalize_keyserver_url(keyserver_url));
    if (m_base.empty()) throw Error(Errc::Usage, 0, "not a keyserver URL: " + keyserver_url);
}

Answer HkpClient::classify(const HttpResponse& r, bool want_text) const {
    Answer a;
    a.net = r.error;
    a.status = r.status;
    a.seconds = r.seconds;
    if (!r.ok()) {
        a.outcome = Outcome::NetFailure;
        a.message = std::string(net_error_name(r.error)) + ": " + r.message;
        return a;
    }
    const std::string text = page_text(r.body);
    if (r.status == 200) {
        a.outcome = Outcome::Ok;
        if (want_text && looks_html(r)) {
            a.outcome = Outcome::NotKeyserver;
            a.message = "an HTML page, not a keyserver answer: " + text;
        }
        return a;
    }
    a.message = "HTTP " + std::to_string(r.status) + (text.empty() ? "" : ": " + text);
    if (r.status == 404) a.outcome = Outcome::NotFound;
    else if (r.status == 501) a.outcome = Outcome::NotImplemented;
    else if (r.status == 502 || r.status == 503 || r.status == 504) a.outcome = Outcome::Unavailable;
    else a.outcome = Outcome::HttpError;
    return a;
}

SearchResult HkpClient::search(const Query& q) {
    std::string search = q.text;
    if (q.kind != QueryKind::Email && q.kind != QueryKind::Words) search = "0x" + q.text;
    std::string url = m_base + "/pks/lookup?op=index&options=mr&fingerprint=on&search=" + form_escape(search);
    if (q.kind == QueryKind::Email) url += "&exact=on";
    const HttpResponse r = m_http.get(url);
    SearchResult s;
    static_cast<Answer&>(s) = classify(r, true);
    if (!s.ok()) return s;
    s.entries = parse_mr_index(r.body, s.warnings);
    if (s.entries.empty()) {
        const bool mr = trim(r.body).empty() || trim(r.body).starts_with("info:");
        s.outcome = mr ? Outcome::NotFound : Outcome::NotKeyserver;
        if (!mr) s.message = "the answer is not an HKP index: " + page_text(r.body);
    }
    return s;
}

/** An answer that must hold OpenPGP keys (HKP op=get, VKS): anything else is not a keyserver's. */
FetchResult HkpClient::key_answer(const HttpResponse& r) const {
    FetchResult f;
    static_cast<Answer&>(f) = classify(r, true);
    if (f.ok() && !looks_openpgp(r.body)) {
        f.outcome = Outcome::NotKeyserver;
        f.message = "the answer holds no OpenPGP key: " + page_text(r.body);
    }
    if (f.ok()) f.data.assign(r.body.begin(), r.body.end());
    return f;
}

FetchResult HkpClient::get(ByteView id) {
    return key_answer(m_http.get(m_base + "/pks/lookup?op=get&options=mr&search=0x" + to_hex(id)));
}

FetchResult HkpClient::vks_get(const Query& q) {
    std::string path;
    switch (q.kind) {
    case QueryKind::Fingerprint: path = "/vks/v1/by-fingerprint/" + q.text; break;
    case QueryKind::LongKeyId: path = "/vks/v1/by-keyid/" + q.text; break;
    case QueryKind::Email: path = "/vks/v1/by-email/" + form_escape(q.text); break;
    default: throw Error(Errc::Usage, 0, "VKS looks up fingerprints, 16-digit key IDs and e-mail addresses only");
    }
    return key_answer(m_http.get(m_base + path));
}

Answer HkpClient::send(std::string_view armored) {
    const HttpResponse r = m_http.post_form(m_base + "/pks/add", "keytext=" + form_escape(armored));
    Answer a = classify(r, false);
    if (a.ok()) a.message = page_text(r.body);
    return a;
}

ProbeResult HkpClient::probe() {
    ProbeResult p;
    const std::string zero(40, '0');
    const std::string probe_path = "/pks/lookup?op=get&options=mr&search=0x" + zero;
    const std::string control_path = "/pgpkit-probe-no-such-page-" + zero;
    const HttpResponse hkp = m_http.get(m_base + probe_path);
    p.reach = classify(hkp, true);
    if (p.reach.outcome == Outcome::NetFailure) {
        p.verdict = "not reachable: " + p.reach.message;
        return p;
    }
    // A control request to a path no server has: a keyserver's "not found" for the probe
    // differs from its answer there; a plain web server gives the same page for both.
    const HttpResponse control = m_http.get(m_base + control_path);
    const std::string control_text = page_without(control.body, control_path);
    auto same_as_control = [&](const HttpResponse& r, const std::string& path) {
        if (!control.ok() || control.status != r.status) return false;
        std::string t = page_without(r.body, path);
        // "/pks/lookup" alone may be echoed too (without the query)
        return t == control_text || page_without(r.body, path.substr(0, path.find('?'))) == control_text;
    };
    if (p.reach.outcome == Outcome::NotFound && !same_as_control(hkp, probe_path)) {
        p.hkp = true;
        p.empty_answer = true;
    } else if (p.reach.outcome == Outcome::Ok && looks_openpgp(hkp.body)) {
        p.hkp = true;  // it answered with a key for the zero fingerprint: odd, but HKP
    }
    const std::string vks_path = "/vks/v1/by-fingerprint/" + zero;
    const HttpResponse vks = m_http.get(m_base + vks_path);
    p.vks = vks.ok() && vks.status == 404 && !same_as_control(vks, vks_path) && !looks_html(vks);
    if (p.hkp) p.verdict = p.empty_answer ? "keyserver, empty answer" : "keyserver";
    else if (p.reach.outcome == Outcome::Unavailable) p.verdict = "reachable, but unavailable: " + p.reach.message;
    else if (p.reach.outcome == Outcome::HttpError || p.reach.outcome == Outcome::NotImplemented)
        p.verdict = "reachable, HTTP error: " + p.reach.message;
    else p.verdict = "answers, but not as a keyserver" + (p.reach.message.empty() ? "" : ": " + p.reach.message);
    return p;
}

}  // namespace pgpkit::keyserver
