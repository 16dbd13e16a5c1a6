#pragma once
// A small HTTP server on 127.0.0.1 for the keyserver client tests: each request is handed
// to a function that returns the raw answer to send (status line, headers, body), so a test
// can replay what real keyservers send, byte for byte. Each connection gets one answer and
// is closed, as SKS (HTTP/1.0) does.

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pgpkit::test {

struct StubRequest {
    std::string method;
    std::string target;  ///< path and query, as sent
    std::string body;
};

struct StubReply {
    std::string raw;     ///< sent as is
    bool stall = false;  ///< send nothing and keep the connection open until the server stops
};

/** An answer with this status, content type and body (HTTP/1.0, Content-Length, close). */
StubReply http_reply(int status, const std::string& content_type, const std::string& body,
                     const std::string& extra_headers = "");

class StubServer {
public:
    explicit StubServer(std::function<StubReply(const StubRequest&)> handler);
    ~StubServer();
    StubServer(const StubServer&) = delete;
    StubServer& operator=(const StubServer&) = delete;

    std::uint16_t port() const noexcept { return m_port; }
    /** "http://127.0.0.1:PORT" */
    std::string url() const;
    /** Every request so far. */
    std::vector<StubRequest> requests();

private:
    void serve();
    void answer(int fd);

    std::function<StubReply(const StubRequest&)> m_handler;
    int m_listen = -1;
    std::uint16_t m_port = 0;
    std::atomic<bool> m_stop{false};
    std::mutex m_mu;
    std::vector<StubRequest> m_requests;
    std::vector<std::thread> m_conns;
    std::thread m_thread;
};

}  // namespace pgpkit::test
