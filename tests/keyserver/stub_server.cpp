#include "tests/keyserver/stub_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

namespace pgpkit::test {
namespace {

const char* reason(int status) {
    switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

void send_all(int fd, const std::string& data) {
    std::size_t off = 0;
    while (off < data.size()) {
        const ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return;  // the client went away (size cap, timeout)
        off += static_cast<std::size_t>(n);
    }
}

}  // namespace

StubReply http_reply(int status, const std::string& content_type, const std::string& body,
                     const std::string& extra_headers) {
    std::string raw = "HTTP/1.0 " + std::to_string(status) + " " + reason(status) + "\r\n";
    if (!content_type.empty()) raw += "Content-Type: " + content_type + "\r\n";
    raw += "Content-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers + "Connection: close\r\n\r\n";
    raw += body;
    return StubReply{raw, false};
}

StubServer::StubServer(std::function<StubReply(const StubRequest&)> handler) : m_handler(std::move(handler)) {
    m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
    if (m_listen < 0) throw std::runtime_error("socket failed");
    int one = 1;
    ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(m_listen, 64) != 0)
        throw std::runtime_error("bind/listen failed");
    socklen_t len = sizeof addr;
    ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_thread = std::thread([this] { serve(); });
}

StubServer::~StubServer() {
    m_stop = true;
    m_thread.join();
    for (auto& t : m_conns) t.join();
    ::close(m_listen);
}

std::string StubServer::url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

std::vector<StubRequest> StubServer::requests() {
    std::lock_guard lock(m_mu);
    return m_requests;
}

void StubServer::serve() {
    while (!m_stop) {
        pollfd p{m_listen, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        const int fd = ::accept(m_listen, nullptr, nullptr);
        if (fd < 0) continue;
        std::lock_guard lock(m_mu);
        m_conns.emplace_back([this, fd] { answer(fd); });
    }
}

void StubServer::answer(int fd) {
    std::string in;
    char buf[65536];
    std::size_t need = std::string::npos;
    while (!m_stop) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        in.append(buf, static_cast<std::size_t>(n));
        if (in[0] == 0x16) break;  // a TLS ClientHello: answer in plain HTTP at once
        const auto end = in.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        if (need == std::string::npos) {
            need = end + 4;
            const auto cl = in.find("Content-Length: ");
            if (cl != std::string::npos && cl < end) need += std::stoul(in.substr(cl + 16));
        }
        if (in.size() >= need) break;
    }
    StubRequest req;
    const auto sp1 = in.find(' '), sp2 = in.find(' ', sp1 + 1);
    if (sp1 != std::string::npos && sp2 != std::string::npos) {
        req.method = in.substr(0, sp1);
        req.target = in.substr(sp1 + 1, sp2 - sp1 - 1);
        const auto end = in.find("\r\n\r\n");
        if (end != std::string::npos) req.body = in.substr(end + 4);
    }
    {
        std::lock_guard lock(m_mu);
        m_requests.push_back(req);
    }
    const StubReply r = m_handler(req);
    if (r.stall) {
        while (!m_stop) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } else {
        send_all(fd, r.raw);
        ::shutdown(fd, SHUT_WR);
    }
    ::close(fd);
}

}  // namespace pgpkit::test
