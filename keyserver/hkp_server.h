#pragma once
// `pgpkit serve`'s HTTP/1.1 server (issue 13): Boost.Beast/Asio, asynchronous, one thread
// per core, keep-alive, limits on headers and bodies, read and write timeouts per
// connection (a stalled client holds only its own connection), several listen addresses,
// an access log through an event callback, and a graceful stop. No TLS: run it behind a
// TLS proxy. The routes are HkpHandler's (keyserver/hkp_handler.h).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "keyserver/hkp_handler.h"
#include "keyserver/server_store.h"

namespace pgpkit::keyserver {

struct ServerOptions {
    /** "HOST:PORT" ("[::1]:11371" for IPv6); port 0 picks a free one (see ports()). */
    std::vector<std::string> listen{"127.0.0.1:11371"};
    unsigned threads = 0;                              ///< 0: one per core
    std::size_t max_header_bytes = 16 * 1024;          ///< request line and headers (431 beyond)
    std::size_t max_body_bytes = std::size_t{12} << 20;  ///< a POST body (413 beyond)
    unsigned read_timeout_ms = 20000;   ///< a whole request, from its first octet
    unsigned idle_timeout_ms = 60000;   ///< between requests of a keep-alive connection
    unsigned write_timeout_ms = 20000;  ///< a whole response
    unsigned max_keepalive_requests = 1000;
    unsigned shutdown_grace_ms = 5000;  ///< stop() waits this long for requests in flight
    HandlerOptions handler;
};

/** One line of the access log. */
struct AccessEvent {
    std::string remote;   ///< "127.0.0.1:52814"
    std::string method;
    std::string target;
    unsigned status = 0;
    std::size_t bytes = 0;    ///< response body
    double millis = 0;        ///< from the request's first octet to the response written
    std::string note;         ///< the handler's note (found, inserted, why refused)
};

/** The access log in one line: remote "METHOD target" status bytes millis note. */
[[nodiscard]] std::string format_access(const AccessEvent& e);

struct ServerEvents {
    std::function<void(const AccessEvent&)> access;  ///< called from the server's threads
    std::function<void(const std::string&)> error;   ///< accept and socket problems
};

class HkpServer {
public:
    HkpServer(KeyserverStore& store, ServerOptions opt, ServerEvents events = {});
    ~HkpServer();  ///< stops the server if it runs
    HkpServer(const HkpServer&) = delete;
    HkpServer& operator=(const HkpServer&) = delete;

    /**
     * Binds every listen address and starts the threads; returns at once.
     * @throws Error(Errc::Io) naming an address that cannot be bound, Error(Errc::Usage)
     *         for one that does not parse.
     */
    void start();
    /** The bound ports, in the order of ServerOptions::listen. */
    [[nodiscard]] std::vector<std::uint16_t> ports() const;
    /**
     * Stops accepting, closes idle connections, lets requests in flight finish (up to
     * shutdown_grace_ms) and joins the threads. Safe to call from any thread, more than
     * once; not from a signal handler (post it from one: see cli/cmd_serve.cpp).
     */
    void stop();
    /** Blocks until the server has stopped. */
    void wait();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/** Splits "HOST:PORT" / "[V6]:PORT". @throws Error(Errc::Usage) for anything else. */
[[nodiscard]] std::pair<std::string, std::uint16_t> parse_listen(const std::string& address);

}  // namespace pgpkit::keyserver
