#pragma once
// Line helpers shared by the armor units; included by armor/*.cpp only.

#include <string_view>

namespace pgpkit::armor::internal {

/** True if some line of `text` (split at LF) starts with `prefix`. */
inline bool some_line_starts_with(std::string_view text, std::string_view prefix) noexcept {
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (text.substr(pos).starts_with(prefix)) return true;
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) return false;
        pos = nl + 1;
    }
    return false;
}

}  // namespace pgpkit::armor::internal
