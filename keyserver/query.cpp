// HKP request parsing (query.h).
#include "keyserver/query.h"

#include <algorithm>

#include "base/error.h"

namespace pgpkit::keyserver {

namespace {

[[noreturn]] void bad(std::string msg) { throw Error(Errc::Usage, 0, std::move(msg)); }

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool all_hex(std::string_view s) noexcept {
    return std::all_of(s.begin(), s.end(), [](char c) { return hex_value(c) >= 0; });
}

Bytes hex_octets(std::string_view s) {
    Bytes out;
    out.reserve(s.size() / 2);
    for (std::size_t i = 0; i + 1 < s.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(hex_value(s[i]) * 16 + hex_value(s[i + 1])));
    return out;
}

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) { return lower(c); });
    return out;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool word_char(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::optional<Search> hex_search(std::string_view s) {
    const bool prefix = s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    if (prefix) {
        const std::string_view digits = s.substr(2);
        if (!all_hex(digits)) bad("a key ID after 0x must be hexadecimal");
        Search out;
        switch (digits.size()) {
        case 8:
        case 16: out.kind = SearchKind::KeyId; break;
        case 40:
        case 64: out.kind = SearchKind::Fingerprint; break;
        default: bad("a key ID after 0x must have 8, 16, 40 or 64 hex digits");
        }
        out.id = hex_octets(digits);
        return out;
    }
    std::string compact;
    for (char c : s)
        if (c != ' ') compact.push_back(c);
    if ((compact.size() == 40 || compact.size() == 64) && all_hex(compact)) {
        Search out;
        out.kind = SearchKind::Fingerprint;
        out.id = hex_octets(compact);
        return out;
    }
    return std::nullopt;
}

std::optional<std::string> email_search(std::string_view s) {
    if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
    const auto at = s.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == s.size()) return std::nullopt;
    if (s.find('@', at + 1) != std::string_view::npos) return std::nullopt;
    for (char c : s)
        if (c == ' ' || c == '\t' || c == '<' || c == '>' || static_cast<unsigned char>(c) < 0x20)
            return std::nullopt;
    return lower(s);
}

}  // namespace

std::vector<std::string> search_words(std::string_view s) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && !word_char(s[i])) ++i;
        std::size_t j = i;
        while (j < s.size() && word_char(s[j])) ++j;
        if (j > i) {
            std::string w = lower(s.substr(i, j - i));
            if (std::find(words.begin(), words.end(), w) == words.end()) words.push_back(std::move(w));
        }
        i = j;
    }
    return words;
}

namespace {

bool on_off(const std::string& name, const std::string& value) {
    const std::string v = lower(value);
    if (v == "on" || v == "1" || v == "true" || v == "yes") return true;
    if (v == "off" || v == "0" || v == "false" || v == "no" || v.empty()) return false;
    bad(name + " must be on or off");
}

Op op_of(std::string_view s) noexcept {
    if (s == "get") return Op::Get;
    if (s == "index") return Op::Index;
    if (s == "vindex") return Op::VIndex;
    if (s == "stats") return Op::Stats;
    return Op::Unknown;
}

}  // namespace

const char* op_name(Op op) noexcept {
    switch (op) {
    case Op::Get: return "get";
    case Op::Index: return "index";
    case Op::VIndex: return "vindex";
    case Op::Stats: return "stats";
    case Op::Unknown: break;
    }
    return "unknown";
}

const char* search_kind_name(SearchKind k) noexcept {
    switch (k) {
    case SearchKind::KeyId: return "key-id";
    case SearchKind::Fingerprint: return "fingerprint";
    case SearchKind::Email: return "email";
    case SearchKind::Words: return "words";
    }
    return "unknown";
}

std::string url_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else if (c == '%') {
            if (i + 2 >= s.size()) bad("truncated %-escape");
            const int hi = hex_value(s[i + 1]);
            const int lo = hex_value(s[i + 2]);
            if (hi < 0 || lo < 0) bad("bad %-escape");
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> parse_form(std::string_view form) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!form.empty()) {
        const auto amp = form.find('&');
        const std::string_view pair = form.substr(0, amp);
        form = amp == std::string_view::npos ? std::string_view{} : form.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos) {
            out.emplace_back(url_decode(pair), std::string{});
        } else {
            out.emplace_back(url_decode(pair.substr(0, eq)), url_decode(pair.substr(eq + 1)));
        }
    }
    return out;
}

std::optional<std::string> form_value(const std::vector<std::pair<std::string, std::string>>& form,
                                      std::string_view name) {
    for (const auto& [k, v] : form)
        if (k == name) return v;
    return std::nullopt;
}

Search parse_search(std::string_view text) {
    if (text.size() > kMaxSearchLength) bad("the search is too long");
    const std::string_view s = trim(text);
    if (s.empty()) bad("the search is empty");
    if (auto hex = hex_search(s)) return *hex;
    Search out;
    if (auto mail = email_search(s)) {
        out.kind = SearchKind::Email;
        out.text = *mail;
        return out;
    }
    out.kind = SearchKind::Words;
    out.text = std::string(s);
    out.words = search_words(s);
    if (out.words.empty()) bad("the search has no words");
    if (out.words.size() > kMaxSearchWords) bad("the search has too many words");
    return out;
}

LookupQuery parse_lookup(std::string_view query_string) {
    const auto form = parse_form(query_string);
    LookupQuery q;
    const auto op = form_value(form, "op");
    if (!op || op->empty()) bad("the request has no op");
    q.op_text = *op;
    q.op = op_of(lower(*op));
    if (auto options = form_value(form, "options")) {
        for (const auto& o : search_words(*options)) {
            if (o == "mr") q.mr = true;
            if (o == "bin") q.bin = true;
            if (o == "json") q.json = true;
        }
    }
    if (auto v = form_value(form, "exact")) q.exact = on_off("exact", *v);
    if (auto v = form_value(form, "fingerprint")) q.fingerprint = on_off("fingerprint", *v);
    if (q.op == Op::Stats || q.op == Op::Unknown) return q;
    const auto search = form_value(form, "search");
    if (!search) bad("the request has no search");
    q.search = parse_search(*search);
    return q;
}

}  // namespace pgpkit::keyserver
