// VKS uploads (vks.h, and HkpClient::vks_upload / vks_request_verify).
#include "keyserver/vks.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "base/error.h"

namespace pgpkit::keyserver {

namespace {

using json = nlohmann::json;

[[noreturn]] void bad(const std::string& what) { throw Error(Errc::BadField, 0, "VKS answer: " + what); }

const std::string& string_field(const json& j, const char* name) {
    const auto it = j.find(name);
    if (it == j.end() || !it->is_string()) bad(std::string("no string \"") + name + "\"");
    return it->get_ref<const std::string&>();
}

}  // namespace

void parse_vks_answer(std::string_view text, VksUpload& out) {
    const json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) bad("not a JSON object");
    out.fingerprint = string_field(j, "key_fpr");
    out.token = string_field(j, "token");
    out.addresses.clear();
    const auto st = j.find("status");
    if (st == j.end() || !st->is_object()) bad("no \"status\" object");
    for (const auto& [address, status] : st->items()) {
        if (!status.is_string()) bad("the status of " + address.substr(0, 80) + " is not a string");
        out.addresses.push_back({address, status.get<std::string>()});
    }
    std::sort(out.addresses.begin(), out.addresses.end(),
              [](const VksAddress& a, const VksAddress& b) { return a.address < b.address; });
}

std::string vks_error_text(std::string_view body) {
    const json j = json::parse(body.begin(), body.end(), nullptr, false);
    if (!j.is_discarded() && j.is_object())
        if (const auto it = j.find("error"); it != j.end() && it->is_string()) return it->get<std::string>();
    std::string line(body.substr(0, std::min<std::size_t>(body.find('\n'), 200)));
    return line;
}

VksUpload HkpClient::vks_answer(const HttpResponse& r) const {
    VksUpload u;
    static_cast<Answer&>(u) = classify(r, false);
    if (u.outcome == Outcome::NetFailure) return u;
    if (!u.ok()) {
        u.message = "HTTP " + std::to_string(r.status) + ": " + vks_error_text(r.body);
        return u;
    }
    try {
        parse_vks_answer(r.body, u);
    } catch (const Error& e) {
        u.outcome = Outcome::NotKeyserver;
        u.message = e.detail();
    }
    return u;
}

VksUpload HkpClient::vks_upload(std::string_view armored) {
    const std::string body = json{{"keytext", std::string(armored)}}.dump(-1, ' ', false, json::error_handler_t::replace);
    return vks_answer(m_http.post(m_base + "/vks/v1/upload", body, "application/json"));
}

VksUpload HkpClient::vks_request_verify(const std::string& token, const std::vector<std::string>& addresses) {
    const std::string body =
        json{{"token", token}, {"addresses", addresses}}.dump(-1, ' ', false, json::error_handler_t::replace);
    return vks_answer(m_http.post(m_base + "/vks/v1/request-verify", body, "application/json"));
}

}  // namespace pgpkit::keyserver
