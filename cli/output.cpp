#include "cli/output.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "armor/armor.h"
#include "base/error.h"
#include "base/secret.h"

namespace pgpkit::cli {

namespace {
constexpr std::size_t output_buffer_size = 1 << 16;

void write_all(int fd, const char* p, std::size_t n, const std::string& what) {
    while (n > 0) {
        ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            throw Error(Errc::Io, 0, "cannot write " + what + ": " + std::strerror(errno));
        }
        p += w;
        n -= static_cast<std::size_t>(w);
    }
}
}  // namespace

Output::Output(int fd) : m_fd(fd), m_buf(std::make_unique<char[]>(output_buffer_size)), m_cap(output_buffer_size) {}

Output::Output(std::string& sink) : Output(-1) { m_sink = &sink; }

void Output::write_out(const char* p, std::size_t n) {
    if (m_sink) m_sink->append(p, n);
    else write_all(m_fd, p, n, "output");
}

Output::~Output() {
    try {
        flush();
    } catch (...) {  // a destructor must not throw; callers flush explicitly to see errors
    }
}

void Output::flush() {
    if (m_len == 0) return;
    std::size_t n = m_len;
    m_len = 0;
    write_out(m_buf.get(), n);
}

void Output::spill(std::string_view s) {
    flush();
    if (s.size() >= m_cap) {
        write_out(s.data(), s.size());
        return;
    }
    std::memcpy(m_buf.get(), s.data(), s.size());
    m_len = s.size();
}

Output& Output::dec(std::uint64_t v) {
    static constexpr char pairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    if (m_cap - m_len < 20) flush();
    char* dst = m_buf.get() + m_len;
    if (v < 10) {  // versions, algorithms, small counts: most numbers of a dump
        *dst = static_cast<char>('0' + v);
        ++m_len;
        return *this;
    }
    // Two digits at a time from the right into a scratch, then one fixed-size copy of 20
    // octets (the room flush() left; octets past the digits are overwritten later):
    // cheaper than counting the digits first, a division per digit.
    char tmp[40];
    char* const end = tmp + 20;
    char* p = end;
    while (v >= 100) {
        const char* d = pairs + (v % 100) * 2;
        v /= 100;
        *--p = d[1];
        *--p = d[0];
    }
    if (v >= 10) {
        const char* d = pairs + v * 2;
        *--p = d[1];
        *--p = d[0];
    } else {
        *--p = static_cast<char>('0' + v);
    }
    std::memcpy(dst, p, 20);
    m_len += static_cast<std::size_t>(end - p);
    return *this;
}

namespace {
struct HexPairs {
    char pairs[512];
    constexpr HexPairs() : pairs() {
        constexpr char d[] = "0123456789ABCDEF";
        for (int i = 0; i < 256; ++i) {
            pairs[2 * i] = d[i >> 4];
            pairs[2 * i + 1] = d[i & 15];
        }
    }
};
constexpr HexPairs hex_pairs;
}  // namespace

Output& Output::hex(const std::uint8_t* p, std::size_t n) {
    while (n > 0) {
        if (m_cap - m_len < 2) flush();
        std::size_t k = std::min(n, (m_cap - m_len) / 2);
        char* dst = m_buf.get() + m_len;
        for (std::size_t i = 0; i < k; ++i) {
            const char* pair = hex_pairs.pairs + 2 * p[i];
            dst[2 * i] = pair[0];
            dst[2 * i + 1] = pair[1];
        }
        m_len += 2 * k;
        p += k;
        n -= k;
    }
    return *this;
}

void write_keys(const std::string& path, ByteView data, bool armored, std::string_view label, FileMode mode) {
    std::string text = armored ? armor::encode_text(data, label, {}) : std::string();
    struct WipeOnExit {
        std::string& s;
        ~WipeOnExit() { wipe(s.data(), s.size()); }
    } guard{text};
    const ByteView out = armored ? as_bytes(text) : data;
    if (!path.empty()) {
        write_output_file(path, out, mode);
    } else {
        Output o(1);
        o.put(as_text(out));
        o.flush();
    }
}

}  // namespace pgpkit::cli
