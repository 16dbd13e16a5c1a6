#include "message/pipemode.h"

#include <optional>
#include <vector>

namespace pgpkit::message {

namespace {

/** A byte of the data, or a control byte (after an '@'), with its input offset. */
struct Token {
    bool control = false;
    std::uint8_t byte = 0;
    std::uint64_t offset = 0;
};

class TokenReader {
public:
    explicit TokenReader(packet::Source& in) : m_in(in), m_buf(std::size_t{1} << 16) {}

    std::optional<Token> next() {
        std::optional<std::uint8_t> c = byte();
        if (!c) return std::nullopt;
        const std::uint64_t at = m_pos_offset - 1;
        if (*c != '@') return Token{false, *c, at};
        std::optional<std::uint8_t> d = byte();
        if (!d) throw Error(Errc::Truncated, at, "pipemode: input ends after '@'");
        if (*d == '@') return Token{false, '@', at};
        return Token{true, *d, at};
    }

private:
    std::optional<std::uint8_t> byte() {
        if (m_pos == m_end) {
            m_end = m_in.read(m_buf);
            m_pos = 0;
            if (m_end == 0) return std::nullopt;
        }
        ++m_pos_offset;
        return m_buf[m_pos++];
    }

    packet::Source& m_in;
    std::vector<std::uint8_t> m_buf;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    std::uint64_t m_pos_offset = 0;
};

[[noreturn]] void protocol(std::uint64_t at, const std::string& what) {
    throw Error(Errc::BadField, at, "pipemode: " + what);
}

std::string control_name(std::uint8_t c) {
    if (c >= 0x21 && c < 0x7F) return std::string("\"@") + static_cast<char>(c) + "\"";
    return "'@' and octet " + std::to_string(c);
}

/** The signed text of one operation: data tokens up to "@.". */
class TextSource final : public packet::Source {
public:
    explicit TextSource(TokenReader& r) : m_r(r) {}
    std::size_t read(std::span<std::uint8_t> buf) override {
        std::size_t n = 0;
        while (n < buf.size() && !m_done) {
            const std::optional<Token> t = m_r.next();
            if (!t) protocol(offset(), "input ends inside signed text (no \"@.\")");
            if (t->control) {
                if (t->byte != '.') protocol(t->offset, control_name(t->byte) + " inside signed text");
                m_done = true;
                break;
            }
            buf[n++] = t->byte;
        }
        m_offset += n;
        return n;
    }
    bool done() const noexcept { return m_done; }

private:
    TokenReader& m_r;
    bool m_done = false;
};

class Pipemode {
public:
    Pipemode(packet::Source& in, const VerifyOptions& opt, const PipemodeHandlers& h) : m_r(in), m_opt(opt), m_h(h) {}

    PipemodeResult run() {
        for (;;) {
            try {
                if (!step()) break;
            } catch (const Error& e) {
                ++m_out.errors;
                if (m_h.error) m_h.error(e);
                m_in_stream = false;
                if (!resync()) break;
            }
        }
        return m_out;
    }

private:
    /** One token at stream level; false at the end of the input. */
    bool step() {
        const std::optional<Token> t = m_r.next();
        if (!t) {
            if (m_in_stream) protocol(m_last, "input ends inside a stream (no \"@>\")");
            return false;
        }
        m_last = t->offset;
        if (!t->control) protocol(t->offset, m_in_stream ? "data outside an operation" : "data outside a stream");
        switch (t->byte) {
        case '<':
            if (m_in_stream) protocol(t->offset, "\"@<\" inside a stream");
            m_in_stream = true;
            emit(m_opt.status, "BEGIN_STREAM");
            return true;
        case '>':
            if (!m_in_stream) protocol(t->offset, "\"@>\" outside a stream");
            m_in_stream = false;
            emit(m_opt.status, "END_STREAM");
            return true;
        case 'B':
            if (!m_in_stream) protocol(t->offset, "\"@B\" outside a stream");
            operation();
            return true;
        default:
            protocol(t->offset, "unknown control " + control_name(t->byte));
        }
    }

    /** "@B" signature "@t" text "@.": verified as a detached signature. */
    void operation() {
        Bytes sig;
        const std::size_t max = 16 * m_opt.limits.max_packet_size;
        for (;;) {
            const std::optional<Token> t = m_r.next();
            if (!t) protocol(m_last, "input ends inside a signature (no \"@t\")");
            m_last = t->offset;
            if (!t->control) {
                if (sig.size() >= max) protocol(t->offset, "signature larger than " + std::to_string(max) + " octets");
                sig.push_back(t->byte);
                continue;
            }
            if (t->byte == 't') break;
            protocol(t->offset, control_name(t->byte) + " inside a signature");
        }
        packet::MemorySource sigsrc(sig);
        TextSource text(m_r);
        try {
            const VerifyResult r = verify_detached(sigsrc, text, m_opt);
            ++m_out.operations;
            if (r.all_good()) ++m_out.all_good;
            if (m_h.result) m_h.result(r);
        } catch (const Error& e) {
            if (!text.done() && e.detail().rfind("pipemode:", 0) == 0) throw;
            // The signature did not parse: report it, skip its text, stay in the stream.
            ++m_out.errors;
            if (m_h.error) m_h.error(e);
            std::uint8_t skip[4096];
            while (!text.done() && text.read(skip) != 0) {
            }
        }
    }

    /** After an error: skips to the next "@<" (and starts that stream); false at the end. */
    bool resync() {
        for (;;) {
            std::optional<Token> t;
            try {
                t = m_r.next();
            } catch (const Error&) {
                return false;
            }
            if (!t) return false;
            if (t->control && t->byte == '<') {
                m_in_stream = true;
                emit(m_opt.status, "BEGIN_STREAM");
                return true;
            }
        }
    }

    TokenReader m_r;
    const VerifyOptions& m_opt;
    const PipemodeHandlers& m_h;
    PipemodeResult m_out;
    bool m_in_stream = false;
    std::uint64_t m_last = 0;
};

}  // namespace

PipemodeResult run_pipemode(packet::Source& input, const VerifyOptions& opt, const PipemodeHandlers& handlers) {
    // One look-up and one check per signer for the whole input.
    VerifyOptions shared = opt;
    SignerCache cache;
    if (!shared.cache) shared.cache = &cache;
    return Pipemode(input, shared, handlers).run();
}

}  // namespace pgpkit::message
