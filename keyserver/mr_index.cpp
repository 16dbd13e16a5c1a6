#include "keyserver/mr_index.h"

#include <limits>

namespace pgpkit::keyserver {
namespace {

constexpr char hex_digits[] = "0123456789ABCDEF";

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool all_digits(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

/** Decimal number; std::nullopt when not all digits or too large for T. */
template <typename T>
std::optional<T> parse_number(std::string_view s) noexcept {
    if (!all_digits(s)) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        const auto d = static_cast<std::uint64_t>(c - '0');
        if (v > (std::numeric_limits<T>::max() - d) / 10) return std::nullopt;
        v = v * 10 + d;
    }
    return static_cast<T>(v);
}

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t colon = line.find(':', start);
        if (colon == std::string_view::npos) {
            out.push_back(line.substr(start));
            return out;
        }
        out.push_back(line.substr(start, colon - start));
        start = colon + 1;
    }
}

IndexFlags parse_flags(std::string_view s) noexcept {
    IndexFlags f;
    for (char c : s) {
        if (c == 'r' || c == 'R') f.revoked = true;
        if (c == 'd' || c == 'D') f.disabled = true;
        if (c == 'e' || c == 'E') f.expired = true;
    }
    return f;
}

std::string flags_text(const IndexFlags& f) {
    std::string s;
    if (f.revoked) s += 'r';
    if (f.disabled) s += 'd';
    if (f.expired) s += 'e';
    return s;
}

template <typename T>
std::string number_text(const std::optional<T>& v) {
    return v ? std::to_string(*v) : std::string();
}

/** Field i, or empty when the line is shorter. */
std::string_view field(const std::vector<std::string_view>& f, std::size_t i) noexcept {
    return i < f.size() ? f[i] : std::string_view();
}

class Reader {
public:
    explicit Reader(std::vector<IndexWarning>& warnings) : m_warnings(warnings) {}

    void line(std::size_t n, std::string_view text);
    std::vector<IndexEntry> finish();

private:
    void warn(std::string message) { m_warnings.push_back({m_line, std::move(message)}); }
    template <typename T>
    std::optional<T> number(std::string_view s, const char* what);
    void info(const std::vector<std::string_view>& f);
    void pub(const std::vector<std::string_view>& f);
    void uid(const std::vector<std::string_view>& f);

    std::vector<IndexWarning>& m_warnings;
    std::vector<IndexEntry> m_entries;
    std::size_t m_line = 0;
    bool m_skipping = false;    // uid lines after a skipped pub line are dropped with it
    bool m_seen_pub = false;
    std::optional<std::uint64_t> m_count;
    std::size_t m_count_line = 0;
};

template <typename T>
std::optional<T> Reader::number(std::string_view s, const char* what) {
    if (s.empty()) return std::nullopt;
    auto v = parse_number<T>(s);
    if (!v) warn(std::string(what) + " '" + escape_index_field(s) + "' is not a number; read as empty");
    return v;
}

void Reader::line(std::size_t n, std::string_view text) {
    m_line = n;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) return;
    const auto f = split_fields(text);
    if (f[0] == "info") info(f);
    else if (f[0] == "pub") pub(f);
    else if (f[0] == "uid") uid(f);
    // Unknown record types are for later versions of the format: ignored, as the draft asks.
}

void Reader::info(const std::vector<std::string_view>& f) {
    if (m_seen_pub || m_count) {
        warn("info line not at the start; ignored");
        return;
    }
    const auto version = number<std::uint32_t>(field(f, 1), "info version");
    if (version && *version != 1) warn("info version " + std::to_string(*version) + " is not 1; read as 1");
    m_count = number<std::uint64_t>(field(f, 2), "info count");
    m_count_line = m_line;
}

