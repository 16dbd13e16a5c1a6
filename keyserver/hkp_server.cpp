// The HTTP/1.1 transport of `pgpkit serve` on Boost.Beast/Asio (hkp_server.h).
#include "keyserver/hkp_server.h"

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "base/error.h"
#include "base/version.h"

namespace pgpkit::keyserver {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

class Session;

/** What every connection of one server shares. */
struct Shared {
    Shared(KeyserverStore& store, ServerOptions o, ServerEvents e)
        : opt(std::move(o)), events(std::move(e)), handler(store, opt.handler) {}
    ServerOptions opt;
    ServerEvents events;
    HkpHandler handler;
    std::atomic<bool> stopping{false};
    std::mutex sessions_mutex;
    std::unordered_map<Session*, std::weak_ptr<Session>> sessions;

    void error(const std::string& what) const {
        if (events.error) events.error(what);
    }
};

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, Shared& sh) : m_stream(std::move(socket)), m_sh(sh) {
        beast::error_code ec;
        const auto ep = m_stream.socket().remote_endpoint(ec);
        if (!ec) m_remote = ep.address().to_string() + ":" + std::to_string(ep.port());
    }
    ~Session() {
        std::lock_guard lock(m_sh.sessions_mutex);
        m_sh.sessions.erase(this);
    }

    void run() {
        {
            std::lock_guard lock(m_sh.sessions_mutex);
            m_sh.sessions.emplace(this, weak_from_this());
        }
        net::dispatch(m_stream.get_executor(), beast::bind_front_handler(&Session::read, shared_from_this()));
    }

    /** At shutdown: a connection waiting for a request is closed; one in a request finishes it. */
    void stop_if_idle() {
        net::post(m_stream.get_executor(), [self = shared_from_this()] {
            if (self->m_idle) self->m_stream.cancel();
        });
    }

