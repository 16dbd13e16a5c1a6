#pragma once
// Buffered output for the CLI: a large buffer flushed with write(2), far cheaper than
// iostreams for dumps of large keyrings.

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "base/atomic_file.h"
#include "base/bytes.h"

namespace pgpkit::cli {

class Output {
public:
    /** Writes to a file descriptor (1 = standard output). */
    explicit Output(int fd = 1);
    /** Appends to `sink` instead (renderers in tests and fuzzers); `sink` must outlive it. */
    explicit Output(std::string& sink);
    ~Output();
    Output(const Output&) = delete;
    Output& operator=(const Output&) = delete;

    Output& put(std::string_view s) {
        if (s.size() > m_cap - m_len) {
            spill(s);
        } else {
            char* dst = m_buf.get() + m_len;
            if (s.size() <= 16) {
                // Most pieces are short: a plain loop beats a call to memcpy.
                for (std::size_t i = 0; i < s.size(); ++i) dst[i] = s[i];
            } else {
                std::memcpy(dst, s.data(), s.size());
            }
            m_len += s.size();
        }
        return *this;
    }
    /** n spaces. */
    Output& spaces(std::size_t n) {
        static constexpr std::string_view blanks = "                                                                ";
        while (n > blanks.size()) {
            put(blanks);
            n -= blanks.size();
        }
        return put(blanks.substr(0, n));
    }
    /** Appends two characters per octet (uppercase hex) directly into the buffer. */
    Output& hex(const std::uint8_t* p, std::size_t n);
    Output& put(char c) {
        if (m_len == m_cap) flush();
        m_buf[m_len++] = c;
        return *this;
    }
    Output& dec(std::uint64_t v);
    void flush();

private:
    void spill(std::string_view s);
    void write_out(const char* p, std::size_t n);
    int m_fd;
    std::string* m_sink = nullptr;
    std::unique_ptr<char[]> m_buf;
    std::size_t m_cap;
    std::size_t m_len = 0;
};

/**
 * Writes keyblocks to `path` (atomically, with `mode`) or to standard output when `path` is
 * empty, ASCII-armored with `label` when `armored`. The armored copy is wiped afterwards.
 */
void write_keys(const std::string& path, ByteView data, bool armored, std::string_view label, FileMode mode);

}  // namespace pgpkit::cli
