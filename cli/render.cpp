#include "cli/render.h"

#include <cstring>
#include <string>
#include <vector>

#include "base/time.h"
#include "packet/describe.h"
#include "packet/names.h"

namespace pgpkit::cli {


using packet::Packet;

namespace {

constexpr char hexd[] = "0123456789ABCDEF";

void put_hex(Output& o, ByteView b, char sep = 0) {
    if (!sep) {
        o.hex(b.data(), b.size());
        return;
    }
    char buf[512];
    std::size_t n = 0;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (n + 3 > sizeof buf) {
            o.put(std::string_view(buf, n));
            n = 0;
        }
        if (sep && i) buf[n++] = sep;
        buf[n] = hexd[b[i] >> 4];
        buf[n + 1] = hexd[b[i] & 15];
        n += 2;
    }
    o.put(std::string_view(buf, n));
}

void put_time_text(Output& o, std::uint32_t t) {
    o.dec(t);
    if (t == 0) return;
    const CivilDate c = civil_from_days(t / 86400);
    const auto y = static_cast<int>(c.year);
    const unsigned mo = c.month, d = c.day;
    unsigned sec = t % 86400;
    char buf[32];
    auto two = [&](char* p, unsigned v) {
        p[0] = static_cast<char>('0' + v / 10);
        p[1] = static_cast<char>('0' + v % 10);
    };
    buf[0] = ' ';
    buf[1] = '(';
    unsigned yy = static_cast<unsigned>(y);
    buf[2] = static_cast<char>('0' + yy / 1000 % 10);
    buf[3] = static_cast<char>('0' + yy / 100 % 10);
    two(buf + 4, yy % 100);
    buf[6] = '-';
    two(buf + 7, mo);
    buf[9] = '-';
    two(buf + 10, d);
    buf[12] = ' ';
    two(buf + 13, sec / 3600);
    buf[15] = ':';
    two(buf + 16, sec / 60 % 60);
    buf[18] = ':';
    two(buf + 19, sec % 60);
    std::memcpy(buf + 21, " UTC)", 5);
    o.put(std::string_view(buf, 26));
}

/** Printable text for a terminal: control characters and bad UTF-8 escaped as \xNN. */
void put_escaped_text(Output& o, std::string_view s) {
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7F || c == '\\') {
            char buf[5] = {'\\', 'x', hexd[c >> 4], hexd[c & 15], 0};
            o.put(std::string_view(buf, 4));
        } else {
            o.put(static_cast<char>(c));
        }
    }
}

