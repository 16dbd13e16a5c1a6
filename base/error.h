#pragma once
// The one error type of the library (HOUSE-STYLE rule 15).

#include <cstdint>
#include <exception>
#include <optional>
#include <string>

namespace pgpkit {

/** Class of failure; each kind has one stable name used in messages and tests. */
enum class Errc : std::uint8_t {
    Truncated,      ///< input ended inside a header, length or field
    BadHeader,      ///< a CTB or length header that cannot be decoded
    BadLength,      ///< a length that disagrees with its enclosing structure
    BadField,       ///< a field value that cannot be parsed
    LimitExceeded,  ///< a configured resource limit was reached
    Decompression,  ///< the compressed stream is corrupt
    Armor,          ///< ASCII armor is malformed
    Crypto,         ///< a cryptographic primitive failed
    Io,             ///< reading or writing a file failed
    Usage,          ///< the caller asked for something impossible
    Strict,         ///< a finding was turned into an error by --strict
    BadPassphrase,  ///< a passphrase does not unlock the secret key it was given for
};

/** Stable lower-case name of an error kind ("truncated", "bad header", ...). */
const char* errc_name(Errc kind) noexcept;

/**
 * The exception thrown by every layer of pgpkit. It carries the kind, the absolute byte
 * offset where the problem was found, and, once the packet parser has annotated it, the
 * index and tag of the packet being parsed. what() is the one line a CLI prints.
 */
class Error final : public std::exception {
public:
    Error(Errc kind, std::uint64_t offset, std::string detail);

    Errc kind() const noexcept { return m_kind; }
    std::uint64_t offset() const noexcept { return m_offset; }
    const std::string& detail() const noexcept { return m_detail; }
    std::optional<std::size_t> packet_index() const noexcept { return m_index; }
    std::optional<std::uint8_t> tag() const noexcept { return m_tag; }

    /** Record which packet was being parsed; the first annotation wins. */
    Error& in_packet(std::size_t index, std::optional<std::uint8_t> tag) noexcept;

    const char* what() const noexcept override { return m_what.c_str(); }

    bool operator==(const Error& o) const noexcept {
        return m_kind == o.m_kind && m_offset == o.m_offset && m_detail == o.m_detail && m_index == o.m_index &&
               m_tag == o.m_tag;
    }

private:
    void render();

    Errc m_kind;
    std::uint64_t m_offset;
    std::string m_detail;
    std::optional<std::size_t> m_index;
    std::optional<std::uint8_t> m_tag;
    std::string m_what;
};

}  // namespace pgpkit
