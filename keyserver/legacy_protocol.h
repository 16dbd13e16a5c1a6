#pragma once
// The legacy "Keyserver Message Format" of GnuPG 1.x doc/DETAILS: a request is a command
// tag (NOOP, GET, PUT, DELETE) and a Content-length, then that many octets of data; an
// answer is "GNUPG/1.0 <code> <text>" and a Content-length, then the data. doc/DETAILS
// leaves the line layout open; pgpkit reads and writes it as
//
//   GET\r\n                          GNUPG/1.0 200 OK\r\n
//   Content-length: 42\r\n           Content-length: 1234\r\n
//   \r\n                             \r\n
//   <42 octets>                      <1234 octets>
//
// and also accepts LF line ends, header names in any case, and no Content-length for NOOP.
// GET's data is a search as /pks/lookup takes it, PUT's a keyring (armored or binary),
// DELETE's a fingerprint. Codes are HTTP's.

#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.h"

namespace pgpkit::keyserver {

enum class LegacyCommand : std::uint8_t { Noop, Get, Put, Delete };

const char* legacy_command_name(LegacyCommand c) noexcept;

struct LegacyRequest {
    LegacyCommand command = LegacyCommand::Noop;
    Bytes data;
    bool operator==(const LegacyRequest&) const = default;
};

struct LegacyResponse {
    unsigned code = 200;
    std::string text = "OK";
    Bytes data;
    bool operator==(const LegacyResponse&) const = default;
};

/** Longest request or answer head (command or status line and headers). */
inline constexpr std::size_t kLegacyMaxHead = 4096;

/**
 * Reads one request from the front of `buffer`. nullopt: incomplete, read more;
 * `consumed` is then 0. Otherwise `consumed` is its length in octets.
 * @throws Error(Errc::BadField or Errc::LimitExceeded) with the byte offset, for an unknown
 *         command, a bad or missing Content-length, a head longer than kLegacyMaxHead or
 *         data longer than `max_data`.
 */
[[nodiscard]] std::optional<LegacyRequest> parse_legacy_request(ByteView buffer, std::size_t max_data,
                                                                std::size_t& consumed);

/** As parse_legacy_request, for an answer. */
[[nodiscard]] std::optional<LegacyResponse> parse_legacy_response(ByteView buffer, std::size_t max_data,
                                                                  std::size_t& consumed);

[[nodiscard]] Bytes format_legacy_request(const LegacyRequest& r);
[[nodiscard]] Bytes format_legacy_response(const LegacyResponse& r);

}  // namespace pgpkit::keyserver
