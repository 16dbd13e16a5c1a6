#include "armor/armor.h"
#include "armor/internal/lines.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "armor/base64.h"
#include "base/error.h"

namespace pgpkit::armor {

namespace {

constexpr std::string_view begin_prefix = "-----BEGIN PGP ";
constexpr std::string_view end_prefix = "-----END PGP ";
constexpr std::string_view dashes = "-----";
// Junk lines are only inspected for a BEGIN line; this much of each is kept.
constexpr std::size_t junk_line_keep = 512;
// Longest body line the line-at-a-time fast path takes.
constexpr std::size_t max_fast_line = 4096;

bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view rtrim(std::string_view s) noexcept {
    while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
    return s;
}

/** The label of a "-----BEGIN PGP <label>-----" (or END) line, if it is one. */
std::optional<std::string_view> framed_label(std::string_view line, std::string_view prefix) {
    line = rtrim(line);
    if (line.size() <= prefix.size() + dashes.size() || !line.starts_with(prefix) ||
        !line.ends_with(dashes))
        return std::nullopt;
    return line.substr(prefix.size(), line.size() - prefix.size() - dashes.size());
}

std::string describe_char(char c) {
    static constexpr char hex[] = "0123456789ABCDEF";
    auto u = static_cast<unsigned char>(c);
    std::string s = "0x";
    s += hex[u >> 4];
    s += hex[u & 15];
    if (u >= 0x21 && u < 0x7F) {
        s += " '";
        s += c;
        s += "'";
    }
    return s;
}

std::string hex24(std::uint32_t v) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string s(6, '0');
    for (int i = 5; i >= 0; --i, v >>= 4) s[static_cast<std::size_t>(i)] = hex[v & 15];
    return s;
}

bool parse_u32(std::string_view s, std::uint32_t& out) noexcept {
    if (s.empty() || s.size() > 9) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

Label parse_label(std::string_view label) noexcept {
    if (label == "MESSAGE") return {LabelKind::Message};
    if (label == "PUBLIC KEY BLOCK") return {LabelKind::PublicKeyBlock};
    if (label == "PRIVATE KEY BLOCK" || label == "SECRET KEY BLOCK")
        return {LabelKind::PrivateKeyBlock};
    if (label == "SIGNATURE") return {LabelKind::Signature};
    if (label == "ARMORED FILE") return {LabelKind::ArmoredFile};
    if (label == "SIGNED MESSAGE") return {LabelKind::SignedMessage};
    constexpr std::string_view part = "MESSAGE, PART ";
    if (label.starts_with(part)) {
        std::string_view rest = label.substr(part.size());
        Label l{LabelKind::MessagePart};
        auto slash = rest.find('/');
        if (!parse_u32(rest.substr(0, slash), l.part)) return {};
        if (slash != std::string_view::npos && !parse_u32(rest.substr(slash + 1), l.total))
            return {};
        return l;
    }
    return {};
}

std::string label_for(ByteView data) {
    if (data.empty() || !(data[0] & 0x80)) return "ARMORED FILE";
    unsigned tag = (data[0] & 0x40) ? (data[0] & 0x3Fu) : ((data[0] >> 2) & 0x0Fu);
    switch (tag) {
    case 6: return "PUBLIC KEY BLOCK";
    case 5: return "PRIVATE KEY BLOCK";
    case 2: return "SIGNATURE";
    default: return "MESSAGE";
    }
}

bool looks_armored(ByteView head) noexcept {
    if (head.empty() || (head[0] & 0x80)) return false;
    return internal::some_line_starts_with(as_text(head), begin_prefix);
}

// ---------------------------------------------------------------------------------------
// DearmorSource

DearmorSource::DearmorSource(packet::Source& text, DearmorOptions options)
    : m_text(text), m_opt(options) {
    m_buf.resize(std::max<std::size_t>(m_opt.buffer_size, 16));
    if (!find_begin()) throw Error(Errc::Armor, input_offset(), "no armored block found");
}

void DearmorSource::fail(const std::string& what) const {
    throw Error(Errc::Armor, m_line_offset, what + " on line " + std::to_string(m_cur_line));
}

DearmorSource::~DearmorSource() { wipe_string(m_linebuf); }

bool DearmorSource::fill() {
    if (m_pos < m_end) return true;
    if (m_eof) return false;
    m_base += m_end;
    m_pos = m_end = 0;
    std::size_t got = m_text.read(m_buf);
    if (got == 0) {
        m_eof = true;
        return false;
    }
    m_end = got;
    return true;
}

bool DearmorSource::at_eof() { return m_pos == m_end && !fill(); }

std::string_view DearmorSource::read_line(std::size_t keep, bool truncate) {
    // Reads through the next '\n' (or the end of input) and returns the line without its
    // line end and trailing whitespace, at most `keep` characters of it.
    m_cur_line = m_line;
    m_line_offset = input_offset();
    m_line_start = true;
    auto too_long = [&] {
        return Error(Errc::LimitExceeded, m_line_offset,
                     "armor line longer than " + std::to_string(keep) + " characters on line " +
                         std::to_string(m_cur_line));
    };
    const char* base = reinterpret_cast<const char*>(m_buf.data());
    if (const void* nl = std::memchr(base + m_pos, '\n', m_end - m_pos)) {
        std::size_t len = static_cast<std::size_t>(static_cast<const char*>(nl) - (base + m_pos));
        std::string_view line(base + m_pos, len);
        m_pos += len + 1;
        ++m_line;
        if (line.size() > keep) {
            if (!truncate) throw too_long();
            line = line.substr(0, keep);
        }
        return rtrim(line);
    }
    wipe_string(m_linebuf);
    for (;;) {
        if (at_eof()) break;
        const char* p = base + m_pos;
        std::size_t avail = m_end - m_pos;
        const void* nl = std::memchr(p, '\n', avail);
        std::size_t len = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - p) : avail;
        if (m_linebuf.size() < keep)
            m_linebuf.append(p, std::min(len, keep - m_linebuf.size()));
        else if (!truncate && len > 0)
            throw too_long();
        m_pos += len;
        if (nl) {
            ++m_pos;
            ++m_line;
            break;
        }
    }
    return rtrim(m_linebuf);
}

bool DearmorSource::find_begin() {
    m_have_block = false;
    for (;;) {
        if (at_eof()) return false;
        std::string_view line = read_line(junk_line_keep, true);
        auto label = framed_label(line, begin_prefix);
        // The cleartext of a signed message is not armor; its signature block follows.
        if (!label || *label == "SIGNED MESSAGE") continue;
        m_label.assign(*label);
        break;
    }
    m_headers.clear();
    m_state = State::Body;
    m_quad = 0;
    m_qn = 0;
    m_pending.clear();
    m_pending_pos = 0;
    m_crc.reset();
    m_expected_crc.reset();
    m_offset = 0;
    m_have_block = true;
    read_headers();
    return true;
}

void DearmorSource::read_headers() {
    for (;;) {
        if (at_eof()) {
            m_cur_line = m_line;
            m_line_offset = input_offset();
            fail("missing armor end line \"-----END PGP " + m_label + "-----\"");
        }
        char first = static_cast<char>(m_buf[m_pos]);
        std::string_view line = read_line(m_opt.max_header_line, false);
        if (line.empty()) return;
        std::size_t colon = line.find(':');
        if (first == '-' || first == '=' || colon == std::string_view::npos) {
            // No blank line after the headers (RFC 4880 producers exist that omit it):
            // this is already the body.
            process_line(line);
            return;
        }
        std::string_view key = line.substr(0, colon);
        if (key.empty() || key.find_first_of(" \t") != std::string_view::npos)
            fail("invalid armor header \"" + std::string(line.substr(0, 80)) + "\"");
        if (m_headers.size() >= m_opt.max_headers)
            throw Error(Errc::LimitExceeded, m_line_offset,
                        "more than " + std::to_string(m_opt.max_headers) +
                            " armor headers on line " + std::to_string(m_cur_line));
        std::string_view value = line.substr(colon + 1);
        if (value.starts_with(' ')) value.remove_prefix(1);
        m_headers.push_back({std::string(key), std::string(value)});
    }
}

void DearmorSource::process_line(std::string_view line) {
    if (line.empty()) return;
    if (line.front() == '-') return process_end_line(line);
    if (line.front() == '=') return process_equals_line(line);
    if (m_state == State::AfterChecksum) fail("data after the armor checksum");
    for (char c : line) slow_char(c);
}

void DearmorSource::process_end_line(std::string_view line) {
    auto label = framed_label(line, end_prefix);
    if (!label) {
        if (framed_label(line, begin_prefix))
            fail("missing armor end line \"-----END PGP " + m_label + "-----\" before BEGIN");
        fail("malformed armor line \"" + std::string(line.substr(0, 80)) + "\"");
    }
    if (*label != m_label)
        fail("armor labels differ: BEGIN PGP " + m_label + " but END PGP " + std::string(*label));
    flush_quad();
    m_state = State::Ended;
}

void DearmorSource::process_equals_line(std::string_view line) {
    if (line.size() == 5 && m_state != State::AfterChecksum) {
        std::uint32_t crc = 0;
        for (char c : line.substr(1)) {
            int v = base64_value(c);
            if (v < 0) fail("invalid base64 character " + describe_char(c) + " in armor checksum");
            crc = (crc << 6) | static_cast<std::uint32_t>(v);
        }
        flush_quad();
        m_expected_crc = crc;
        m_crc_line = m_cur_line;
        m_crc_offset = m_line_offset;
        m_state = State::AfterChecksum;
        return;
    }
    if (m_state != State::AfterChecksum &&
        line.find_first_not_of('=') == std::string_view::npos) {
        for (char c : line) slow_char(c);  // padding wrapped onto its own line
        return;
    }
    fail("malformed armor checksum line");
}

void DearmorSource::slow_char(char c) {
    if (is_blank(c)) return;
    if (c == '=') {
        if (m_state == State::Padded) return;
        if (m_qn < 2) fail("misplaced base64 padding");
        flush_quad();
        m_state = State::Padded;
        return;
    }
    int v = base64_value(c);
    if (v < 0) fail("invalid base64 character " + describe_char(c));
    if (m_state != State::Body) fail("base64 data after padding");
    m_quad = (m_quad << 6) | static_cast<std::uint32_t>(v);
    if (++m_qn == 4) {
        m_pending.push_back(static_cast<std::uint8_t>(m_quad >> 16));
        m_pending.push_back(static_cast<std::uint8_t>(m_quad >> 8));
        m_pending.push_back(static_cast<std::uint8_t>(m_quad));
        m_quad = 0;
        m_qn = 0;
    }
}

void DearmorSource::flush_quad() {
    // A final group of 2 or 3 characters (padded or not) carries 1 or 2 bytes.
    if (m_qn == 1) fail("truncated base64 data");
    if (m_qn == 2) m_pending.push_back(static_cast<std::uint8_t>(m_quad >> 4));
    if (m_qn == 3) {
        m_pending.push_back(static_cast<std::uint8_t>(m_quad >> 10));
        m_pending.push_back(static_cast<std::uint8_t>(m_quad >> 2));
    }
    m_quad = 0;
    m_qn = 0;
}

void DearmorSource::finish_block() {
    m_state = State::Done;
    if (m_opt.verify_checksum && m_expected_crc && *m_expected_crc != m_crc.value()) {
        throw Error(Errc::Armor, m_crc_offset,
                    "bad CRC-24 checksum on line " + std::to_string(m_crc_line) + " (armor says " +
                        hex24(*m_expected_crc) + ", data has " + hex24(m_crc.value()) + ")");
    }
}

bool DearmorSource::fast_lines(std::uint8_t* out, std::size_t cap, std::size_t& n) {
    // The common case, whole lines of 4k alphabet characters ending in LF or CRLF, decoded
    // line by line without the per-character state machine. Anything else (padding,
    // whitespace, a line split by the buffer end) is left to the general path.
    const char* base = reinterpret_cast<const char*>(m_buf.data());
    bool any = false;
    while (m_pos < m_end) {
        const char* p = base + m_pos;
        std::size_t avail = std::min<std::size_t>(m_end - m_pos, max_fast_line + 2);
        // Lines usually all have the length of the previous one: test that first. A '\n'
        // inside it is impossible, as the decoder rejects every non-alphabet character.
        std::size_t len = m_fast_len;
        if (len == 0 || len >= avail || p[len] != '\n') {
            const void* nl = std::memchr(p, '\n', avail);
            if (!nl) break;
            len = static_cast<std::size_t>(static_cast<const char*>(nl) - p);
            m_fast_len = len;
        }
        std::size_t chars = len > 0 && p[len - 1] == '\r' ? len - 1 : len;
        if (chars == 0 || chars % 4 != 0 || (cap - n) / 3 < chars / 4) break;
        if (base64_decode_quads(p, chars / 4, out + n) != chars / 4) break;
        n += chars / 4 * 3;
        m_pos += len + 1;
        ++m_line;
        any = true;
    }
    return any;
}

std::size_t DearmorSource::drain_pending(std::uint8_t* out, std::size_t room) noexcept {
    std::size_t k = std::min(room, m_pending.size() - m_pending_pos);
    std::memcpy(out, m_pending.data() + m_pending_pos, k);
    m_pending_pos += k;
    if (m_pending_pos == m_pending.size()) {
        m_pending.clear();
        m_pending_pos = 0;
    }
    return k;
}

std::size_t DearmorSource::read(std::span<std::uint8_t> buf) {
    if (!m_have_block || buf.empty()) return 0;
    std::uint8_t* out = buf.data();
    const std::size_t cap = buf.size();
    std::size_t n = 0;
    while (n < cap) {
        if (m_pending_pos < m_pending.size()) {
            n += drain_pending(out + n, cap - n);
            continue;
        }
        if (m_state == State::Ended) {
            // Every byte must pass through the CRC before it is checked.
            if (n > 0) break;
            finish_block();
        }
        if (m_state == State::Done) break;
        if (at_eof()) {
            m_cur_line = m_line;
            m_line_offset = input_offset();
            fail("missing armor end line \"-----END PGP " + m_label + "-----\"");
        }
        if (m_line_start) {
            char c = static_cast<char>(m_buf[m_pos]);
            if (c == '\n') {  // blank line in the body
                ++m_pos;
                ++m_line;
                continue;
            }
            if (c == '-' || c == '=' || m_state != State::Body) {
                process_line(read_line(m_opt.max_header_line, false));
                continue;
            }
            if (m_qn == 0 && fast_lines(out, cap, n)) continue;
            m_cur_line = m_line;
            m_line_offset = input_offset();
            m_line_start = false;
        }
        if (m_qn == 0 && m_state == State::Body) {
            std::size_t quads = std::min((m_end - m_pos) / 4, (cap - n) / 3);
            std::size_t done = base64_decode_quads(
                reinterpret_cast<const char*>(m_buf.data()) + m_pos, quads, out + n);
            m_pos += done * 4;
            n += done * 3;
            if (n == cap || m_pos == m_end) continue;
        }
        char c = static_cast<char>(m_buf[m_pos++]);
        if (c == '\n') {
            ++m_line;
            m_line_start = true;
            continue;
        }
        slow_char(c);
    }
    m_crc.update({out, n});
    m_offset += n;
    return n;
}

bool DearmorSource::next_block() {
    if (!m_have_block) return false;
    std::uint8_t scratch[16384];
    while (read(scratch) > 0) {
    }
    if (!find_begin()) return false;
    ++m_block;
    return true;
}

std::vector<Block> decode_all(ByteView text) { return decode_all(text, DearmorOptions{}); }

std::vector<Block> decode_all(ByteView text, const DearmorOptions& options) {
    packet::MemorySource src(text);
    DearmorSource dearmor(src, options);
    std::vector<Block> blocks;
    do {
        Block b{dearmor.label(), dearmor.headers(), {}};
        for (;;) {
            std::size_t old = b.data.size();
            b.data.resize(old + 65536);
            std::size_t got = dearmor.read({b.data.data() + old, 65536});
            b.data.resize(old + got);
            if (got == 0) break;
        }
        blocks.push_back(std::move(b));
    } while (dearmor.next_block());
    return blocks;
}

// ---------------------------------------------------------------------------------------
// Encoding

ArmorEncoder::ArmorEncoder(std::string_view label, const std::vector<ArmorHeader>& headers,
                           EncodeOptions options)
    : m_label(label), m_eol(options.crlf ? "\r\n" : "\n"), m_opt(options) {
    if (label.empty() || label.find_first_of("-\r\n") != std::string_view::npos)
        throw Error(Errc::Usage, 0, "invalid armor label \"" + std::string(label) + "\"");
    if (m_opt.line_length == 0 || m_opt.line_length % 4 != 0 || m_opt.line_length > 1024)
        throw Error(Errc::Usage, 0,
                    "armor line length must be a multiple of 4 between 4 and 1024");
    m_line_bytes = m_opt.line_length / 4 * 3;
    m_head = "-----BEGIN PGP " + m_label + "-----" + m_eol;
    for (const auto& h : headers) {
        if (h.key.empty() || h.key.find_first_of(": \t\r\n") != std::string::npos)
            throw Error(Errc::Usage, 0, "invalid armor header key \"" + h.key + "\"");
        if (h.value.find_first_of("\r\n") != std::string::npos)
            throw Error(Errc::Usage, 0, "armor header value of " + h.key + " has a line break");
        m_head += h.key + ": " + h.value + m_eol;
    }
    m_head += m_eol;
    m_carry.reserve(m_line_bytes);
}

void ArmorEncoder::start(std::string& out) {
    if (m_started) return;
    m_started = true;
    out += m_head;
}

void ArmorEncoder::write_lines(ByteView data, std::string& out) {
    const std::size_t lines = data.size() / m_line_bytes;
    const std::size_t per_line = m_opt.line_length + m_eol.size();
    std::size_t at = out.size();
    out.resize(at + lines * per_line);
    char* o = out.data() + at;
    const std::uint8_t* p = data.data();
    for (std::size_t i = 0; i < lines; ++i) {
        o += base64_encode_to({p, m_line_bytes}, o, data.size() - i * m_line_bytes);
        for (char c : m_eol) *o++ = c;
        p += m_line_bytes;
    }
}

void ArmorEncoder::update(ByteView data, std::string& out) {
    if (m_finished) throw Error(Errc::Usage, 0, "armor encoder used after finish");
    start(out);
    m_crc.update(data);
    if (!m_carry.empty()) {
        std::size_t take = std::min(m_line_bytes - m_carry.size(), data.size());
        m_carry.insert(m_carry.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
        data = data.subspan(take);
        if (m_carry.size() < m_line_bytes) return;
        write_lines(m_carry, out);
        m_carry.clear();
    }
    std::size_t whole = data.size() / m_line_bytes * m_line_bytes;
    write_lines(data.first(whole), out);
    data = data.subspan(whole);
    m_carry.assign(data.begin(), data.end());
}

void ArmorEncoder::finish(std::string& out) {
    if (m_finished) return;
    start(out);
    m_finished = true;
    if (!m_carry.empty()) {
        out += base64_encode(m_carry);
        out += m_eol;
        m_carry.clear();
    }
    if (m_opt.checksum) {
        std::uint32_t c = m_crc.value();
        const std::uint8_t b[3] = {static_cast<std::uint8_t>(c >> 16),
                                   static_cast<std::uint8_t>(c >> 8), static_cast<std::uint8_t>(c)};
        out += '=';
        out += base64_encode(b);
        out += m_eol;
    }
    out += "-----END PGP " + m_label + "-----" + m_eol;
}

std::string encode_text(ByteView data, std::string_view label,
                        const std::vector<ArmorHeader>& headers, EncodeOptions options) {
    ArmorEncoder enc(label, headers, options);
    std::string out;
    out.reserve(base64_encoded_size(data.size()) * 66 / 64 + 256);
    enc.update(data, out);
    enc.finish(out);
    return out;
}

Bytes encode(ByteView data, std::string_view label, const std::vector<ArmorHeader>& headers) {
    std::string s = encode_text(data, label, headers);
    return Bytes(s.begin(), s.end());
}

}  // namespace pgpkit::armor
