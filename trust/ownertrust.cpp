#include "trust/ownertrust.h"

#include <cstdio>
#include <ctime>

#include "base/error.h"

namespace pgpkit::trust {

namespace {

constexpr std::size_t kFprLen = 20;
// gpg reads lines with es_fgets into a 256-octet buffer, of which it passes 255: a line
// holds at most 254 characters before its newline.
constexpr std::size_t kMaxLine = 254;

std::string key_of(ByteView fpr) { return std::string(as_text(fpr)); }

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

[[noreturn]] void bad_line(std::size_t number, std::size_t offset, const char* why) {
    throw Error(Errc::BadField, offset, "ownertrust line " + std::to_string(number) + ": " + why);
}

/** One data line (without its newline); throws on a bad line. */
OwnertrustEntry parse_line(std::string_view line, std::size_t number, std::size_t offset) {
    std::size_t colon = 0;
    while (colon < line.size() && hex_value(line[colon]) >= 0) ++colon;
    if (colon >= line.size() || line[colon] != ':') bad_line(number, offset, "colon missing");
    if (colon != 32 && colon != 40) bad_line(number, offset, "invalid fingerprint");
    std::size_t p = colon + 1;
    unsigned value = 0;
    std::size_t digits = 0;
    while (p < line.size() && line[p] >= '0' && line[p] <= '9' && digits < 4) {
        value = value * 10 + static_cast<unsigned>(line[p] - '0');
        ++p, ++digits;
    }
    if (digits == 0) bad_line(number, offset, "ownertrust value missing");
    if (value > 255) bad_line(number, offset, "ownertrust value out of range");
    OwnertrustEntry e;
    e.fingerprint.assign(kFprLen, 0);
    for (std::size_t i = 0; i < colon / 2; ++i)
        e.fingerprint[i] = static_cast<std::uint8_t>(hex_value(line[2 * i]) * 16 + hex_value(line[2 * i + 1]));
    e.value = static_cast<std::uint8_t>(value);
    return e;
}

}  // namespace

std::string trust_level_name(TrustLevel level) {
    switch (level) {
    case TrustLevel::Unknown: return "unknown";
    case TrustLevel::Expired: return "expired";
    case TrustLevel::Undefined: return "undefined";
    case TrustLevel::Never: return "never";
    case TrustLevel::Marginal: return "marginal";
    case TrustLevel::Fully: return "full";
    case TrustLevel::Ultimate: return "ultimate";
    }
    return "level-" + std::to_string(static_cast<unsigned>(level));
}

char trust_level_letter(TrustLevel level) noexcept {
    switch (level) {
    case TrustLevel::Unknown: return '-';
    case TrustLevel::Expired: return 'e';
    case TrustLevel::Undefined: return 'q';
    case TrustLevel::Never: return 'n';
    case TrustLevel::Marginal: return 'm';
    case TrustLevel::Fully: return 'f';
    case TrustLevel::Ultimate: return 'u';
    }
    return '?';
}

Bytes trustdb_fingerprint(ByteView fingerprint) {
    if (fingerprint.size() != 16 && fingerprint.size() != kFprLen)
        throw Error(Errc::BadField, 0,
                    "a trustdb fingerprint has 16 or 20 octets, not " + std::to_string(fingerprint.size()));
    Bytes out(fingerprint.begin(), fingerprint.end());
    out.resize(kFprLen, 0);
    return out;
}

std::optional<std::uint8_t> OwnertrustMap::get(ByteView fingerprint) const {
    const auto it = m_index.find(key_of(trustdb_fingerprint(fingerprint)));
    if (it == m_index.end()) return std::nullopt;
    return m_entries[it->second].value;
}

void OwnertrustMap::set(ByteView fingerprint, std::uint8_t value) {
    Bytes fpr = trustdb_fingerprint(fingerprint);
    const auto [it, inserted] = m_index.try_emplace(key_of(fpr), m_entries.size());
    if (inserted) {
        m_entries.push_back({std::move(fpr), value});
    } else {
        m_entries[it->second].value = value;
    }
}

bool OwnertrustMap::erase(ByteView fingerprint) {
    const auto it = m_index.find(key_of(trustdb_fingerprint(fingerprint)));
    if (it == m_index.end()) return false;
    const std::size_t pos = it->second;
    m_index.erase(it);
    m_entries.erase(m_entries.begin() + static_cast<std::ptrdiff_t>(pos));
    for (auto& [key, index] : m_index)
        if (index > pos) --index;
    return true;
}

std::vector<OwnertrustEntry> parse_ownertrust(std::string_view text) {
    std::vector<OwnertrustEntry> out;
    std::size_t pos = 0;
    for (std::size_t number = 1; pos < text.size(); ++number) {
        const std::size_t nl = text.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
        const std::string_view line = text.substr(pos, end - pos);
        const std::size_t start = pos;
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        // gpg skips a comment before it checks the length; a long comment is skipped whole
        // here (gpg would read its tail as a second, bad line).
        if (!line.empty() && line[0] == '#') continue;
        if (line.size() > kMaxLine) bad_line(number, start, "line too long");
        if (nl == std::string_view::npos) bad_line(number, start, "line too long or missing newline");
        out.push_back(parse_line(line, number, start));
    }
    return out;
}

std::string gpg_asctime(std::int64_t unix_time) {
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t t = static_cast<std::time_t>(unix_time);
    std::tm tm{};
    if (::localtime_r(&t, &tm) == nullptr) return "????" "-??" "-??";  // gpg's text for a time it cannot convert
    char buf[96];
    // C locale's D_T_FMT "%a %b %e %H:%M:%S %Y" plus the " %Z" gpg appends.
    std::snprintf(buf, sizeof buf, "%s %s %2d %02d:%02d:%02d %d %s", days[tm.tm_wday % 7], months[tm.tm_mon % 12],
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900, tm.tm_zone ? tm.tm_zone : "");
    return buf;
}

std::string format_ownertrust(const std::vector<OwnertrustEntry>& entries, std::int64_t now) {
    std::string out = "# List of assigned trustvalues, created " + gpg_asctime(now) +
                      "\n# (Use \"gpg --import-ownertrust\" to restore them)\n";
    for (const auto& e : entries) {
        if (e.value == 0) continue;
        out += to_hex(e.fingerprint);
        out += ':';
        out += std::to_string(static_cast<unsigned>(e.value));
        out += ":\n";
    }
    return out;
}

}  // namespace pgpkit::trust
