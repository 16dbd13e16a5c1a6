// The legacy keyserver protocol's transport on Boost.Asio (legacy_server.h): one session
// per connection, requests answered in order, a timer per request.
#include "keyserver/legacy_server.h"

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "base/error.h"

namespace pgpkit::keyserver {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using local = net::local::stream_protocol;

namespace {

struct Shared {
    Shared(KeyserverStore& s, LegacyOptions o, ServerEvents e)
        : store(s), opt(std::move(o)), events(std::move(e)), routes(s, opt.handler) {}
    KeyserverStore& store;
    LegacyOptions opt;
    ServerEvents events;
    HkpHandler routes;
    std::atomic<bool> stopping{false};
};

/** "GET 0x1234...": the access log's target, the request data cut short. */
std::string log_target(const LegacyRequest& r) {
    if (r.command != LegacyCommand::Get && r.command != LegacyCommand::Delete)
        return std::to_string(r.data.size()) + " octets";
    std::string s(r.data.begin(), r.data.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(r.data.size(), 80)));
    for (char& c : s)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return s;
}

template <class Socket>
class Session : public std::enable_shared_from_this<Session<Socket>> {
public:
    Session(Socket s, Shared& sh, bool on_unix, std::string remote)
        : m_socket(std::move(s)), m_timer(m_socket.get_executor()), m_sh(sh), m_unix(on_unix),
          m_remote(std::move(remote)) {}

    void start() { next(); }

private:
    /** Answers the requests already buffered, then reads more. */
    void next() {
        if (m_sh.stopping) return close();
        std::size_t used = 0;
        std::optional<LegacyRequest> req;
        try {
            req = parse_legacy_request(m_buffer, m_sh.opt.max_data, used);
        } catch (const Error& e) {
            const unsigned code = e.kind() == Errc::LimitExceeded ? 413 : 400;
            const std::string why = std::string(e.what()) + "\n";
            return reply({code, status_text(code), Bytes(why.begin(), why.end())}, "-", "-", false);
        }
        if (!req) return read();
        m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(used));
        const auto t0 = std::chrono::steady_clock::now();
        LegacyResponse res = handle_legacy(m_sh.routes, m_sh.store, *req, m_sh.opt.allow_delete, m_unix);
        m_millis = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        reply(std::move(res), legacy_command_name(req->command), log_target(*req), true);
    }

    void read() {
        if (m_waiting_since_answer) arm_timer();
        m_waiting_since_answer = false;
        m_socket.async_read_some(net::buffer(m_chunk), [self = this->shared_from_this()](auto ec, std::size_t n) {
            if (ec) return self->close();
            self->m_buffer.insert(self->m_buffer.end(), self->m_chunk.begin(),
                                  self->m_chunk.begin() + static_cast<std::ptrdiff_t>(n));
            self->next();
        });
    }

    void reply(LegacyResponse res, std::string method, std::string target, bool keep) {
        m_out = format_legacy_response(res);
        AccessEvent log{m_remote, std::move(method), std::move(target), res.code, res.data.size(), m_millis, {}};
        if (res.code >= 400) log.note = std::string(res.data.begin(), res.data.end()).substr(0, 120);
        while (!log.note.empty() && log.note.back() == '\n') log.note.pop_back();
        arm_timer();
        net::async_write(m_socket, net::buffer(m_out), [self = this->shared_from_this(), keep, log](auto ec, std::size_t) {
            if (self->m_sh.events.access) self->m_sh.events.access(log);
            if (ec || !keep) return self->close();
            self->m_waiting_since_answer = true;
            self->next();
        });
    }

    /** The connection's deadline: a whole request, or an answer, within timeout_ms. */
    void arm_timer() {
        m_timer.expires_after(std::chrono::milliseconds(m_sh.opt.timeout_ms));
        m_timer.async_wait([weak = this->weak_from_this()](auto ec) {
            if (ec) return;
            if (auto self = weak.lock()) self->close();
        });
    }

    void close() {
        boost::system::error_code ec;
        m_timer.cancel();
        m_socket.shutdown(net::socket_base::shutdown_both, ec);
        m_socket.close(ec);
    }

    Socket m_socket;
    net::steady_timer m_timer;
    Shared& m_sh;
    bool m_unix;
    std::string m_remote;
    std::array<std::uint8_t, 16384> m_chunk{};
    Bytes m_buffer, m_out;
    double m_millis = 0;
    bool m_waiting_since_answer = true;
};

