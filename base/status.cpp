#include "base/status.h"

#include <cstdio>

namespace pgpkit {

std::string status_escape(std::string_view text, bool escape_space) {
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == '%' || c == 0x7f || (escape_space && c == ' ')) {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        } else {
            out += ch;
        }
    }
    return out;
}

}  // namespace pgpkit
