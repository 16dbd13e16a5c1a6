#pragma once
// The legacy keyserver protocol of GnuPG 1.x doc/DETAILS (legacy_protocol.h) served over
// TCP ("HOST:PORT") or a unix socket ("unix:PATH", created 0600: its permissions are the
// access control). GET and PUT go through the same routes as HKP (HkpHandler), so the
// server's policy (word search, stripped certifications, upload limits) is the same;
// DELETE is refused unless allow_delete is set, and then only on unix sockets: it is
// never reachable from the network.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "keyserver/hkp_handler.h"
#include "keyserver/hkp_server.h"
#include "keyserver/legacy_protocol.h"
#include "keyserver/server_store.h"

namespace pgpkit::keyserver {

struct LegacyOptions {
    std::vector<std::string> listen;  ///< "HOST:PORT" (port 0: any) or "unix:PATH"
    bool allow_delete = false;        ///< DELETE on unix sockets (--allow-delete)
    std::size_t max_data = std::size_t{12} << 20;  ///< request data (PUT's keyring) at most
    unsigned timeout_ms = 20000;      ///< for each request, from the end of the previous answer
    unsigned threads = 1;
    HandlerOptions handler;
};

/**
 * Answers one request. `on_unix_socket`: the request came over a unix socket (DELETE
 * needs it and allow_delete). Never throws: a store failure is a 500.
 */
[[nodiscard]] LegacyResponse handle_legacy(const HkpHandler& routes, KeyserverStore& store, const LegacyRequest& req,
                                           bool allow_delete, bool on_unix_socket);

class LegacyServer {
public:
    LegacyServer(KeyserverStore& store, LegacyOptions opt, ServerEvents events = {});
    ~LegacyServer();  ///< stops the server if it runs
    LegacyServer(const LegacyServer&) = delete;
    LegacyServer& operator=(const LegacyServer&) = delete;

    /** Binds every address and starts the threads. @throws Error(Errc::Io or Errc::Usage) */
    void start();
    /** TCP ports bound, in listen order (0 for unix sockets). */
    [[nodiscard]] std::vector<std::uint16_t> ports() const;
    /** Closes the listeners and connections, joins the threads, removes the socket files. */
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace pgpkit::keyserver
