#include "message/internal/esk_fields.h"

#include <cstring>
#include <string>

#include "base/error.h"
#include "crypto/hash.h"
#include "crypto/protect.h"
#include "packet/names.h"
#include "packet/sig_hash.h"

namespace pgpkit::message::internal {

using packet::PubkeyAlgo;

const packet::AlgoField* field(const packet::AlgoFields& fields, std::string_view name) noexcept {
    for (const packet::AlgoField& f : fields)
        if (f.name == name) return &f;
    return nullptr;
}

bool is_rsa(PubkeyAlgo a) noexcept { return a == PubkeyAlgo::Rsa || a == PubkeyAlgo::RsaEncryptOnly; }

std::optional<crypto::RsaKey> rsa_public(const packet::Key& key) {
    const packet::AlgoField* n = field(key.fields, "n");
    const packet::AlgoField* e = field(key.fields, "e");
    if (!n || !e || n->data.empty() || e->data.empty()) return std::nullopt;
    crypto::RsaKey k;
    k.n = n->data;
    k.e = e->data;
    return k;
}

std::optional<crypto::RsaKey> rsa_secret(const packet::Key& key, const cert::SecretFields& secret) {
    auto k = rsa_public(key);
    const cert::SecretField* d = secret.find("d");
    const cert::SecretField* p = secret.find("p");
    const cert::SecretField* q = secret.find("q");
    if (!k || !d || !p || !q) return std::nullopt;
    k->d = d->value;
    k->p = p->value;
    k->q = q->value;
    return k;
}

std::optional<crypto::DlKey> elgamal_public(const packet::Key& key) {
    const packet::AlgoField* p = field(key.fields, "p");
    const packet::AlgoField* g = field(key.fields, "g");
    const packet::AlgoField* y = field(key.fields, "y");
    if (!p || !g || !y || p->data.empty()) return std::nullopt;
    crypto::DlKey k;
    k.p = p->data;
    k.g = g->data;
    k.y = y->data;
    return k;
}

namespace {

std::optional<crypto::Curve> curve_from_oid(ByteView oid) noexcept {
    using C = crypto::Curve;
    const std::string_view name = packet::curve_name_from_oid(oid.data(), oid.size());
    if (name == "nistp256") return C::NistP256;
    if (name == "nistp384") return C::NistP384;
    if (name == "nistp521") return C::NistP521;
    if (name == "brainpoolP256r1") return C::BrainpoolP256r1;
    if (name == "brainpoolP384r1") return C::BrainpoolP384r1;
    if (name == "brainpoolP512r1") return C::BrainpoolP512r1;
    if (name == "cv25519") return C::Cv25519;
    return std::nullopt;
}

}  // namespace

std::optional<EcdhPublic> ecdh_public(const packet::Key& key) {
    const packet::AlgoField* oid = field(key.fields, "oid");
    const packet::AlgoField* q = field(key.fields, "q");
    const packet::AlgoField* kdf = field(key.fields, "kdf");
    if (!oid || !q || !kdf || kdf->data.size() != 3 || kdf->data[0] != 1) return std::nullopt;
    const auto curve = curve_from_oid(oid->data);
    if (!curve) return std::nullopt;
    EcdhPublic k;
    k.key.curve = *curve;
    k.key.point = q->data;
    k.oid = oid->data;
    k.kdf = kdf->data;
    k.hash = static_cast<packet::HashAlgo>(kdf->data[1]);
    k.kek_algo = static_cast<packet::SymAlgo>(kdf->data[2]);
    if (!packet::hash_kind(k.hash)) return std::nullopt;
    if (k.kek_algo != packet::SymAlgo::Aes128 && k.kek_algo != packet::SymAlgo::Aes192 &&
        k.kek_algo != packet::SymAlgo::Aes256)
        return std::nullopt;
    return k;
}

SecretBytes ecdh_kek(const packet::Key& key, const EcdhPublic& k, const SecretBytes& z) {
    crypto::Hasher h(*packet::hash_kind(k.hash));
    static constexpr std::uint8_t counter[4] = {0, 0, 0, 1};
    h.update(counter);
    h.update(z);
    // Param: curve OID, algorithm, KDF parameters, "Anonymous Sender    ", fingerprint.
    h.update(static_cast<std::uint8_t>(k.oid.size()));
    h.update(k.oid);
    h.update(static_cast<std::uint8_t>(PubkeyAlgo::Ecdh));
    h.update(static_cast<std::uint8_t>(k.kdf.size()));
    h.update(k.kdf);
    static constexpr std::string_view sender = "Anonymous Sender    ";
    h.update(as_bytes(sender));
    // v4 keys hash the 20-octet fingerprint; v5/v6 the full 32 octets.
    h.update(key.fingerprint);
    std::vector<std::uint8_t> digest = h.final();
    const std::size_t len = k.kek_algo == packet::SymAlgo::Aes128 ? 16 : k.kek_algo == packet::SymAlgo::Aes192 ? 24 : 32;
    if (digest.size() < len) throw Error(Errc::BadField, 0, "ECDH KDF hash shorter than the key-encryption key");
    SecretBytes kek(digest.begin(), digest.begin() + static_cast<std::ptrdiff_t>(len));
    wipe(digest.data(), digest.size());
    return kek;
}

}  // namespace pgpkit::message::internal
