#include "keyring/spec.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "base/error.h"

namespace pgpkit::keyring {

const char* spec_kind_name(SpecKind k) noexcept {
    switch (k) {
    case SpecKind::ShortKeyId: return "short key ID";
    case SpecKind::LongKeyId: return "key ID";
    case SpecKind::Fingerprint: return "fingerprint";
    case SpecKind::Email: return "e-mail address";
    case SpecKind::Exact: return "exact user ID";
    case SpecKind::Domain: return "domain";
    case SpecKind::Substring: return "substring";
    }
    return "unknown";
}

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool all_hex(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c); });
}

Bytes hex_octets(std::string_view s) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < s.size(); i += 2) {
        auto v = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10; };
        out.push_back(static_cast<std::uint8_t>(v(s[i]) * 16 + v(s[i + 1])));
    }
    return out;
}

/** Hex digits with the spaces of a printed fingerprint removed ("ABCD 1234  ..."). */
std::string strip_spaces(std::string_view s) {
    std::string out;
    for (char c : s)
        if (c != ' ') out += c;
    return out;
}

std::optional<KeySpec> hex_spec(std::string_view s, bool prefixed) {
    const std::string digits = prefixed ? std::string(s) : strip_spaces(s);
    if (!all_hex(digits)) return std::nullopt;
    KeySpec k;
    switch (digits.size()) {
    case 8: k.kind = SpecKind::ShortKeyId; break;
    case 16: k.kind = SpecKind::LongKeyId; break;
    case 32: case 40: case 64: k.kind = SpecKind::Fingerprint; break;
    default: return std::nullopt;
    }
    // Bare hex with spaces is only a fingerprint, never a key ID ("DEAD BEEF" is a name).
    if (!prefixed && digits.size() != s.size() && k.kind != SpecKind::Fingerprint) return std::nullopt;
    k.id = hex_octets(digits);
    return k;
}

}  // namespace

std::string email_of(std::string_view uid) {
    const auto open = uid.rfind('<');
    if (open != std::string_view::npos) {
        const auto close = uid.find('>', open);
        if (close == std::string_view::npos) return {};
        std::string_view addr = uid.substr(open + 1, close - open - 1);
        return addr.find('@') == std::string_view::npos ? std::string() : lower(addr);
    }
    std::string_view t = trim(uid);
    const bool plain = t.find('@') != std::string_view::npos && t.find(' ') == std::string_view::npos;
    return plain ? lower(t) : std::string();
}

std::string domain_of(std::string_view email) {
    const auto at = email.rfind('@');
    return at == std::string_view::npos ? std::string() : lower(email.substr(at + 1));
}

KeySpec parse_key_spec(std::string_view raw) {
    std::string_view s = trim(raw);
    if (s.empty()) throw Error(Errc::Usage, 0, "empty key specification");
    KeySpec k;
    switch (s.front()) {
    case '<': {
        const auto close = s.find('>');
        k.kind = SpecKind::Email;
        k.text = lower(s.substr(1, close == std::string_view::npos ? s.npos : close - 1));
        return k;
    }
    case '=': k.kind = SpecKind::Exact; k.text = std::string(s.substr(1)); return k;
    case '@': k.kind = SpecKind::Domain; k.text = lower(s.substr(1)); return k;
    case '*': k.kind = SpecKind::Substring; k.text = std::string(s.substr(1)); return k;
    default: break;
    }
    std::string_view body = s;
    bool bang = false;
    if (body.size() > 1 && body.back() == '!') {
        bang = true;
        body.remove_suffix(1);
    }
    const bool prefixed = body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X');
    if (prefixed) {
        auto h = hex_spec(body.substr(2), true);
        if (!h) throw Error(Errc::Usage, 0, "'" + std::string(s) + "': 0x wants 8, 16, 40 or 64 hex digits");
        h->exact_key = bang;
        return *h;
    }
    if (auto h = hex_spec(body, false)) {
        h->exact_key = bang;
        return *h;
    }
    if (s.find('@') != std::string_view::npos && s.find(' ') == std::string_view::npos) {
        k.kind = SpecKind::Email;
        k.text = lower(s);
        return k;
    }
    k.text = std::string(s);
    return k;
}

}  // namespace pgpkit::keyring
