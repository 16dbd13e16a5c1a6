#include "base/error.h"

#include <utility>

namespace pgpkit {

const char* errc_name(Errc kind) noexcept {
    switch (kind) {
    case Errc::Truncated: return "truncated";
    case Errc::BadHeader: return "bad header";
    case Errc::BadLength: return "bad length";
    case Errc::BadField: return "bad field";
    case Errc::LimitExceeded: return "limit exceeded";
    case Errc::Decompression: return "decompression failed";
    case Errc::Armor: return "bad armor";
    case Errc::Crypto: return "crypto failure";
    case Errc::Io: return "i/o error";
    case Errc::Usage: return "usage";
    case Errc::Strict: return "strict";
    case Errc::BadPassphrase: return "bad passphrase";
    }
    return "error";
}

Error::Error(Errc kind, std::uint64_t offset, std::string detail)
    : m_kind(kind), m_offset(offset), m_detail(std::move(detail)) {
    render();
}

Error& Error::in_packet(std::size_t index, std::optional<std::uint8_t> tag) noexcept {
    if (!m_index) {
        m_index = index;
        m_tag = tag;
        try {
            render();
        } catch (...) {  // keep the previous message if allocation fails
        }
    }
    return *this;
}

void Error::render() {
    // "<detail> at offset N (packet I, tag T)"; the detail already says what failed.
    std::string s = m_detail.empty() ? std::string(errc_name(m_kind)) : m_detail;
    s += " at offset ";
    s += std::to_string(m_offset);
    if (m_index) {
        s += " (packet ";
        s += std::to_string(*m_index);
        if (m_tag) {
            s += ", tag ";
            s += std::to_string(*m_tag);
        }
        s += ")";
    }
    m_what = std::move(s);
}

}  // namespace pgpkit
