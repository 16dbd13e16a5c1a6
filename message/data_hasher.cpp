#include "message/data_hasher.h"

#include "base/error.h"
#include "packet/sig_hash.h"

namespace pgpkit::message {

namespace {

crypto::HashKind kind_of(packet::HashAlgo algo) {
    const auto kind = packet::hash_kind(algo);
    if (!kind) throw Error(Errc::Usage, 0, "unsupported hash algorithm " + std::to_string(static_cast<unsigned>(algo)));
    return *kind;
}

}  // namespace

bool hash_supported(packet::HashAlgo hash_algo) noexcept { return packet::hash_kind(hash_algo).has_value(); }

DataHasher::DataHasher(packet::HashAlgo hash_algo, packet::SigType type, ByteView salt)
    : m_hash(kind_of(hash_algo)), m_type(type) {
    if (!salt.empty()) m_hash.update(salt);
}

void DataHasher::update(ByteView data) {
    if (m_type == packet::SigType::Binary) {
        m_hash.update(data);
        return;
    }
    if (m_type != packet::SigType::Text || data.empty()) return;
    // A lone LF becomes CR LF; CR LF and a lone CR stay as they are.
    static constexpr std::uint8_t crlf[2] = {'\r', '\n'};
    std::size_t start = 0;
    for (std::size_t i = 0; i < data.size(); ++i) {
        if (data[i] != '\n') continue;
        const bool had_cr = i > 0 ? data[i - 1] == '\r' : m_after_cr;
        if (had_cr) continue;
        m_hash.update(data.subspan(start, i - start));
        m_hash.update(crlf);
        start = i + 1;
    }
    m_hash.update(data.subspan(start));
    m_after_cr = data.back() == '\r';
}

Bytes DataHasher::finish(const packet::Signature& sig) {
    m_hash.update(packet::signature_trailer(sig));
    return m_hash.final();
}

}  // namespace pgpkit::message