private:
    void read() {
        if (m_sh.stopping) return close();
        m_parser.emplace();
        m_parser->header_limit(static_cast<std::uint32_t>(m_sh.opt.max_header_bytes));
        m_parser->body_limit(m_sh.opt.max_body_bytes);
        m_idle = true;
        const unsigned ms = m_served == 0 ? m_sh.opt.read_timeout_ms : m_sh.opt.idle_timeout_ms;
        m_stream.expires_after(std::chrono::milliseconds(ms));
        http::async_read(m_stream, m_buffer, *m_parser, beast::bind_front_handler(&Session::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        m_idle = false;
        m_start = Clock::now();
        if (ec == http::error::end_of_stream || ec == net::error::operation_aborted) return close();
        if (ec == beast::error::timeout) return m_parser->got_some() ? fail(408, "request timed out") : close();
        if (ec == http::error::body_limit) return fail(413, "the request body is too large");
        if (ec == http::error::header_limit) return fail(431, "the request headers are too large");
        if (ec) return fail(400, "malformed request: " + ec.message());
        auto req = m_parser->release();
        HkpRequest hr;
        hr.method = std::string(req.method_string());
        hr.target = std::string(req.target());
        hr.content_type = std::string(req[http::field::content_type]);
        hr.body = std::move(req.body());
        const bool keep = req.keep_alive() && m_served + 1 < m_sh.opt.max_keepalive_requests;
        HkpResponse out = m_sh.handler.handle(hr);
        send(std::move(out), std::move(hr), keep);
    }

    void fail(unsigned status, std::string why) {
        HkpResponse r;
        r.status = status;
        r.body = why + "\n";
        r.note = std::move(why);
        HkpRequest hr;
        hr.method = "-";
        send(std::move(r), std::move(hr), false);
    }

    void send(HkpResponse out, HkpRequest req, bool keep) {
        m_res = {};
        m_res.version(11);
        m_res.result(static_cast<http::status>(out.status));
        m_res.reason(status_text(out.status));
        m_res.set(http::field::server, std::string("pgpkit/") + version());
        m_res.set(http::field::content_type, out.content_type);
        m_res.set(http::field::access_control_allow_origin, "*");
        for (const auto& [k, v] : out.headers) m_res.set(k, v);
        m_res.body() = std::move(out.body);
        m_res.keep_alive(keep && !m_sh.stopping);
        m_res.prepare_payload();
        if (req.method == "HEAD") m_res.body().clear();  // Content-Length stays the GET's
        m_log.remote = m_remote;
        m_log.method = std::move(req.method);
        m_log.target = std::move(req.target);
        m_log.status = out.status;
        m_log.bytes = m_res.body().size();
        m_log.note = std::move(out.note);
        m_stream.expires_after(std::chrono::milliseconds(m_sh.opt.write_timeout_ms));
        http::async_write(m_stream, m_res, beast::bind_front_handler(&Session::on_write, shared_from_this()));
    }

    void on_write(beast::error_code ec, std::size_t) {
        m_log.millis = std::chrono::duration<double, std::milli>(Clock::now() - m_start).count();
        if (ec) m_log.note += (m_log.note.empty() ? "" : "; ") + std::string("write: ") + ec.message();
        if (m_sh.events.access) m_sh.events.access(m_log);
        if (ec || !m_res.keep_alive()) return close();
        ++m_served;
        read();
    }

    void close() {
        beast::error_code ec;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        m_stream.socket().close(ec);
    }

    beast::tcp_stream m_stream;
    Shared& m_sh;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    http::response<http::string_body> m_res;
    AccessEvent m_log;
    std::string m_remote = "-";
    Clock::time_point m_start;
    unsigned m_served = 0;
    bool m_idle = true;  ///< only touched on the connection's strand
};

class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(net::io_context& ioc, const tcp::endpoint& ep, Shared& sh) : m_ioc(ioc), m_acceptor(ioc), m_sh(sh) {
        m_acceptor.open(ep.protocol());
        m_acceptor.set_option(net::socket_base::reuse_address(true));
        if (ep.address().is_v6()) m_acceptor.set_option(net::ip::v6_only(true));
        m_acceptor.bind(ep);
        m_acceptor.listen(net::socket_base::max_listen_connections);
    }
    std::uint16_t port() const { return m_acceptor.local_endpoint().port(); }
    void accept() {
        m_acceptor.async_accept(net::make_strand(m_ioc), beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
    }
    void close() {
        net::post(m_acceptor.get_executor(), [self = shared_from_this()] {
            beast::error_code ec;
            self->m_acceptor.close(ec);
        });
    }

private:
    void on_accept(beast::error_code ec, tcp::socket socket) {
        if (m_sh.stopping || ec == net::error::operation_aborted) return;
        if (ec) {
            m_sh.error("accept: " + ec.message());
            // Out of descriptors: wait a little instead of spinning on the error.
            auto timer = std::make_shared<net::steady_timer>(m_ioc, std::chrono::milliseconds(50));
            timer->async_wait([self = shared_from_this(), timer](beast::error_code) { self->accept(); });
            return;
        }
        std::make_shared<Session>(std::move(socket), m_sh)->run();
        accept();
    }

    net::io_context& m_ioc;
    tcp::acceptor m_acceptor;
    Shared& m_sh;
};

tcp::endpoint resolve(net::io_context& ioc, const std::string& address) {
    const auto [host, port] = parse_listen(address);
    beast::error_code ec;
    const auto ip = net::ip::make_address(host, ec);
    if (!ec) return tcp::endpoint(ip, port);
    tcp::resolver resolver(ioc);
    const auto results = resolver.resolve(host, std::to_string(port), ec);
    if (ec || results.empty()) throw Error(Errc::Io, 0, "cannot resolve " + address + ": " + ec.message());
    return *results.begin();
}

}  // namespace

