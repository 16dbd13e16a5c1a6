// The keyserver tests' HTTP client (http_client.h).
#include "tests/keyserver/http_client.h"

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cctype>

namespace pgpkit::test {

namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

HttpReply exchange(std::uint16_t port, http::request<http::string_body>& req) {
    boost::asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    req.version(11);
    req.set(http::field::host, "127.0.0.1");
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64u << 20);
    http::read(stream, buffer, parser);
    const auto& res = parser.get();
    HttpReply out;
    out.status = res.result_int();
    out.content_type = std::string(res[http::field::content_type]);
    out.body = res.body();
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return out;
}

}  // namespace

HttpReply http_get(std::uint16_t port, const std::string& target) {
    http::request<http::string_body> req(http::verb::get, target, 11);
    return exchange(port, req);
}

HttpReply http_post_form(std::uint16_t port, const std::string& target, const std::string& form) {
    http::request<http::string_body> req(http::verb::post, target, 11);
    req.set(http::field::content_type, "application/x-www-form-urlencoded");
    req.body() = form;
    return exchange(port, req);
}

std::string form_escape(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

}  // namespace pgpkit::test