void Reader::pub(const std::vector<std::string_view>& f) {
    m_seen_pub = true;
    std::string_view key = field(f, 1);
    if (key.size() > 2 && key[0] == '0' && (key[1] == 'x' || key[1] == 'X')) key.remove_prefix(2);
    bool hex = !key.empty();
    for (char c : key) hex = hex && hex_value(c) >= 0;
    const std::size_t len = key.size();
    if (!hex || (len != 8 && len != 16 && len != 40 && len != 64)) {
        warn("pub line: key field '" + escape_index_field(field(f, 1)) +
             "' is not 8, 16, 40 or 64 hex digits; key skipped");
        m_skipping = true;
        return;
    }
    m_skipping = false;
    IndexEntry e;
    for (char c : key) e.key += hex_digits[hex_value(c)];
    e.algorithm = number<std::uint32_t>(field(f, 2), "pub algorithm");
    const std::string length = unescape_index_field(field(f, 3));
    if (all_digits(length)) e.bits = number<std::uint32_t>(length, "pub key length");
    else e.curve = length;
    e.created = number<std::uint64_t>(field(f, 4), "pub creation date");
    e.expires = number<std::uint64_t>(field(f, 5), "pub expiration date");
    e.flags = parse_flags(field(f, 6));
    m_entries.push_back(std::move(e));
}

void Reader::uid(const std::vector<std::string_view>& f) {
    if (m_skipping) return;
    if (m_entries.empty()) {
        warn("uid line before any pub line; skipped");
        return;
    }
    IndexUid u;
    u.user_id = unescape_index_field(field(f, 1));
    u.created = number<std::uint64_t>(field(f, 2), "uid creation date");
    u.expires = number<std::uint64_t>(field(f, 3), "uid expiration date");
    u.flags = parse_flags(field(f, 4));
    m_entries.back().uids.push_back(std::move(u));
}

std::vector<IndexEntry> Reader::finish() {
    if (m_count && *m_count != m_entries.size())
        m_warnings.push_back({m_count_line, "info line announces " + std::to_string(*m_count) + " keys, " +
                                                std::to_string(m_entries.size()) + " read"});
    return std::move(m_entries);
}

}  // namespace

std::string to_string(const IndexWarning& w) {
    return "line " + std::to_string(w.line) + ": " + w.message;
}

std::string escape_index_field(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (char ch : raw) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '%' || c == ':' || c < 0x20 || c >= 0x7f) {
            out += '%';
            out += hex_digits[c >> 4];
            out += hex_digits[c & 15];
        } else {
            out += ch;
        }
    }
    return out;
}

std::string unescape_index_field(std::string_view field) {
    std::string out;
    out.reserve(field.size());
    for (std::size_t i = 0; i < field.size(); ++i) {
        if (field[i] != '%') {
            out += field[i];
        } else if (i + 2 < field.size() && hex_value(field[i + 1]) >= 0 && hex_value(field[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(field[i + 1]) * 16 + hex_value(field[i + 2]));
            i += 2;
        } else if (i + 1 < field.size() && field[i + 1] == '%') {
            out += '%';
            ++i;
        } else {
            out += '%';
        }
    }
    return out;
}

std::string format_mr_index(const std::vector<IndexEntry>& entries) {
    std::string out = "info:1:" + std::to_string(entries.size()) + "\n";
    for (const auto& e : entries) {
        out += "pub:" + e.key + ":" + number_text(e.algorithm) + ":" +
               (e.curve.empty() ? number_text(e.bits) : escape_index_field(e.curve)) + ":" +
               number_text(e.created) + ":" + number_text(e.expires) + ":" + flags_text(e.flags) + "\n";
        for (const auto& u : e.uids)
            out += "uid:" + escape_index_field(u.user_id) + ":" + number_text(u.created) + ":" +
                   number_text(u.expires) + ":" + flags_text(u.flags) + "\n";
    }
    return out;
}

std::vector<IndexEntry> parse_mr_index(std::string_view text, std::vector<IndexWarning>& warnings) {
    Reader reader(warnings);
    std::size_t n = 0;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        reader.line(++n, text.substr(0, nl));
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    return reader.finish();
}

}  // namespace pgpkit::keyserver
