#pragma once
// Byte sources: the streaming input of the packet layer (HOUSE-STYLE rule 12).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/bytes.h"
#include "base/secret.h"

namespace pgpkit::packet {

/**
 * A pull stream of bytes. read() fills up to buf.size() bytes and returns how many it
 * produced; 0 means end of stream. offset() is the number of bytes produced so far.
 * Implementations throw pgpkit::Error on failure.
 */
class Source {
public:
    virtual ~Source() = default;
    virtual std::size_t read(std::span<std::uint8_t> buf) = 0;
    /**
     * Zero-copy: a view of the next n bytes without consuming them, if the source holds
     * them contiguously in memory. The view stays valid until the next read or skip.
     */
    virtual std::optional<ByteView> peek_view(std::size_t) { return std::nullopt; }
    /** Skips up to n bytes, returns how many were skipped. */
    virtual std::uint64_t skip(std::uint64_t n);
    std::uint64_t offset() const noexcept { return m_offset; }

    /** Reads exactly buf.size() bytes or returns fewer only at end of stream. */
    std::size_t read_full(std::span<std::uint8_t> buf);

protected:
    std::uint64_t m_offset = 0;
};

/** A source over a buffer in memory; the buffer must outlive it. Zero-copy capable. */
class MemorySource final : public Source {
public:
    explicit MemorySource(ByteView data) noexcept : m_data(data) {}
    std::size_t read(std::span<std::uint8_t> buf) override;
    std::optional<ByteView> peek_view(std::size_t n) override;
    std::uint64_t skip(std::uint64_t n) override;
    ByteView remaining() const noexcept { return m_data.subspan(m_offset); }

private:
    ByteView m_data;
};

/** A buffered source over a file descriptor (a file, or stdin as fd 0). */
class FdSource final : public Source {
public:
    /** Opens path for reading; "-" means standard input. */
    explicit FdSource(const std::string& path);
    ~FdSource() override;
    FdSource(const FdSource&) = delete;
    FdSource& operator=(const FdSource&) = delete;
    std::size_t read(std::span<std::uint8_t> buf) override;
    std::optional<ByteView> peek_view(std::size_t n) override;
    std::uint64_t skip(std::uint64_t n) override;

private:
    bool fill(std::size_t want);
    int m_fd = -1;
    bool m_owned = false;
    bool m_eof = false;
    std::string m_path;
    SecretBytes m_buf;  ///< wiping memory: the file may be a secret keyring
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
};

/** Reads a whole file ("-" for stdin) into memory. */
Bytes read_file(const std::string& path);

}  // namespace pgpkit::packet
