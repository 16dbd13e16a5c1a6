// The routes of the HKP server (hkp_handler.h).
#include "keyserver/hkp_handler.h"

#include <ctime>
#include <exception>

#include "armor/armor.h"
#include "base/error.h"
#include "base/version.h"
#include "cert/cert.h"
#include "keyserver/index_build.h"
#include "keyserver/mr_index.h"
#include "keyserver/query.h"

namespace pgpkit::keyserver {

namespace {

HkpResponse text(unsigned status, std::string body) {
    HkpResponse r;
    r.status = status;
    r.body = std::move(body);
    if (!r.body.empty() && r.body.back() != '\n') r.body.push_back('\n');
    r.note = r.status == 200 ? "" : r.body.substr(0, r.body.size() - 1);
    return r;
}

std::uint32_t now() { return static_cast<std::uint32_t>(std::time(nullptr)); }

std::vector<cert::Cert> parse_found(const std::vector<FoundCert>& found) {
    std::vector<cert::Cert> out;
    cert::ReadOptions ro;
    ro.raise_malformed = false;
    for (const auto& f : found) {
        try {
            for (auto& c : cert::read_all_certs(f.keyblock, ro)) out.push_back(std::move(c));
        } catch (const Error&) {
            // A stored keyblock that does not read is left out of listings.
        }
    }
    return out;
}

std::string json_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out.push_back('\\');
        if (static_cast<unsigned char>(c) < 0x20) continue;
        out.push_back(c);
    }
    return out;
}

bool hex_of_size(std::string_view s, std::size_t n) {
    if (s.size() != n) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
    return true;
}

}  // namespace

