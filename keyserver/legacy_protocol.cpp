// The legacy keyserver message format (legacy_protocol.h).
#include "keyserver/legacy_protocol.h"

#include <array>

#include "base/error.h"

namespace pgpkit::keyserver {

namespace {

/** A message head: its first line, its Content-length if given, and its size in octets. */
struct Head {
    std::string first;
    std::optional<std::size_t> length;
    std::size_t size = 0;
};

bool is_content_length(std::string_view name) {
    static constexpr std::string_view want = "content-length";
    if (name.size() != want.size()) return false;
    for (std::size_t i = 0; i < want.size(); ++i) {
        char c = name[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != want[i]) return false;
    }
    return true;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::size_t parse_length(std::string_view value, std::size_t max_data, std::size_t offset) {
    if (value.empty() || value.size() > 12) throw Error(Errc::BadField, offset, "bad Content-length");
    std::size_t n = 0;
    for (char c : value) {
        if (c < '0' || c > '9') throw Error(Errc::BadField, offset, "bad Content-length");
        n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    if (n > max_data)
        throw Error(Errc::LimitExceeded, offset,
                    "Content-length " + std::to_string(n) + " is more than " + std::to_string(max_data));
    return n;
}

void header_line(std::string_view line, std::size_t offset, std::size_t max_data, Head& h) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) throw Error(Errc::BadField, offset, "a header line without ':'");
    if (!is_content_length(trimmed(line.substr(0, colon)))) return;  // other headers are not ours
    if (h.length) throw Error(Errc::BadField, offset, "a second Content-length");
    h.length = parse_length(trimmed(line.substr(colon + 1)), max_data, offset);
}

/** The head at the front of `b`, nullopt while it is incomplete. */
std::optional<Head> read_head(ByteView b, std::size_t max_data) {
    Head h;
    std::size_t pos = 0;
    for (bool first = true;; first = false) {
        std::size_t end = pos;
        while (end < b.size() && end < kLegacyMaxHead && b[end] != '\n') ++end;
        if (end >= kLegacyMaxHead)
            throw Error(Errc::LimitExceeded, kLegacyMaxHead, "a head longer than " + std::to_string(kLegacyMaxHead));
        if (end == b.size()) return std::nullopt;
        std::string_view line(reinterpret_cast<const char*>(b.data()) + pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::size_t at = pos;
        pos = end + 1;
        if (first) {
            if (line.empty()) throw Error(Errc::BadField, at, "an empty first line");
            h.first = std::string(line);
        } else if (line.empty()) {
            h.size = pos;
            return h;
        } else {
            header_line(line, at, max_data, h);
        }
    }
}

/** The data after the head, nullopt while it is incomplete. */
std::optional<Bytes> read_data(ByteView b, const Head& h, std::size_t& consumed) {
    const std::size_t n = h.length.value_or(0);
    if (b.size() - h.size < n) return std::nullopt;
    consumed = h.size + n;
    return Bytes(b.begin() + static_cast<std::ptrdiff_t>(h.size), b.begin() + static_cast<std::ptrdiff_t>(consumed));
}

constexpr std::array<std::pair<LegacyCommand, std::string_view>, 4> kCommands{{
    {LegacyCommand::Noop, "NOOP"},
    {LegacyCommand::Get, "GET"},
    {LegacyCommand::Put, "PUT"},
    {LegacyCommand::Delete, "DELETE"},
}};

void append(Bytes& out, std::string_view s) { out.insert(out.end(), s.begin(), s.end()); }

Bytes with_head(const std::string& first, const Bytes& data) {
    Bytes out;
    append(out, first + "\r\nContent-length: " + std::to_string(data.size()) + "\r\n\r\n");
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

}  // namespace

const char* legacy_command_name(LegacyCommand c) noexcept {
    for (const auto& [cmd, name] : kCommands)
        if (cmd == c) return name.data();
    return "?";
}

std::optional<LegacyRequest> parse_legacy_request(ByteView buffer, std::size_t max_data, std::size_t& consumed) {
    consumed = 0;
    const auto head = read_head(buffer, max_data);
    if (!head) return std::nullopt;
    LegacyRequest r;
    bool known = false;
    for (const auto& [cmd, name] : kCommands)
        if (head->first == name) {
            r.command = cmd;
            known = true;
        }
    if (!known) throw Error(Errc::BadField, 0, "unknown command '" + head->first.substr(0, 40) + "'");
    if (!head->length && r.command != LegacyCommand::Noop)
        throw Error(Errc::BadField, head->size, std::string(legacy_command_name(r.command)) + " without Content-length");
    auto data = read_data(buffer, *head, consumed);
    if (!data) return std::nullopt;
    r.data = std::move(*data);
    return r;
}

std::optional<LegacyResponse> parse_legacy_response(ByteView buffer, std::size_t max_data, std::size_t& consumed) {
    consumed = 0;
    const auto head = read_head(buffer, max_data);
    if (!head) return std::nullopt;
    const std::string& f = head->first;
    const bool digits = f.size() >= 13 && f[10] >= '1' && f[10] <= '5' && f[11] >= '0' && f[11] <= '9' &&
                        f[12] >= '0' && f[12] <= '9';
    if (f.rfind("GNUPG/1.0 ", 0) != 0 || !digits || (f.size() > 13 && f[13] != ' '))
        throw Error(Errc::BadField, 0, "not a GNUPG/1.0 answer: '" + f.substr(0, 40) + "'");
    LegacyResponse r;
    r.code = static_cast<unsigned>((f[10] - '0') * 100 + (f[11] - '0') * 10 + (f[12] - '0'));
    r.text = f.size() > 14 ? f.substr(14) : "";
    auto data = read_data(buffer, *head, consumed);
    if (!data) return std::nullopt;
    r.data = std::move(*data);
    return r;
}

Bytes format_legacy_request(const LegacyRequest& r) { return with_head(legacy_command_name(r.command), r.data); }

Bytes format_legacy_response(const LegacyResponse& r) {
    return with_head("GNUPG/1.0 " + std::to_string(r.code) + (r.text.empty() ? "" : " " + r.text), r.data);
}

}  // namespace pgpkit::keyserver
