#pragma once
// A tiny synchronous HTTP/1.1 client on Boost.Beast for the keyserver tests.

#include <cstdint>
#include <string>

namespace pgpkit::test {

struct HttpReply {
    unsigned status = 0;
    std::string content_type;
    std::string body;
};

/** One request on a fresh connection to 127.0.0.1:port. */
HttpReply http_get(std::uint16_t port, const std::string& target);
HttpReply http_post_form(std::uint16_t port, const std::string& target, const std::string& form);

/** application/x-www-form-urlencoded escaping of a value. */
std::string form_escape(const std::string& s);

}  // namespace pgpkit::test
