// VerifiedSignatures: the memo of good verifications (cert/verify.h).

#include <cstring>
#include <utility>

#include "cert/verify.h"
#include "crypto/hash.h"
#include "packet/byte_writer.h"
#include "packet/fields.h"

namespace pgpkit::cert {

VerifiedSignatures::Id VerifiedSignatures::id_of(const packet::Key& key, const packet::Signature& sig,
                                                 ByteView digest) {
    // Each part with its length in front, so no two different inputs hash the same octets.
    Bytes in;
    packet::ByteWriter w(in);
    auto part = [&](ByteView b) {
        w.be32(static_cast<std::uint32_t>(b.size()));
        in.insert(in.end(), b.begin(), b.end());
    };
    part(key.fingerprint);
    w.u8(key.algo);
    w.u8(sig.pk_algo);
    w.u8(sig.hash_algo);
    part(digest);
    Bytes values;
    packet::ByteWriter vw(values);
    packet::write_fields(sig.fields, vw);
    part(values);
    const Bytes h = crypto::digest(crypto::HashKind::Sha256, in);
    Id id{};
    std::memcpy(id.data(), h.data(), id.size());
    return id;
}

std::size_t VerifiedSignatures::IdHash::operator()(const Id& id) const noexcept {
    std::size_t v = 0;
    std::memcpy(&v, id.data(), sizeof v);  // a SHA-256 prefix is already uniform
    return v;
}

void VerifiedSignatures::load(const Id& id) {
    std::lock_guard<std::mutex> lock(m_mu);
    m_ids.insert(id);
}

bool VerifiedSignatures::contains(const Id& id) const {
    std::lock_guard<std::mutex> lock(m_mu);
    return m_ids.count(id) != 0;
}

void VerifiedSignatures::record(const Id& id, ByteView cert_fpr) {
    std::lock_guard<std::mutex> lock(m_mu);
    if (m_ids.insert(id).second) m_fresh.emplace_back(Bytes(cert_fpr.begin(), cert_fpr.end()), id);
}

std::vector<std::pair<Bytes, VerifiedSignatures::Id>> VerifiedSignatures::take_fresh() {
    std::lock_guard<std::mutex> lock(m_mu);
    return std::exchange(m_fresh, {});
}

std::size_t VerifiedSignatures::size() const {
    std::lock_guard<std::mutex> lock(m_mu);
    return m_ids.size();
}

}  // namespace pgpkit::cert
