#pragma once
// A client of the legacy keyserver protocol (legacy_protocol.h), for tests and operators
// (`pgpkit keyserver legacy`): one request, one answer, over TCP or a unix socket.

#include <string>

#include "keyserver/legacy_protocol.h"

namespace pgpkit::keyserver {

struct LegacyClientOptions {
    unsigned timeout_ms = 30000;                   ///< connect, send and the whole answer
    std::size_t max_answer = std::size_t{64} << 20;  ///< answer data at most
};

/**
 * Sends `req` to `address` ("HOST:PORT" or "unix:PATH") and reads the answer.
 * @throws Error(Errc::Io) when the server cannot be reached, stalls past the timeout or
 *         closes early; Error(Errc::BadField) for an answer that is not GNUPG/1.0.
 */
[[nodiscard]] LegacyResponse legacy_request(const std::string& address, const LegacyRequest& req,
                                            const LegacyClientOptions& opt = {});

}  // namespace pgpkit::keyserver