template <class Protocol>
class Listener : public std::enable_shared_from_this<Listener<Protocol>> {
public:
    Listener(net::io_context& ioc, const typename Protocol::endpoint& ep, Shared& sh, bool on_unix)
        : m_acceptor(ioc), m_sh(sh), m_unix(on_unix) {
        m_acceptor.open(ep.protocol());
        if (!on_unix) m_acceptor.set_option(net::socket_base::reuse_address(true));
        m_acceptor.bind(ep);
        m_acceptor.listen(net::socket_base::max_listen_connections);
    }
    std::uint16_t port() const {
        if constexpr (std::is_same_v<Protocol, tcp>) return m_acceptor.local_endpoint().port();
        return 0;
    }
    void accept() {
        m_acceptor.async_accept([self = this->shared_from_this()](auto ec, typename Protocol::socket s) {
            if (self->m_sh.stopping || ec == net::error::operation_aborted) return;
            if (!ec) std::make_shared<Session<typename Protocol::socket>>(std::move(s), self->m_sh, self->m_unix,
                                                                           self->remote_of(s))
                         ->start();
            else if (self->m_sh.events.error) self->m_sh.events.error("legacy accept: " + ec.message());
            self->accept();
        });
    }
    void close() {
        boost::system::error_code ec;
        m_acceptor.close(ec);
    }

private:
    std::string remote_of(const typename Protocol::socket& s) const {
        if constexpr (std::is_same_v<Protocol, tcp>) {
            boost::system::error_code ec;
            const auto ep = s.remote_endpoint(ec);
            if (!ec) return ep.address().to_string() + ":" + std::to_string(ep.port());
        }
        return "unix";
    }

    typename Protocol::acceptor m_acceptor;
    Shared& m_sh;
    bool m_unix;
};

/** Removes a stale socket file; anything else at the path is an error (never removed). */
void clear_socket_path(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return;
    if (!S_ISSOCK(st.st_mode)) throw Error(Errc::Io, 0, path + " exists and is not a socket");
    ::unlink(path.c_str());
}

}  // namespace

struct LegacyServer::Impl {
    Impl(KeyserverStore& store, LegacyOptions o, ServerEvents e) : sh(store, std::move(o), std::move(e)) {}
    Shared sh;
    net::io_context ioc;
    std::vector<std::shared_ptr<Listener<tcp>>> tcp_listeners;
    std::vector<std::shared_ptr<Listener<local>>> unix_listeners;
    std::vector<std::string> socket_files;
    std::vector<std::uint16_t> ports;
    std::vector<std::thread> threads;
    std::mutex mutex;
    bool running = false;

    void listen(const std::string& address) {
        if (address.rfind("unix:", 0) == 0) {
            const std::string path = address.substr(5);
            if (path.empty()) throw Error(Errc::Usage, 0, "unix: needs a path");
            clear_socket_path(path);
            // Created owner-only: the file's permissions are who may talk to the server.
            const mode_t old = ::umask(0177);
            auto l = std::make_shared<Listener<local>>(ioc, local::endpoint(path), sh, true);
            ::umask(old);
            socket_files.push_back(path);
            unix_listeners.push_back(l);
            ports.push_back(0);
            return;
        }
        const auto [host, port] = parse_listen(address);
        boost::system::error_code ec;
        const auto ip = net::ip::make_address(host, ec);
        if (ec) throw Error(Errc::Usage, 0, "the legacy listen address needs a numeric host: " + address);
        auto l = std::make_shared<Listener<tcp>>(ioc, tcp::endpoint(ip, port), sh, false);
        tcp_listeners.push_back(l);
        ports.push_back(l->port());
    }
};

LegacyServer::LegacyServer(KeyserverStore& store, LegacyOptions opt, ServerEvents events)
    : m_impl(std::make_unique<Impl>(store, std::move(opt), std::move(events))) {}

LegacyServer::~LegacyServer() { stop(); }

void LegacyServer::start() {
    Impl& m = *m_impl;
    std::lock_guard lock(m.mutex);
    if (m.running) throw Error(Errc::Usage, 0, "the legacy server was started already");
    for (const auto& address : m.sh.opt.listen) {
        try {
            m.listen(address);
        } catch (const boost::system::system_error& e) {
            throw Error(Errc::Io, 0, "cannot listen on " + address + ": " + e.code().message());
        }
    }
    for (auto& l : m.tcp_listeners) l->accept();
    for (auto& l : m.unix_listeners) l->accept();
    for (unsigned i = 0; i < std::max(1u, m.sh.opt.threads); ++i) m.threads.emplace_back([&m] { m.ioc.run(); });
    m.running = true;
}

std::vector<std::uint16_t> LegacyServer::ports() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->ports;
}

void LegacyServer::stop() {
    Impl& m = *m_impl;
    std::lock_guard lock(m.mutex);
    if (!m.running) return;
    m.running = false;
    m.sh.stopping = true;
    net::post(m.ioc, [&m] {
        for (auto& l : m.tcp_listeners) l->close();
        for (auto& l : m.unix_listeners) l->close();
    });
    m.ioc.stop();
    for (auto& t : m.threads) t.join();
    m.threads.clear();
    for (const auto& path : m.socket_files) ::unlink(path.c_str());
}

}  // namespace pgpkit::keyserver