/** Length in octets of a valid UTF-8 sequence at s[i], or 0 if invalid. */
std::size_t utf8_len(std::string_view s, std::size_t i) noexcept {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n;
    std::uint32_t cp;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
    else return 0;
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        unsigned char d = static_cast<unsigned char>(s[i + k]);
        if ((d & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (d & 0x3F);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/** A JSON string; octets that are not valid UTF-8 become \u00NN (read as Latin-1). */
void put_json_string(Output& o, std::string_view s) {
    o.put('"');
    std::size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            std::size_t j = i;
            while (j < s.size()) {
                unsigned char d = static_cast<unsigned char>(s[j]);
                if (d < 0x20 || d >= 0x80 || d == '"' || d == '\\') break;
                ++j;
            }
            o.put(s.substr(i, j - i));
            i = j;
            continue;
        }
        if (c == '"' || c == '\\') {
            o.put('\\').put(static_cast<char>(c));
            ++i;
            continue;
        }
        std::size_t n = c >= 0x80 ? utf8_len(s, i) : 0;
        if (n > 1) {
            o.put(s.substr(i, n));
            i += n;
            continue;
        }
        char buf[7] = {'\\', 'u', '0', '0', hexd[c >> 4], hexd[c & 15], 0};
        o.put(std::string_view(buf, 6));
        ++i;
    }
    o.put('"');
}

// ---------------------------------------------------------------- header

/**
 * What both renderers show of a packet header, worked out in one place: the CTB and the
 * header's octets, its formats, and which body length there is to show.
 */
struct HeaderFacts {
    enum class Length : std::uint8_t {
        Definite,       ///< declared in the header
        Indeterminate,  ///< old length type 3: up to the end of the enclosing data
        Chunked,        ///< partial (or GnuPG) chunks, each with its own length
    };
    std::uint8_t ctb = 0;
    ByteView wire;            ///< CTB and the (first) length field, as on the wire
    bool old_format = false;  ///< old or new CTB
    std::string_view form;    ///< the length form's name
    Length kind = Length::Definite;
    bool known = true;        ///< the body length is known: declared, or the body was read
};

HeaderFacts header_facts(const packet::Header& h, bool body_read, Bytes& scratch) {
    HeaderFacts f;
    scratch.clear();
    packet::write_header(h, scratch);
    f.ctb = scratch.empty() ? 0 : scratch[0];
    f.wire = scratch;
    f.old_format = h.format == packet::CtbFormat::Old;
    f.form = packet::length_form_name(h.form);
    f.kind = h.form == packet::LengthForm::Indeterminate ? HeaderFacts::Length::Indeterminate
             : h.definite()                              ? HeaderFacts::Length::Definite
                                                         : HeaderFacts::Length::Chunked;
    f.known = f.kind == HeaderFacts::Length::Definite || body_read;
    return f;
}

/** The length field of each partial chunk as on the wire (the first is in the header). */
template <class F> void for_each_chunk_wire(const packet::Header& h, F&& f) {
    if (h.form != packet::LengthForm::Partial) return;
    Bytes b;
    for (const auto& c : h.chunks) {
        b.clear();
        packet::write_new_length(c.size, c.form, b);
        f(ByteView(b));
    }
}

// ---------------------------------------------------------------- text

class TextSink final : public packet::FieldSink {
public:
    TextSink(Output& o, RenderOptions opt) : m_o(o), m_opt(opt) { set_wants_wire(opt.hex); }
    void set_indent(unsigned depth) { m_base = depth; }

    void number(std::string_view name, std::uint64_t v, ByteView wire) override {
        label(name);
        m_o.dec(v);
        end(wire);
    }
    void named(std::string_view name, std::uint64_t v, std::string_view meaning, ByteView wire) override {
        label(name);
        m_o.dec(v).put(" (").put(meaning).put(')');
        end(wire);
    }
    void text(std::string_view name, std::string_view v, ByteView wire) override {
        label(name);
        m_o.put('"');
        put_escaped_text(m_o, v);
        m_o.put('"');
        end(wire);
    }
    void hex(std::string_view name, ByteView v, ByteView wire) override {
        label(name);
        put_hex(m_o, v);
        end(wire);
    }
    void boolean(std::string_view name, bool v, ByteView wire) override {
        label(name);
        m_o.put(v ? "yes" : "no");
        end(wire);
    }
    bool wants_derived() const override { return false; }
    void framing(std::string_view name, std::uint64_t v, ByteView wire) override {
        if (!m_opt.hex) return;
        label(name);
        m_o.dec(v);
        end(wire);
    }
    void flag(std::string_view name, bool v) override {
        if (!v) return;
        label({});
        m_o.put(name);
        end({});
    }
    void time(std::string_view name, std::uint32_t t, ByteView wire) override {
        label(name);
        put_time_text(m_o, t);
        end(wire);
    }
    void mpi(std::string_view name, std::uint16_t bits, ByteView value, bool secret, ByteView wire) override {
        label(name);
        m_o.put('[').dec(bits).put(" bits]");
        const bool visible = !secret || (m_opt.mpis && m_opt.secrets);
        if (m_opt.mpis && visible) {
            m_o.put(' ');
            put_hex(m_o, value);
        } else if (m_opt.hex && !secret && wire.empty()) {
            m_o.put("  | ");
            put_hex(m_o, value, ' ');
        }
        end(visible ? wire : ByteView{});
    }
    void length_of(std::string_view name, std::uint64_t octets, ByteView wire) override {
        label(name);
        m_o.dec(octets).put(" octets");
        end(wire);
    }
    void begin_object(std::string_view name) override {
        if (m_inline) {
            label(name);
            m_o.put('{');
            m_ctx.push_back({'O', true});
            return;
        }
        if (name.empty() && m_list_depth) {
            // Objects in lists (subpackets, ...) take one line each: "- k=v k=v".
            indent();
            m_o.put("- ");
            m_inline = true;
            m_ctx.assign(1, {'O', true});
            return;
        }
        if (!name.empty()) {
            label(name);
            m_o.put('\n');
        }
        ++m_depth;
    }
    void end_object() override {
        if (m_inline) {
            m_ctx.pop_back();
            if (m_ctx.empty()) {
                m_inline = false;
                m_o.put('\n');
            } else {
                m_o.put('}');
            }
            return;
        }
        --m_depth;
    }
    void begin_list(std::string_view name) override {
        if (m_inline) {
            label(name);
            m_o.put('[');
            m_ctx.push_back({'L', true});
            return;
        }
        label(name);
        m_o.put('\n');
        ++m_depth;
        ++m_list_depth;
    }
    void end_list() override {
        if (m_inline) {
            m_ctx.pop_back();
            m_o.put(']');
            return;
        }
        --m_depth;
        --m_list_depth;
    }

    void indent() { m_o.spaces(2 * m_base + 4 * (m_depth + 1)); }

private:
    void label(std::string_view name) {
        if (m_inline) {
            Ctx& c = m_ctx.back();
            if (!c.first) m_o.put(' ');
            c.first = false;
            if (c.kind == 'O' && !name.empty()) m_o.put(name).put('=');
            return;
        }
        indent();
        if (!name.empty()) m_o.put(name).put(": ");
    }
    void end(ByteView wire) {
        if (m_opt.hex && !wire.empty()) {
            m_o.put(m_inline ? " <" : "  | ");
            put_hex(m_o, wire, ' ');
            if (m_inline) m_o.put('>');
        }
        if (!m_inline) m_o.put('\n');
    }

    Output& m_o;
    RenderOptions m_opt;
    unsigned m_base = 0;
    unsigned m_depth = 0;
    unsigned m_list_depth = 0;
    struct Ctx {
        char kind;  // 'O' object, 'L' list
        bool first;
    };
    bool m_inline = false;
    std::vector<Ctx> m_ctx;
};

void put_chunks(Output& o, const packet::Header& h) {
    o.put(" [");
    std::size_t shown = 0;
    for (const auto& c : h.chunks) {
        if (shown == 64 || (h.chunks_omitted && shown + 1 == h.chunks.size())) break;
        if (shown++) o.put(' ');
        o.dec(c.size);
    }
    if (shown < h.chunk_count()) o.put(" ... (").dec(h.chunk_count()).put(" chunks)");
    o.put(']');
}

class TextRenderer final : public PacketRenderer {
public:
    TextRenderer(Output& o, RenderOptions opt) : m_o(o), m_opt(opt), m_sink(o, opt) {}
    void begin() override {}
    void armor(std::string_view label, const std::vector<std::pair<std::string, std::string>>& headers) override {
        m_o.put("# armor: BEGIN PGP ").put(label).put('\n');
        for (const auto& [k, v] : headers) {
            m_o.put("# armor header: ").put(k).put(": ");
            put_escaped_text(m_o, v);
            m_o.put('\n');
        }
    }
    void packet(const Packet& p, bool opens_container) override {
        const packet::Header& h = p.header;
        const HeaderFacts f = header_facts(h, !opens_container, m_scratch);
        indent(p.depth);
        m_o.put("# #").dec(p.index).put(" off=").dec(p.offset).put(" ctb=");
        char cb[2] = {hexd[f.ctb >> 4], hexd[f.ctb & 15]};
        m_o.put(std::string_view(cb, 2)).put(f.old_format ? " (old)" : " (new)");
        m_o.put(" tag=").dec(static_cast<unsigned>(h.tag)).put(" hlen=").dec(h.header_len).put(" plen=");
        switch (f.kind) {
        case HeaderFacts::Length::Indeterminate:
            m_o.put("indeterminate");
            if (f.known) m_o.put('(').dec(h.length).put(')');
            break;
        case HeaderFacts::Length::Definite: m_o.dec(h.length); break;
        case HeaderFacts::Length::Chunked:
            if (!f.known) {
                m_o.put(f.form);
                break;
            }
            m_o.dec(h.length).put(' ').put(f.form);
            put_chunks(m_o, h);
            break;
        }
        m_o.put(" (").put(f.form).put(")\n");
        if (m_opt.hex) {
            indent(p.depth);
            m_o.put("#   header: ");
            put_hex(m_o, f.wire, ' ');
            m_o.put('\n');
        }
        indent(p.depth);
        m_o.put(':').put(packet::tag_short_name(h.tag)).put(": ").put(packet::tag_name(h.tag)).put('\n');
        m_sink.set_indent(p.depth);
        packet::describe(p, m_sink);
        findings(p);
    }
    void end_container(const Packet& end) override {
        indent(end.depth);
        const packet::Header& h = end.header;
        const HeaderFacts f = header_facts(h, true, m_scratch);
        m_o.put("# end of #").dec(end.index).put(": body ");
        m_o.dec(h.length).put(" octets");
        if (!h.chunks.empty()) {
            m_o.put(' ').put(f.form);
            put_chunks(m_o, h);
        }
        m_o.put('\n');
        findings(end);
    }
    void finish() override {}

private:
    void indent(unsigned depth) { m_o.spaces(2 * depth); }
    void findings(const Packet& p) {
        for (const auto& f : p.findings) {
            indent(p.depth);
            m_o.put("    ! ").put(f.name).put(": ").put(f.detail).put(" (offset ").dec(f.offset).put(")\n");
        }
    }
    Output& m_o;
    RenderOptions m_opt;
    TextSink m_sink;
    Bytes m_scratch;
};

// ---------------------------------------------------------------- JSON

class JsonSink final : public packet::FieldSink {
public:
    JsonSink(Output& o, RenderOptions opt) : m_o(o), m_opt(opt) { set_wants_wire(opt.hex); }
    /** Starts the fields of an already opened object whose header keys were written. */
    void reset() {
        m_first.assign(1, false);
        m_in_list.assign(1, false);
    }

    void number(std::string_view name, std::uint64_t v, ByteView wire) override {
        key(name);
        m_o.dec(v);
        wire_key(name, wire);
    }
    void named(std::string_view name, std::uint64_t v, std::string_view meaning, ByteView wire) override {
        key(name);
        m_o.dec(v);
        if (!in_list()) {
            key(name, "_name");
            put_json_string(m_o, meaning);
        }
        wire_key(name, wire);
    }
    void text(std::string_view name, std::string_view v, ByteView wire) override {
        key(name);
        put_json_string(m_o, v);
        wire_key(name, wire);
    }
    void hex(std::string_view name, ByteView v, ByteView wire) override {
        key(name);
        put_hex_string(v);
        wire_key(name, wire);
    }
    void boolean(std::string_view name, bool v, ByteView wire) override {
        key(name);
        m_o.put(v ? "true" : "false");
        wire_key(name, wire);
    }
    void time(std::string_view name, std::uint32_t t, ByteView wire) override {
        key(name);
        m_o.dec(t);
        wire_key(name, wire);
    }
    void mpi(std::string_view name, std::uint16_t bits, ByteView value, bool secret, ByteView wire) override {
        key(name);
        m_o.put("{\"bits\":").dec(bits);
        const bool visible = m_opt.mpis && (!secret || m_opt.secrets);
        if (visible) {
            m_o.put(",\"value\":\"");
            put_hex(m_o, value);
            m_o.put('"');
        }
        m_o.put('}');
        if (visible || !secret) wire_key(name, wire);
    }
    void length_of(std::string_view name, std::uint64_t octets, ByteView wire) override {
        key(name, "_length");
        m_o.dec(octets);
        wire_key(name, wire);
    }
    void framing(std::string_view name, std::uint64_t v, ByteView wire) override {
        if (!m_opt.hex) return;
        number(name, v, wire);
    }
    void object_wire(ByteView wire) override {
        if (!m_opt.hex || wire.empty()) return;
        key("wire");
        put_hex_string(wire);
    }
    void begin_object(std::string_view name) override {
        key(name);
        m_o.put('{');
        m_first.push_back(false);
        m_in_list.push_back(false);
    }
    void end_object() override {
        m_o.put('}');
        m_first.pop_back();
        m_in_list.pop_back();
    }
    void begin_list(std::string_view name) override {
        key(name);
        m_o.put('[');
        m_first.push_back(false);
        m_in_list.push_back(true);
    }
    void end_list() override {
        m_o.put(']');
        m_first.pop_back();
        m_in_list.pop_back();
    }

private:
    bool in_list() const { return m_in_list.back(); }
    void put_hex_string(ByteView v) {
        m_o.put('"');
        put_hex(m_o, v);
        m_o.put('"');
    }
    /** With --hex, `"name_wire":"<octets>"` after a named field that has wire octets. */
    void wire_key(std::string_view name, ByteView wire) {
        if (!m_opt.hex || wire.empty() || in_list()) return;
        key(name, "_wire");
        put_hex_string(wire);
    }
    /** Writes `"name<suffix>":` (nothing inside a list), with a comma when needed. */
    void key(std::string_view name, std::string_view suffix = {}) {
        // The packet object always has header keys before its fields.
        if (m_first.back() || m_first.size() == 1) m_o.put(',');
        m_first.back() = true;
        if (!in_list()) m_o.put('"').put(name).put(suffix).put("\":");
    }
    Output& m_o;
    RenderOptions m_opt;
    std::vector<bool> m_first{false};
    std::vector<bool> m_in_list{false};
};

class JsonRenderer final : public PacketRenderer {
public:
    JsonRenderer(Output& o, RenderOptions opt) : m_o(o), m_hex(opt.hex), m_sink(o, opt) {}
    void begin() override { m_o.put('['); }
    void armor(std::string_view label, const std::vector<std::pair<std::string, std::string>>& headers) override {
        // Armor information precedes the block's packets as a pseudo-object with "armor".
        separator();
        m_o.put("{\"armor\":{\"label\":");
        put_json_string(m_o, label);
        m_o.put(",\"headers\":[");
        bool first = true;
        for (const auto& [k, v] : headers) {
            if (!first) m_o.put(',');
            first = false;
            m_o.put("{\"key\":");
            put_json_string(m_o, k);
            m_o.put(",\"value\":");
            put_json_string(m_o, v);
            m_o.put('}');
        }
        m_o.put("]}}");
    }
    void packet(const Packet& p, bool opens_container) override {
        separator();
        const packet::Header& h = p.header;
        const HeaderFacts f = header_facts(h, !opens_container, m_scratch);
        m_o.put("{\"index\":").dec(p.index).put(",\"depth\":").dec(p.depth).put(",\"offset\":").dec(p.offset);
        m_o.put(",\"header_len\":").dec(h.header_len);
        m_o.put(",\"ctb\":").put(f.old_format ? "\"old\"" : "\"new\"");
        m_o.put(",\"ctb_octet\":").dec(f.ctb);
        m_o.put(",\"tag\":").dec(static_cast<unsigned>(h.tag)).put(",\"tag_name\":");
        put_json_string(m_o, packet::tag_name(h.tag));
        m_o.put(",\"length_form\":\"").put(f.form).put('"');
        if (m_hex) {
            m_o.put(",\"header_wire\":\"");
            put_hex(m_o, f.wire);
            m_o.put('"');
        }
        // A container's length keys follow its packets, once its body has been read.
        if (!opens_container) length_keys(h, f);
        m_sink.reset();
        packet::describe(p, m_sink);
        if (!opens_container) {
            findings(p);
            m_o.put("}");
        } else {
            m_o.put(",\"packets\":[");
            m_first.push_back(true);
            m_pending_findings.push_back(p.findings);
        }
    }
    void end_container(const Packet& end) override {
        m_o.put(']');
        m_first.pop_back();
        length_keys(end.header, header_facts(end.header, true, m_scratch));
        std::vector<packet::Finding> f = std::move(m_pending_findings.back());
        m_pending_findings.pop_back();
        f.insert(f.end(), end.findings.begin(), end.findings.end());
        put_findings(f);
        m_o.put('}');
    }
    void finish() override {
        // Close containers left open by an error, so the output stays valid JSON.
        while (m_first.size() > 1) {
            m_o.put("]}");
            m_first.pop_back();
        }
        m_o.put("]\n");
    }

private:
    void separator() {
        if (!m_first.back()) m_o.put(',');
        m_o.put('\n');
        m_first.back() = false;
    }
    void length_keys(const packet::Header& h, const HeaderFacts& f) {
        m_o.put(",\"length\":");
        if (f.kind == HeaderFacts::Length::Indeterminate) m_o.put("null,\"body_octets\":").dec(h.length);
        else m_o.dec(h.length);
        if (!h.chunks.empty()) {
            m_o.put(",\"partial_chunks\":[");
            for (std::size_t i = 0; i < h.chunks.size(); ++i) {
                if (i) m_o.put(',');
                m_o.dec(h.chunks[i].size);
            }
            m_o.put(']');
            // The list holds the first chunks and the last; these came between them.
            if (h.chunks_omitted) m_o.put(",\"partial_chunks_omitted\":").dec(h.chunks_omitted);
            if (m_hex && h.form == packet::LengthForm::Partial) {
                m_o.put(",\"partial_chunks_wire\":[");
                bool first = true;
                for_each_chunk_wire(h, [&](ByteView w) {
                    m_o.put(first ? "\"" : ",\"");
                    first = false;
                    put_hex(m_o, w);
                    m_o.put('"');
                });
                m_o.put(']');
            }
        }
    }
    void findings(const Packet& p) { put_findings(p.findings); }
    void put_findings(const std::vector<packet::Finding>& fs) {
        if (fs.empty()) return;
        m_o.put(",\"findings\":[");
        for (std::size_t i = 0; i < fs.size(); ++i) {
            if (i) m_o.put(',');
            m_o.put("{\"name\":");
            put_json_string(m_o, fs[i].name);
            m_o.put(",\"offset\":").dec(fs[i].offset).put(",\"detail\":");
            put_json_string(m_o, fs[i].detail);
            m_o.put('}');
        }
        m_o.put(']');
    }
    Output& m_o;
    bool m_hex;
    JsonSink m_sink;
    std::vector<bool> m_first{true};
    std::vector<std::vector<packet::Finding>> m_pending_findings;
    Bytes m_scratch;
};

}  // namespace

std::unique_ptr<PacketRenderer> make_text_renderer(Output& out, RenderOptions opt) {
    return std::make_unique<TextRenderer>(out, opt);
}
std::unique_ptr<PacketRenderer> make_json_renderer(Output& out, RenderOptions opt) {
    return std::make_unique<JsonRenderer>(out, opt);
}

void render_input(packet::Source& input, const InputOptions& opt, PacketRenderer& r) {
    for_each_packet(input, opt, [&](const InputEvent& ev) {
        switch (ev.kind) {
        case InputEvent::Armor: r.armor(ev.armor_label, ev.armor_headers); break;
        case InputEvent::PacketStart: r.packet(*ev.packet, ev.opens_container); break;
        case InputEvent::ContainerEnd: r.end_container(*ev.packet); break;
        }
    });
}

}  // namespace pgpkit::cli
