// The legacy protocol's requests answered through the HKP routes (legacy_server.h).
#include <exception>

#include "base/error.h"
#include "keyserver/http_client.h"
#include "keyserver/legacy_server.h"
#include "keyserver/query.h"

namespace pgpkit::keyserver {

namespace {

LegacyResponse answer(unsigned code, std::string_view body = {}) {
    LegacyResponse r;
    r.code = code;
    r.text = status_text(code);
    r.data.assign(body.begin(), body.end());
    return r;
}

LegacyResponse from_http(const HkpResponse& h) {
    LegacyResponse r = answer(h.status, h.body);
    return r;
}

std::string as_text(const Bytes& b) { return std::string(b.begin(), b.end()); }

LegacyResponse erase(KeyserverStore& store, const LegacyRequest& req) {
    std::string hex;
    for (char c : as_text(req.data))
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') hex += c;
    if (hex.rfind("0x", 0) == 0 || hex.rfind("0X", 0) == 0) hex.erase(0, 2);
    const Search s = parse_search(hex);
    if (s.kind != SearchKind::Fingerprint) return answer(400, "DELETE takes the fingerprint of a primary key\n");
    if (!store.erase(s.id)) return answer(404, "no key with that fingerprint\n");
    return answer(200, "deleted " + to_hex(s.id) + "\n");
}

}  // namespace

LegacyResponse handle_legacy(const HkpHandler& routes, KeyserverStore& store, const LegacyRequest& req,
                             bool allow_delete, bool on_unix_socket) {
    try {
        switch (req.command) {
        case LegacyCommand::Noop: return answer(200);
        case LegacyCommand::Get: {
            HkpRequest h;
            h.method = "GET";
            h.target = "/pks/lookup?op=get&options=mr&search=" + form_escape(as_text(req.data));
            return from_http(routes.handle(h));
        }
        case LegacyCommand::Put: {
            HkpRequest h;
            h.method = "POST";
            h.target = "/pks/add";
            h.content_type = "application/x-www-form-urlencoded";
            h.body = "keytext=" + form_escape(as_text(req.data));
            return from_http(routes.handle(h));
        }
        case LegacyCommand::Delete:
            if (!allow_delete) return answer(403, "DELETE is not allowed on this server (see --allow-delete)\n");
            if (!on_unix_socket) return answer(403, "DELETE is only allowed on the unix socket\n");
            return erase(store, req);
        }
        return answer(400, "unknown command\n");
    } catch (const Error& e) {
        if (e.kind() == Errc::Usage) return answer(400, e.detail() + "\n");
        return answer(500, std::string("internal error: ") + e.what() + "\n");
    } catch (const std::exception& e) {
        return answer(500, std::string("internal error: ") + e.what() + "\n");
    }
}

}  // namespace pgpkit::keyserver
