// The legacy protocol's client (legacy_client.h), on POSIX sockets with poll() deadlines.
#include "keyserver/legacy_client.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "base/error.h"
#include "keyserver/hkp_server.h"

namespace pgpkit::keyserver {

namespace {

using Clock = std::chrono::steady_clock;

class Socket {
public:
    explicit Socket(int fd) noexcept : m_fd(fd) {}
    ~Socket() {
        if (m_fd >= 0) ::close(m_fd);
    }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    int fd() const noexcept { return m_fd; }

private:
    int m_fd;
};

[[noreturn]] void fail(const std::string& address, const std::string& what) {
    throw Error(Errc::Io, 0, "legacy keyserver " + address + ": " + what);
}

int connect_unix(const std::string& address) {
    const std::string path = address.substr(5);
    sockaddr_un sa{};
    if (path.empty() || path.size() >= sizeof sa.sun_path) fail(address, "bad socket path");
    sa.sun_family = AF_UNIX;
    std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail(address, std::strerror(errno));
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0) {
        const int e = errno;
        ::close(fd);
        fail(address, std::strerror(e));
    }
    return fd;
}

int connect_tcp(const std::string& address) {
    const auto [host, port] = parse_listen(address);
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (const int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res); rc != 0)
        fail(address, ::gai_strerror(rc));
    int fd = -1, err = 0;
    for (addrinfo* a = res; a && fd < 0; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            err = errno;
            ::close(fd);
            fd = -1;
        }
    }
    ::freeaddrinfo(res);
    if (fd < 0) fail(address, std::strerror(err ? err : ECONNREFUSED));
    return fd;
}

/** Waits for `events` on `fd` until `deadline`. */
void wait_for(int fd, short events, Clock::time_point deadline, const std::string& address) {
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) fail(address, "timed out");
        pollfd p{fd, events, 0};
        const int rc = ::poll(&p, 1, static_cast<int>(left));
        if (rc > 0) return;
        if (rc < 0 && errno != EINTR) fail(address, std::strerror(errno));
    }
}

}  // namespace

LegacyResponse legacy_request(const std::string& address, const LegacyRequest& req, const LegacyClientOptions& opt) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(opt.timeout_ms);
    const Socket s(address.rfind("unix:", 0) == 0 ? connect_unix(address) : connect_tcp(address));
    const Bytes out = format_legacy_request(req);
    for (std::size_t sent = 0; sent < out.size();) {
        wait_for(s.fd(), POLLOUT, deadline, address);
        const ssize_t n = ::send(s.fd(), out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno != EINTR && errno != EAGAIN) fail(address, std::strerror(errno));
        if (n > 0) sent += static_cast<std::size_t>(n);
    }
    Bytes in;
    std::uint8_t chunk[16384];
    for (;;) {
        std::size_t used = 0;
        if (auto r = parse_legacy_response(in, opt.max_answer, used)) return std::move(*r);
        wait_for(s.fd(), POLLIN, deadline, address);
        const ssize_t n = ::recv(s.fd(), chunk, sizeof chunk, 0);
        if (n == 0) fail(address, "the server closed the connection before its answer was complete");
        if (n < 0 && errno != EINTR && errno != EAGAIN) fail(address, std::strerror(errno));
        if (n > 0) in.insert(in.end(), chunk, chunk + n);
    }
}

}  // namespace pgpkit::keyserver