std::pair<std::string, std::uint16_t> parse_listen(const std::string& address) {
    const auto colon = address.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == address.size())
        throw Error(Errc::Usage, 0, "a listen address is HOST:PORT, not " + address);
    std::string host = address.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    unsigned long port = 0;
    for (char c : address.substr(colon + 1)) {
        if (c < '0' || c > '9') throw Error(Errc::Usage, 0, "bad port in " + address);
        port = port * 10 + static_cast<unsigned>(c - '0');
        if (port > 65535) throw Error(Errc::Usage, 0, "bad port in " + address);
    }
    return {host, static_cast<std::uint16_t>(port)};
}

std::string format_access(const AccessEvent& e) {
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.1fms", e.millis);
    std::string line = e.remote + " \"" + e.method + " " + e.target + "\" " + std::to_string(e.status) + " " +
                       std::to_string(e.bytes) + " " + ms;
    if (!e.note.empty()) line += " " + e.note;
    return line;
}

struct HkpServer::Impl {
    Impl(KeyserverStore& store, ServerOptions o, ServerEvents e) : sh(store, std::move(o), std::move(e)) {}
    Shared sh;
    net::io_context ioc;
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
    std::vector<std::shared_ptr<Listener>> listeners;
    std::vector<std::uint16_t> ports;
    std::vector<std::thread> threads;
    std::mutex state_mutex;
    std::condition_variable stopped_cv;
    bool running = false;
    bool stopped = false;
};

HkpServer::HkpServer(KeyserverStore& store, ServerOptions opt, ServerEvents events)
    : m_impl(std::make_unique<Impl>(store, std::move(opt), std::move(events))) {}

HkpServer::~HkpServer() { stop(); }

void HkpServer::start() {
    Impl& m = *m_impl;
    std::lock_guard lock(m.state_mutex);
    if (m.running || m.stopped) throw Error(Errc::Usage, 0, "the server was started already");
    for (const auto& address : m.sh.opt.listen) {
        const tcp::endpoint ep = resolve(m.ioc, address);
        try {
            m.listeners.push_back(std::make_shared<Listener>(m.ioc, ep, m.sh));
        } catch (const boost::system::system_error& e) {
            throw Error(Errc::Io, 0, "cannot listen on " + address + ": " + e.code().message());
        }
        m.ports.push_back(m.listeners.back()->port());
    }
    for (auto& l : m.listeners) l->accept();
    m.work.emplace(m.ioc.get_executor());
    unsigned n = m.sh.opt.threads ? m.sh.opt.threads : std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < n; ++i) m.threads.emplace_back([&m] { m.ioc.run(); });
    m.running = true;
}

std::vector<std::uint16_t> HkpServer::ports() const {
    std::lock_guard lock(m_impl->state_mutex);
    return m_impl->ports;
}

void HkpServer::stop() {
    Impl& m = *m_impl;
    std::unique_lock lock(m.state_mutex);
    if (!m.running) return;
    m.running = false;
    m.sh.stopping = true;
    for (auto& l : m.listeners) l->close();
    std::vector<std::shared_ptr<Session>> open;
    {
        std::lock_guard sl(m.sh.sessions_mutex);
        for (auto& [p, w] : m.sh.sessions)
            if (auto s = w.lock()) open.push_back(std::move(s));
    }
    // Outside the lock: dropping the last reference runs ~Session, which takes it.
    for (auto& s : open) s->stop_if_idle();
    open.clear();
    m.work.reset();
    const auto deadline = Clock::now() + std::chrono::milliseconds(m.sh.opt.shutdown_grace_ms);
    while (Clock::now() < deadline) {
        {
            std::lock_guard sl(m.sh.sessions_mutex);
            if (m.sh.sessions.empty()) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    m.ioc.stop();
    for (auto& t : m.threads) t.join();
    m.threads.clear();
    m.listeners.clear();
    m.stopped = true;
    m.stopped_cv.notify_all();
}

void HkpServer::wait() {
    std::unique_lock lock(m_impl->state_mutex);
    m_impl->stopped_cv.wait(lock, [&] { return m_impl->stopped || !m_impl->running; });
}

}  // namespace pgpkit::keyserver
