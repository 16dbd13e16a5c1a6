#include "keygen/material.h"

#include <algorithm>
#include <string>

#include "base/error.h"
#include "packet/sig_hash.h"

namespace pgpkit::keygen {

namespace {

packet::AlgoField sized(std::string_view name, Bytes value) {
    return packet::AlgoField{name, packet::FieldKind::Sized8, 0, std::move(value)};
}

/** ECDH KDF parameters (RFC 9580 section 11.5): hash and key wrap cipher by curve size. */
Bytes kdf_params(crypto::Curve c) {
    using packet::HashAlgo;
    using packet::SymAlgo;
    auto params = [](HashAlgo h, SymAlgo s) -> Bytes {
        return {0x01, static_cast<std::uint8_t>(h), static_cast<std::uint8_t>(s)};  // 0x01: reserved octet
    };
    switch (crypto::curve_bits(c)) {
    case 384: return params(HashAlgo::Sha384, SymAlgo::Aes192);
    case 512:
    case 521: return params(HashAlgo::Sha512, SymAlgo::Aes256);
    default: return params(HashAlgo::Sha256, SymAlgo::Aes128);
    }
}

}  // namespace

// The secret fields of the packet live in wiping memory (packet::SecretAlgoFields), and so
// do the crypto/ key pairs: the members' destructors wipe everything.
KeyMaterial::~KeyMaterial() = default;

std::vector<std::uint8_t> curve_oid(crypto::Curve c) {
    switch (c) {
    case crypto::Curve::NistP256: return {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
    case crypto::Curve::NistP384: return {0x2B, 0x81, 0x04, 0x00, 0x22};
    case crypto::Curve::NistP521: return {0x2B, 0x81, 0x04, 0x00, 0x23};
    case crypto::Curve::BrainpoolP256r1: return {0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07};
    case crypto::Curve::BrainpoolP384r1: return {0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0B};
    case crypto::Curve::BrainpoolP512r1: return {0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0D};
    case crypto::Curve::Ed25519: return {0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01};
    case crypto::Curve::Cv25519: return {0x2B, 0x06, 0x01, 0x04, 0x01, 0x97, 0x55, 0x01, 0x05, 0x01};
    case crypto::Curve::Secp256k1: return {0x2B, 0x81, 0x04, 0x00, 0x0A};
    }
    return {};
}

namespace {

template <class Storage>
packet::BasicAlgoField<Storage> mpi_field(std::string_view name, std::span<const std::uint8_t> value) {
    std::size_t i = 0;
    while (i < value.size() && value[i] == 0) ++i;
    packet::BasicAlgoField<Storage> f{name, packet::FieldKind::Mpi, 0,
                                      Storage(value.begin() + static_cast<std::ptrdiff_t>(i), value.end())};
    f.mpi_bits = f.effective_bits();
    return f;
}

template <class Storage>
packet::BasicAlgoField<Storage> fixed_field(std::string_view name, std::span<const std::uint8_t> value) {
    return {name, packet::FieldKind::Fixed, 0, Storage(value.begin(), value.end())};
}

packet::AlgoField fixed(std::string_view name, std::span<const std::uint8_t> value) {
    return fixed_field<Bytes>(name, value);
}
packet::SecretAlgoField secret_fixed(std::string_view name, std::span<const std::uint8_t> value) {
    return fixed_field<SecretBytes>(name, value);
}

}  // namespace

packet::AlgoField make_mpi(std::string_view name, std::span<const std::uint8_t> value) {
    return mpi_field<Bytes>(name, value);
}

packet::SecretAlgoField make_secret_mpi(std::string_view name, std::span<const std::uint8_t> value) {
    return mpi_field<SecretBytes>(name, value);
}

namespace {

/** RFC 9580 Ed25519 (27) / X25519 (25) fields for a v6 key. */
void native_25519(KeyMaterial& m, packet::SecretKeyMaterial& sec) {
    const crypto::EcKey& ec = *m.ec;
    const std::span<const std::uint8_t> pub(ec.point.data() + 1, ec.point.size() - 1);  // drop the 0x40 prefix
    m.key.fields = {fixed("public", pub)};
    if (ec.curve == crypto::Curve::Ed25519) {
        m.key.algo = packet::PubkeyAlgo::Ed25519;
        sec.fields = {secret_fixed("secret", ec.secret)};
    } else {
        m.key.algo = packet::PubkeyAlgo::X25519;
        SecretBytes native(ec.secret.rbegin(), ec.secret.rend());  // little-endian scalar
        native.resize(32, 0);
        sec.fields = {secret_fixed("secret", native)};
    }
}

}  // namespace

namespace {

void check_version(Algo algo, std::uint8_t version) {
    if (version < 4 || version > 6)
        throw Error(Errc::Usage, 0, "key version " + std::to_string(version) + " is not implemented (only 4, 5 and 6)");
    if (version == 6 && (algo == Algo::Dsa || algo == Algo::Elgamal))
        throw Error(Errc::Usage, 0, "RFC 9580 forbids DSA and Elgamal in v6 keys");
}

/** Writes the key packet of the crypto/ key pair in `m` as a `version` key created at `created`. */
void fill_packet(KeyMaterial& m, std::uint32_t created, std::uint8_t version) {
    const Algo algo = m.algo;
    m.key = packet::Key{};
    m.key.version = version;
    m.key.created = created;
    m.key.algo = static_cast<packet::PubkeyAlgo>(algo);  // keygen::Algo uses the OpenPGP numbers
    packet::SecretKeyMaterial sec;
    auto& pub = m.key.fields;
    switch (algo) {
    case Algo::Rsa:
        pub = {make_mpi("n", m.rsa->n), make_mpi("e", m.rsa->e)};
        sec.fields = {make_secret_mpi("d", m.rsa->d), make_secret_mpi("p", m.rsa->p),
                      make_secret_mpi("q", m.rsa->q), make_secret_mpi("u", m.rsa->u)};
        break;
    case Algo::Dsa:
        pub = {make_mpi("p", m.dl->p), make_mpi("q", m.dl->q), make_mpi("g", m.dl->g), make_mpi("y", m.dl->y)};
        sec.fields = {make_secret_mpi("x", m.dl->x)};
        break;
    case Algo::Elgamal:
        pub = {make_mpi("p", m.dl->p), make_mpi("g", m.dl->g), make_mpi("y", m.dl->y)};
        sec.fields = {make_secret_mpi("x", m.dl->x)};
        break;
    case Algo::Ecdsa:
    case Algo::Ecdh:
    case Algo::EdDsa:
        pub = {sized("oid", curve_oid(m.ec->curve)), make_mpi("q", m.ec->point)};
        if (algo == Algo::Ecdh) pub.push_back(sized("kdf", kdf_params(m.ec->curve)));
        sec.fields = {make_secret_mpi("d", m.ec->secret)};
        break;
    }
    const bool native = version == 6 && m.ec &&
                        (m.ec->curve == crypto::Curve::Ed25519 || m.ec->curve == crypto::Curve::Cv25519) &&
                        (algo == Algo::EdDsa || algo == Algo::Ecdh);
    if (native) {
        // The Ed25519 seed is kept whole (32 octets) for a Fixed field.
        if (algo == Algo::EdDsa && m.ec->secret.size() < 32) m.ec->secret.insert(m.ec->secret.begin(), 32 - m.ec->secret.size(), 0);
        native_25519(m, sec);
    }
    if (version >= 5) m.key.material_len = static_cast<std::uint32_t>(packet::fields_size(m.key.fields));
    m.key.secret = std::move(sec);
    packet::compute_key_identity(m.key, packet::public_key_body(m.key));
}

const SecretBytes& secret_of(const cert::SecretField& f) { return f.value; }

}  // namespace

KeyMaterial generate_material(Algo algo, unsigned bits, std::optional<crypto::Curve> curve, std::uint32_t created,
                              std::uint8_t version, crypto::Rng& rng, crypto::ProgressSink* sink) {
    check_version(algo, version);
    KeyMaterial m;
    m.algo = algo;
    switch (algo) {
    case Algo::Rsa: m.rsa = crypto::generate_rsa(bits, rng, sink); break;
    case Algo::Dsa: m.dl = crypto::generate_dsa(bits, rng, sink); break;
    case Algo::Elgamal: m.dl = crypto::generate_elgamal(bits, rng, sink); break;
    case Algo::Ecdsa:
    case Algo::Ecdh:
    case Algo::EdDsa:
        if (!curve) throw Error(Errc::Usage, 0, "an ECC key needs a curve");
        m.ec = crypto::generate_ec(*curve, rng);
        break;
    }
    fill_packet(m, created, version);
    return m;
}

std::optional<Algo> keygen_algo(packet::PubkeyAlgo packet_algo) noexcept {
    using packet::PubkeyAlgo;
    switch (packet_algo) {
    case PubkeyAlgo::Rsa:
    case PubkeyAlgo::RsaEncryptOnly:
    case PubkeyAlgo::RsaSignOnly: return Algo::Rsa;
    case PubkeyAlgo::Elgamal:
    case PubkeyAlgo::ElgamalSignEncrypt: return Algo::Elgamal;
    case PubkeyAlgo::Dsa: return Algo::Dsa;
    case PubkeyAlgo::Ecdh:
    case PubkeyAlgo::X25519: return Algo::Ecdh;
    case PubkeyAlgo::Ecdsa: return Algo::Ecdsa;
    case PubkeyAlgo::EdDsaLegacy:
    case PubkeyAlgo::Ed25519: return Algo::EdDsa;
    default: return std::nullopt;
    }
}

KeyMaterial material_from_key(const packet::Key& stored, const cert::SecretFields& unlocked, std::uint32_t created,
                              std::uint8_t version) {
    const auto algo = keygen_algo(stored.algo);
    if (!algo)
        throw Error(Errc::Usage, 0, "public-key algorithm " + std::to_string(static_cast<unsigned>(stored.algo)) +
                                        " is not supported");
    check_version(*algo, version);
    const auto& f = stored.fields;
    const std::vector<cert::SecretField>& secret = unlocked.fields;
    auto need = [&](std::size_t pub_n, std::size_t sec_n) {
        if (f.size() < pub_n || secret.size() < sec_n) throw Error(Errc::Usage, 0, "stored key has too few fields");
    };
    KeyMaterial m;
    m.algo = *algo;
    switch (*algo) {
    case Algo::Rsa:
        need(2, 4);
        m.rsa = crypto::RsaKey{f[0].data, f[1].data, secret_of(secret[0]), secret_of(secret[1]), secret_of(secret[2]),
                               secret_of(secret[3])};
        break;
    case Algo::Dsa:
        need(4, 1);
        m.dl = crypto::DlKey{f[0].data, f[1].data, f[2].data, f[3].data, secret_of(secret[0])};
        break;
    case Algo::Elgamal:
        need(3, 1);
        m.dl = crypto::DlKey{f[0].data, {}, f[1].data, f[2].data, secret_of(secret[0])};
        break;
    case Algo::Ecdsa:
    case Algo::Ecdh:
    case Algo::EdDsa: {
        need(1, 1);
        crypto::EcKey ec;
        using packet::PubkeyAlgo;
        if (stored.algo == PubkeyAlgo::X25519 || stored.algo == PubkeyAlgo::Ed25519) {
            // RFC 9580 native fields: back to the legacy forms crypto/ works with.
            ec.curve = stored.algo == PubkeyAlgo::Ed25519 ? crypto::Curve::Ed25519 : crypto::Curve::Cv25519;
            ec.point.assign(1, 0x40);
            ec.point.insert(ec.point.end(), f[0].data.begin(), f[0].data.end());
            ec.secret = secret_of(secret[0]);
            // X25519 keys carry the native little-endian scalar.
            if (stored.algo == PubkeyAlgo::X25519) std::reverse(ec.secret.begin(), ec.secret.end());
        } else {
            need(2, 1);
            std::optional<crypto::Curve> c;
            for (auto k : {crypto::Curve::NistP256, crypto::Curve::NistP384, crypto::Curve::NistP521,
                           crypto::Curve::BrainpoolP256r1, crypto::Curve::BrainpoolP384r1,
                           crypto::Curve::BrainpoolP512r1, crypto::Curve::Ed25519, crypto::Curve::Cv25519})
                if (f[0].data == curve_oid(k)) c = k;
            if (!c) throw Error(Errc::Usage, 0, "stored key has an unknown curve");
            ec.curve = *c;
            ec.point = f[1].data;
            ec.secret = secret_of(secret[0]);
        }
        if (ec.curve == crypto::Curve::Ed25519 || ec.curve == crypto::Curve::Cv25519) {
            // Leading zero octets were dropped from the MPI; crypto/ wants all 32.
            if (ec.secret.size() < 32) ec.secret.insert(ec.secret.begin(), 32 - ec.secret.size(), 0);
        }
        m.ec = std::move(ec);
        break;
    }
    }
    fill_packet(m, created, version);
    return m;
}

packet::HashAlgo signing_hash(const KeyMaterial& m) noexcept {
    if (m.algo == Algo::Ecdsa && m.ec) {
        const unsigned b = crypto::curve_bits(m.ec->curve);
        if (b == 384) return packet::HashAlgo::Sha384;
        if (b > 384) return packet::HashAlgo::Sha512;
    }
    return packet::HashAlgo::Sha256;
}

packet::AlgoFields sign_digest(const KeyMaterial& m, packet::HashAlgo hash_algo, ByteView digest, crypto::Rng& rng) {
    auto kind = packet::hash_kind(hash_algo);
    if (!kind)
        throw Error(Errc::Usage, 0, "unsupported hash algorithm " + std::to_string(static_cast<unsigned>(hash_algo)));
    std::vector<crypto::Integer> v;
    switch (m.algo) {
    case Algo::Rsa: {
        v = crypto::sign_rsa(*m.rsa, *kind, digest, rng);
        return {make_mpi("s", v.at(0))};
    }
    case Algo::Dsa: v = crypto::sign_dsa(*m.dl, digest, rng); break;
    case Algo::Ecdsa: v = crypto::sign_ecdsa(*m.ec, digest, rng); break;
    case Algo::EdDsa:
        v = crypto::sign_eddsa(*m.ec, digest);
        if (m.key.algo == packet::PubkeyAlgo::Ed25519) {
            // RFC 9580 Ed25519: the 64-octet native signature R || S.
            Bytes sig(64, 0);
            std::copy(v.at(0).begin(), v.at(0).end(), sig.begin() + static_cast<std::ptrdiff_t>(32 - v[0].size()));
            std::copy(v.at(1).begin(), v.at(1).end(), sig.end() - static_cast<std::ptrdiff_t>(v[1].size()));
            return {fixed("signature", sig)};
        }
        break;
    case Algo::Elgamal:
    case Algo::Ecdh: throw Error(Errc::Usage, 0, "an encryption-only key cannot sign");
    }
    return {make_mpi("r", v.at(0)), make_mpi("s", v.at(1))};
}

}  // namespace pgpkit::keygen
