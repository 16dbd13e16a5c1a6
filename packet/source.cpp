#include "packet/source.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/error.h"

namespace pgpkit::packet {

std::uint64_t Source::skip(std::uint64_t n) {
    std::uint8_t scratch[16384];
    std::uint64_t done = 0;
    while (done < n) {
        std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(n - done, sizeof scratch));
        std::size_t got = read({scratch, want});
        if (got == 0) break;
        done += got;
    }
    return done;
}

std::size_t Source::read_full(std::span<std::uint8_t> buf) {
    std::size_t done = 0;
    while (done < buf.size()) {
        std::size_t got = read(buf.subspan(done));
        if (got == 0) break;
        done += got;
    }
    return done;
}

std::size_t MemorySource::read(std::span<std::uint8_t> buf) {
    std::size_t n = std::min<std::size_t>(buf.size(), m_data.size() - m_offset);
    if (n) std::memcpy(buf.data(), m_data.data() + m_offset, n);
    m_offset += n;
    return n;
}

std::optional<ByteView> MemorySource::peek_view(std::size_t n) {
    if (n > m_data.size() - m_offset) return std::nullopt;
    return m_data.subspan(m_offset, n);
}

std::uint64_t MemorySource::skip(std::uint64_t n) {
    std::uint64_t k = std::min<std::uint64_t>(n, m_data.size() - m_offset);
    m_offset += k;
    return k;
}

namespace {
constexpr std::size_t fd_buffer_size = 1 << 18;
}

FdSource::FdSource(const std::string& path) : m_path(path) {
    if (path == "-") {
        m_fd = 0;
    } else {
        m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (m_fd < 0)
            throw Error(Errc::Io, 0, "cannot open " + path + ": " + std::strerror(errno));
        m_owned = true;
    }
    m_buf.resize(fd_buffer_size);
}

FdSource::~FdSource() {
    if (m_owned) ::close(m_fd);
}

bool FdSource::fill(std::size_t want) {
    // Make [m_pos, m_end) hold at least `want` bytes if the stream has them.
    if (m_end - m_pos >= want) return true;
    if (m_eof) return false;
    if (want > m_buf.size()) m_buf.resize(want);
    if (m_pos > 0) {
        std::memmove(m_buf.data(), m_buf.data() + m_pos, m_end - m_pos);
        m_end -= m_pos;
        m_pos = 0;
    }
    while (m_end - m_pos < want && !m_eof) {
        ssize_t got = ::read(m_fd, m_buf.data() + m_end, m_buf.size() - m_end);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw Error(Errc::Io, m_offset, "cannot read " + m_path + ": " + std::strerror(errno));
        }
        if (got == 0) m_eof = true;
        m_end += static_cast<std::size_t>(got);
    }
    return m_end - m_pos >= want;
}

std::size_t FdSource::read(std::span<std::uint8_t> buf) {
    if (buf.empty()) return 0;
    if (m_pos == m_end) {
        if (buf.size() >= m_buf.size() / 2) {
            // Large reads bypass the buffer.
            for (;;) {
                if (m_eof) return 0;
                ssize_t got = ::read(m_fd, buf.data(), buf.size());
                if (got < 0) {
                    if (errno == EINTR) continue;
                    throw Error(Errc::Io, m_offset, "cannot read " + m_path + ": " + std::strerror(errno));
                }
                if (got == 0) m_eof = true;
                m_offset += static_cast<std::uint64_t>(got);
                return static_cast<std::size_t>(got);
            }
        }
        fill(1);
    }
    std::size_t n = std::min(buf.size(), m_end - m_pos);
    if (n) std::memcpy(buf.data(), m_buf.data() + m_pos, n);
    m_pos += n;
    m_offset += n;
    return n;
}

std::optional<ByteView> FdSource::peek_view(std::size_t n) {
    if (n > (std::size_t{1} << 24)) return std::nullopt;
    if (!fill(n)) return std::nullopt;
    return ByteView(m_buf.data() + m_pos, n);
}

std::uint64_t FdSource::skip(std::uint64_t n) {
    std::uint64_t done = 0;
    while (done < n) {
        if (m_pos == m_end && !fill(1)) break;
        std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(n - done, m_end - m_pos));
        m_pos += k;
        m_offset += k;
        done += k;
    }
    return done;
}

Bytes read_file(const std::string& path) {
    FdSource src(path);
    Bytes out;
    std::uint8_t chunk[65536];
    for (;;) {
        std::size_t got = src.read({chunk, sizeof chunk});
        if (got == 0) break;
        out.insert(out.end(), chunk, chunk + got);
    }
    return out;
}

}  // namespace pgpkit::packet