const char* status_text(unsigned status) noexcept {
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

HkpHandler::HkpHandler(KeyserverStore& store, HandlerOptions opt) : m_store(store), m_opt(opt) {}

HkpResponse HkpHandler::handle(const HkpRequest& req) const {
    try {
        return route(req);
    } catch (const Error& e) {
        if (e.kind() == Errc::Usage) return text(400, e.detail());
        return text(500, std::string("internal error: ") + e.what());
    } catch (const std::exception& e) {
        return text(500, std::string("internal error: ") + e.what());
    }
}

HkpResponse HkpHandler::route(const HkpRequest& req) const {
    const auto q = req.target.find('?');
    const std::string path = req.target.substr(0, q);
    const std::string query = q == std::string::npos ? std::string{} : req.target.substr(q + 1);
    const bool get = req.method == "GET" || req.method == "HEAD";  // the transport drops HEAD's body
    if (path == "/health") return get ? text(200, "ok") : text(405, "use GET");
    if (path == "/pks/lookup") return get ? lookup(query) : text(405, "use GET for /pks/lookup");
    if (path == "/pks/add") return req.method == "POST" ? add(req) : text(405, "use POST for /pks/add");
    if (path.rfind("/vks/v1/", 0) == 0) return get ? vks(path) : text(405, "the VKS API is read-only here");
    return text(404, "no such path");
}

std::shared_ptr<cert::VerifiedSignatures> HkpHandler::memo() const {
    constexpr std::size_t max_entries = std::size_t{1} << 20;  // 32 MiB of digests, about
    std::lock_guard lock(m_memo_mutex);
    if (!m_memo || m_memo->size() > max_entries) m_memo = std::make_shared<cert::VerifiedSignatures>();
    return m_memo;
}

std::vector<FoundCert> HkpHandler::find(const Search& s, bool exact) const {
    LookupOptions lo;
    lo.exact = exact;
    lo.max_results = m_opt.max_results;
    return m_store.lookup(s, lo);
}

std::string HkpHandler::keyblocks(const std::vector<FoundCert>& found) const {
    std::string out;
    if (!m_opt.strip_third_party) {
        for (const auto& f : found) out.append(f.keyblock.begin(), f.keyblock.end());
        return out;
    }
    for (const auto& c : parse_found(found)) {
        const Bytes b = cert::write_cert(without_third_party(c));
        out.append(b.begin(), b.end());
    }
    return out;
}

HkpResponse HkpHandler::lookup(const std::string& query) const {
    const LookupQuery q = parse_lookup(query);
    if (q.op == Op::Unknown) return text(501, "op " + q.op_text + " is not implemented");
    if (q.op == Op::Stats) return stats(q.mr || q.json);
    if (q.search->kind == SearchKind::Words && !m_opt.word_search)
        return text(501, "word search is disabled on this server");
    const std::vector<FoundCert> found = find(*q.search, q.exact);
    if (found.empty()) return text(404, "no keys found");
    HkpResponse r;
    r.note = std::to_string(found.size()) + " found";
    if (q.op == Op::Get) {
        const std::string blocks = keyblocks(found);
        const ByteView data(reinterpret_cast<const std::uint8_t*>(blocks.data()), blocks.size());
        r.content_type = q.mr || q.bin ? "application/pgp-keys" : "text/plain; charset=utf-8";
        r.body = q.bin ? blocks : armor::encode_text(data, "PUBLIC KEY BLOCK", {});
        if (q.mr) r.headers.emplace_back("Content-Disposition", "attachment; filename=\"keys.asc\"");
        return r;
    }
    const auto certs = parse_found(found);
    const auto verified = memo();
    if (q.mr) {
        std::vector<IndexEntry> entries;
        for (const auto& c : certs) entries.push_back(index_entry(c, now(), verified.get()));
        (void)verified->take_fresh();  // nothing keeps them but the memo itself
        r.body = format_mr_index(entries);
        return r;
    }
    ListingOptions lo;
    lo.verbose = q.op == Op::VIndex;
    lo.fingerprint = q.fingerprint;
    r.content_type = "text/html; charset=utf-8";
    r.body = html_index(certs, q.search->text.empty() ? "0x" + to_hex(q.search->id) : q.search->text, lo, now(),
                        verified.get());
    (void)verified->take_fresh();
    return r;
}

HkpResponse HkpHandler::stats(bool json) const {
    const StoreStats s = m_store.stats();
    HkpResponse r;
    if (json) {
        r.content_type = "application/json";
        r.body = "{\"software\":\"pgpkit\",\"version\":\"" + json_escape(version()) + "\",\"engine\":\"" +
                 json_escape(m_store.engine()) + "\",\"total\":" + std::to_string(s.certs) +
                 ",\"last_update\":" + std::to_string(s.last_update) + "}\n";
        return r;
    }
    r.content_type = "text/html; charset=utf-8";
    r.body = "<!DOCTYPE html>\n<html><head><title>pgpkit keyserver statistics</title></head><body>\n"
             "<h1>pgpkit keyserver</h1>\n<pre>\nversion:     " + html_escape(version()) +
             "\nengine:      " + html_escape(m_store.engine()) + "\ntotal keys:  " + std::to_string(s.certs) +
             "\nlast update: " + std::to_string(s.last_update) + "\n</pre>\n</body></html>\n";
    return r;
}

HkpResponse HkpHandler::add(const HkpRequest& req) const {
    const auto form = parse_form(req.body);
    const auto keytext = form_value(form, "keytext");
    if (!keytext || keytext->empty()) return text(400, "the form has no keytext field");
    const ByteView data(reinterpret_cast<const std::uint8_t*>(keytext->data()), keytext->size());
    const AddResult res = m_store.add(data);
    if (res.problem == UploadProblem::TooLarge) return text(413, res.message);
    if (res.problem == UploadProblem::Invalid) return text(422, res.message);
    std::string body;
    std::size_t accepted = 0;
    for (const auto& c : res.certs) {
        body += std::string(add_status_name(c.status)) + " " + to_hex(c.fingerprint);
        if (c.status == AddStatus::Rejected) body += ": " + c.reason;
        else ++accepted;
        body += "\n";
    }
    HkpResponse r = text(accepted ? 200 : 422, body);
    r.note = body.substr(0, body.find('\n'));
    if (res.certs.size() > 1) r.note += " (+" + std::to_string(res.certs.size() - 1) + ")";
    return r;
}

HkpResponse HkpHandler::vks(const std::string& path) const {
    const std::string rest = path.substr(std::string("/vks/v1/").size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos) return text(404, "no such path");
    const std::string kind = rest.substr(0, slash);
    const std::string arg = url_decode(rest.substr(slash + 1), false);
    Search s;
    if (kind == "by-fingerprint") {
        if (!hex_of_size(arg, 40) && !hex_of_size(arg, 64)) return text(400, "a fingerprint has 40 or 64 hex digits");
        s = parse_search(arg);
    } else if (kind == "by-keyid") {
        if (!hex_of_size(arg, 16)) return text(400, "a key ID has 16 hex digits");
        s = parse_search("0x" + arg);
    } else if (kind == "by-email") {
        s = parse_search("<" + arg + ">");
        if (s.kind != SearchKind::Email) return text(400, "not an e-mail address");
    } else {
        return text(404, "no such path");
    }
    const auto found = find(s, false);
    if (found.empty()) return text(404, "no key found");
    const std::string blocks = keyblocks(found);
    HkpResponse r;
    r.content_type = "application/pgp-keys";
    r.body = armor::encode_text(ByteView(reinterpret_cast<const std::uint8_t*>(blocks.data()), blocks.size()),
                                "PUBLIC KEY BLOCK", {});
    return r;
}

}  // namespace pgpkit::keyserver
