// The regular expression scope of trust signatures, as gpg 2.2 applies it (g10/trustdb.c,
// sanitize_regexp and check_regexp): POSIX extended expressions, case-insensitive.
#include <regex.h>

#include <cstring>
#include <string>

#include "trust/wot.h"

namespace pgpkit::trust {

namespace {

// The regex operators that lose their meaning ('.' and '\' keep theirs).
constexpr const char* kOperators = "^[$()|*+?{";
constexpr std::string_view kFrameStart = "<[^>]+[@.]";

}  // namespace

std::string sanitize_regexp(const std::string& expr) {
    // RFC 4880 names Henry Spencer's syntax; what gpg and PGP write is either the frame
    // "<[^>]+[@.]" DOMAIN ">$" or a bare domain. Inside, only '.' stays an operator.
    std::string out;
    std::size_t start = 0, end = expr.size();
    const bool framed = end >= 12 && expr.compare(0, kFrameStart.size(), kFrameStart) == 0 &&
                        expr[end - 2] == '>' && expr[end - 1] == '$';
    if (framed) {
        out = kFrameStart;
        start = kFrameStart.size();
        end -= 2;
    }
    bool escaped = false;
    for (std::size_t i = start; i < end; ++i) {
        const char c = expr[i];
        if (!escaped && c == '\\') {
            escaped = true;
        } else if (!escaped && c != '\0' && std::strchr(kOperators, c)) {
            out += '\\';
        } else {
            escaped = false;
        }
        out += c;
    }
    if (framed) out += ">$";
    return out;
}

bool regexp_matches(const std::string& expr, const std::string& user_id) {
    const std::string pattern = sanitize_regexp(expr);
    regex_t re;
    if (::regcomp(&re, pattern.c_str(), REG_ICASE | REG_EXTENDED | REG_NOSUB) != 0) return false;
    const bool hit = ::regexec(&re, user_id.c_str(), 0, nullptr, 0) == 0;
    ::regfree(&re);
    return hit;
}

}  // namespace pgpkit::trust
