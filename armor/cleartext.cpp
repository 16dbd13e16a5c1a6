#include "armor/cleartext.h"
#include "armor/internal/lines.h"

#include "base/error.h"
#include "packet/source.h"

namespace pgpkit::armor {

namespace {

constexpr std::string_view signed_begin = "-----BEGIN PGP SIGNED MESSAGE-----";
constexpr std::string_view signature_begin = "-----BEGIN PGP SIGNATURE-----";

std::string_view rtrim(std::string_view s) noexcept {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

/** Iterates over the lines of a text, reporting each line without its LF or CRLF. */
class LineCursor {
public:
    explicit LineCursor(std::string_view text) noexcept : m_text(text) {}
    bool next(std::string_view& line) noexcept {
        if (m_pos >= m_text.size()) return false;
        m_start = m_pos;
        std::size_t nl = m_text.find('\n', m_pos);
        std::size_t end = nl == std::string_view::npos ? m_text.size() : nl;
        m_pos = nl == std::string_view::npos ? m_text.size() : nl + 1;
        line = m_text.substr(m_start, end - m_start);
        if (line.ends_with('\r')) line.remove_suffix(1);
        ++m_line;
        return true;
    }
    std::uint64_t line() const noexcept { return m_line; }
    std::size_t start() const noexcept { return m_start; }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
    std::size_t m_start = 0;
    std::uint64_t m_line = 0;
};

[[noreturn]] void fail(const LineCursor& cur, const std::string& what) {
    throw Error(Errc::Armor, cur.start(), what + " on line " + std::to_string(cur.line()));
}

}  // namespace

std::vector<std::string> CleartextMessage::hash_names() const {
    std::vector<std::string> names;
    for (const auto& h : headers) {
        if (h.key != "Hash") continue;
        std::string_view v = h.value;
        while (!v.empty()) {
            std::size_t comma = v.find(',');
            std::string_view name = v.substr(0, comma);
            while (name.starts_with(' ')) name.remove_prefix(1);
            while (name.ends_with(' ')) name.remove_suffix(1);
            if (!name.empty()) names.emplace_back(name);
            if (comma == std::string_view::npos) break;
            v.remove_prefix(comma + 1);
        }
    }
    return names;
}

bool looks_cleartext_signed(ByteView head) noexcept {
    return internal::some_line_starts_with(as_text(head), signed_begin);
}

CleartextMessage parse_cleartext(ByteView input) {
    std::string_view text = as_text(input);
    LineCursor cur(text);
    std::string_view line;
    CleartextMessage msg;
    for (;;) {
        if (!cur.next(line))
            throw Error(Errc::Armor, text.size(), "no \"" + std::string(signed_begin) + "\" line found");
        if (rtrim(line) == signed_begin) break;
    }
    for (;;) {
        if (!cur.next(line)) fail(cur, "missing blank line after cleartext headers");
        line = rtrim(line);
        if (line.empty()) break;
        std::size_t colon = line.find(": ");
        if (colon == std::string_view::npos || colon == 0)
            fail(cur, "invalid cleartext header \"" + std::string(line.substr(0, 80)) + "\"");
        msg.headers.push_back({std::string(line.substr(0, colon)), std::string(line.substr(colon + 2))});
    }
    bool first = true;
    for (;;) {
        if (!cur.next(line))
            fail(cur, "missing \"" + std::string(signature_begin) + "\" after the signed text");
        if (rtrim(line) == signature_begin) break;
        if (line.starts_with("- ")) line.remove_prefix(2);
        else if (line.starts_with('-')) fail(cur, "line starting with '-' is not dash-escaped");
        if (!first) msg.text += '\n';
        msg.text.append(line);
        first = false;
    }
    // Dash-escaping guarantees no line of the text starts "-----BEGIN PGP ", so the first
    // armored block of the input is the signature block, with its true line numbers.
    packet::MemorySource src(input);
    DearmorSource sig(src);
    if (sig.label() != "SIGNATURE")
        throw Error(Errc::Armor, cur.start(),
                    "expected a SIGNATURE block after the signed text, found " + sig.label());
    msg.signature_headers = sig.headers();
    std::uint8_t chunk[16384];
    for (;;) {
        std::size_t got = sig.read(chunk);
        if (got == 0) break;
        msg.signature.insert(msg.signature.end(), chunk, chunk + got);
    }
    return msg;
}

std::string dash_escape(std::string_view text, bool escape_from) {
    std::string out;
    out.reserve(text.size() + 16);
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        if (line.starts_with('-') || (escape_from && line.starts_with("From "))) out += "- ";
        out.append(line);
        if (nl == std::string_view::npos) break;
        out += '\n';
        pos = nl + 1;
    }
    return out;
}

std::string dash_unescape(std::string_view text, std::uint64_t first_line) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    std::uint64_t line_no = first_line;
    while (pos <= text.size()) {
        std::size_t nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        if (line.starts_with("- ")) line.remove_prefix(2);
        else if (line.starts_with('-'))
            throw Error(Errc::Armor, pos,
                        "line starting with '-' is not dash-escaped on line " + std::to_string(line_no));
        out.append(line);
        if (nl == std::string_view::npos) break;
        out += '\n';
        pos = nl + 1;
        ++line_no;
    }
    return out;
}

Bytes signed_data(std::string_view text) {
    Bytes out;
    out.reserve(text.size() + text.size() / 32);
    LineCursor cur(text);
    std::string_view line;
    bool first = true;
    while (cur.next(line)) {
        if (!first) {
            out.push_back('\r');
            out.push_back('\n');
        }
        first = false;
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
        out.insert(out.end(), line.begin(), line.end());
    }
    // A text ending in a line end has an empty last line: keep that line end.
    if (!text.empty() && text.back() == '\n') {
        out.push_back('\r');
        out.push_back('\n');
    }
    return out;
}

std::string write_cleartext(std::string_view text, const std::vector<std::string>& hashes,
                            ByteView signature, const std::vector<ArmorHeader>& signature_headers,
                            EncodeOptions options) {
    const std::string eol = options.crlf ? "\r\n" : "\n";
    std::string out = std::string(signed_begin) + eol;
    if (!hashes.empty()) {
        out += "Hash: ";
        for (std::size_t i = 0; i < hashes.size(); ++i) {
            if (i) out += ',';
            out += hashes[i];
        }
        out += eol;
    }
    out += eol;
    std::string escaped = dash_escape(text);
    if (options.crlf) {
        for (char c : escaped) {
            if (c == '\n') out += '\r';
            out += c;
        }
    } else {
        out += escaped;
    }
    out += eol;
    out += encode_text(signature, "SIGNATURE", signature_headers, options);
    return out;
}

}  // namespace pgpkit::armor
