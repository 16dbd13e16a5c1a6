#include "packet/fields.h"

#include <array>
#include <cstring>

#include "packet/names.h"

namespace pgpkit::packet {

namespace {

struct FieldSpec {
    std::string_view name;
    FieldKind kind;
    std::uint8_t size;  // Fixed only
};

struct Schema {
    std::uint8_t count = 0;
    std::array<FieldSpec, 4> f{};
};

constexpr FieldSpec mpi(std::string_view n) { return {n, FieldKind::Mpi, 0}; }
constexpr FieldSpec sized(std::string_view n) { return {n, FieldKind::Sized8, 0}; }
constexpr FieldSpec fixed(std::string_view n, std::uint8_t s) { return {n, FieldKind::Fixed, s}; }

Schema schema_for(FieldSet set, PubkeyAlgo algo) noexcept {
    switch (set) {
    case FieldSet::PublicKey:
        switch (algo) {
        case PubkeyAlgo::Rsa:
        case PubkeyAlgo::RsaEncryptOnly:
        case PubkeyAlgo::RsaSignOnly: return {2, {mpi("n"), mpi("e")}};
        case PubkeyAlgo::Elgamal:
        case PubkeyAlgo::ElgamalSignEncrypt: return {3, {mpi("p"), mpi("g"), mpi("y")}};
        case PubkeyAlgo::Dsa: return {4, {mpi("p"), mpi("q"), mpi("g"), mpi("y")}};
        case PubkeyAlgo::Ecdh: return {3, {sized("oid"), mpi("q"), sized("kdf")}};
        case PubkeyAlgo::Ecdsa: case PubkeyAlgo::EdDsaLegacy: return {2, {sized("oid"), mpi("q")}};
        case PubkeyAlgo::X25519: return {1, {fixed("public", 32)}};
        case PubkeyAlgo::X448: return {1, {fixed("public", 56)}};
        case PubkeyAlgo::Ed25519: return {1, {fixed("public", 32)}};
        case PubkeyAlgo::Ed448: return {1, {fixed("public", 57)}};
        default: return {};
        }
    case FieldSet::SecretKey:
        switch (algo) {
        case PubkeyAlgo::Rsa:
        case PubkeyAlgo::RsaEncryptOnly:
        case PubkeyAlgo::RsaSignOnly: return {4, {mpi("d"), mpi("p"), mpi("q"), mpi("u")}};
        case PubkeyAlgo::Elgamal:
        case PubkeyAlgo::ElgamalSignEncrypt:
        case PubkeyAlgo::Dsa: return {1, {mpi("x")}};
        case PubkeyAlgo::Ecdh:
        case PubkeyAlgo::Ecdsa:
        case PubkeyAlgo::EdDsaLegacy: return {1, {mpi("d")}};
        case PubkeyAlgo::X25519: return {1, {fixed("secret", 32)}};
        case PubkeyAlgo::X448: return {1, {fixed("secret", 56)}};
        case PubkeyAlgo::Ed25519: return {1, {fixed("secret", 32)}};
        case PubkeyAlgo::Ed448: return {1, {fixed("secret", 57)}};
        default: return {};
        }
    case FieldSet::Signature:
        switch (algo) {
        case PubkeyAlgo::Rsa:
        case PubkeyAlgo::RsaEncryptOnly:
        case PubkeyAlgo::RsaSignOnly: return {1, {mpi("s")}};
        case PubkeyAlgo::Elgamal:
        case PubkeyAlgo::ElgamalSignEncrypt:
        case PubkeyAlgo::Dsa:
        case PubkeyAlgo::Ecdsa:
        case PubkeyAlgo::EdDsaLegacy: return {2, {mpi("r"), mpi("s")}};
        case PubkeyAlgo::Ed25519: return {1, {fixed("signature", 64)}};
        case PubkeyAlgo::Ed448: return {1, {fixed("signature", 114)}};
        default: return {};
        }
    case FieldSet::Pkesk:
        switch (algo) {
        case PubkeyAlgo::Rsa:
        case PubkeyAlgo::RsaEncryptOnly:
        case PubkeyAlgo::RsaSignOnly: return {1, {mpi("m^e")}};
        case PubkeyAlgo::Elgamal:
        case PubkeyAlgo::ElgamalSignEncrypt: return {2, {mpi("g^k"), mpi("m*y^k")}};
        case PubkeyAlgo::Ecdh: return {2, {mpi("ephemeral"), sized("wrapped_key")}};
        case PubkeyAlgo::X25519: return {2, {fixed("ephemeral", 32), sized("wrapped_key")}};
        case PubkeyAlgo::X448: return {2, {fixed("ephemeral", 56), sized("wrapped_key")}};
        default: return {};
        }
    }
    return {};
}

}  // namespace

std::uint16_t effective_bits_of(ByteView data) noexcept {
    std::size_t i = 0;
    while (i < data.size() && data[i] == 0) ++i;
    if (i == data.size()) return 0;
    unsigned top = data[i], bits = 0;
    while (top) {
        ++bits;
        top >>= 1;
    }
    return static_cast<std::uint16_t>((data.size() - i - 1) * 8 + bits);
}

bool has_schema(FieldSet set, PubkeyAlgo algo) noexcept { return schema_for(set, algo).count > 0; }

namespace {

template <class Storage>
Storage copy_of(ByteView v) {
    return Storage(v.begin(), v.end());
}

/** Reads the fields of `set` for `algo`, each value copied once, straight into `Storage`. */
template <class Storage>
std::vector<BasicAlgoField<Storage>> parse_fields_into(FieldSet set, PubkeyAlgo algo, ByteReader& in) {
    Schema s = schema_for(set, algo);
    std::vector<BasicAlgoField<Storage>> out;
    if (s.count == 0) {
        out.push_back({"opaque", FieldKind::Rest, 0, copy_of<Storage>(in.rest())});
        return out;
    }
    out.reserve(s.count);
    for (std::uint8_t i = 0; i < s.count; ++i) {
        const FieldSpec& spec = s.f[i];
        BasicAlgoField<Storage> f{spec.name, spec.kind, 0, {}};
        switch (spec.kind) {
        case FieldKind::Mpi: {
            f.mpi_bits = in.be16("MPI bit count");
            f.data = copy_of<Storage>(in.take((std::size_t{f.mpi_bits} + 7) / 8, "MPI"));
            break;
        }
        case FieldKind::Sized8: {
            std::uint8_t n = in.u8("length octet");
            f.data = copy_of<Storage>(in.take(n, spec.name));
            break;
        }
        case FieldKind::Fixed: f.data = copy_of<Storage>(in.take(spec.size, spec.name)); break;
        case FieldKind::Rest: break;
        }
        out.push_back(std::move(f));
    }
    return out;
}

template <class Field>
void write_fields_of(const std::vector<Field>& fields, ByteWriter& out) {
    for (const Field& f : fields) {
        switch (f.kind) {
        case FieldKind::Mpi: out.be16(f.mpi_bits); break;
        case FieldKind::Sized8: out.u8(static_cast<std::uint8_t>(f.data.size())); break;
        default: break;
        }
        out.bytes(f.data);
    }
}

template <class Field>
std::size_t size_of(const std::vector<Field>& fields) noexcept {
    std::size_t n = 0;
    for (const Field& f : fields)
        n += f.data.size() + (f.kind == FieldKind::Mpi ? 2 : f.kind == FieldKind::Sized8 ? 1 : 0);
    return n;
}

}  // namespace

AlgoFields parse_fields(FieldSet set, PubkeyAlgo algo, ByteReader& in) {
    return parse_fields_into<Bytes>(set, algo, in);
}

SecretAlgoFields parse_secret_fields(PubkeyAlgo algo, ByteReader& in) {
    return parse_fields_into<SecretBytes>(FieldSet::SecretKey, algo, in);
}

void write_fields(const AlgoFields& fields, ByteWriter& out) { write_fields_of(fields, out); }
void write_fields(const SecretAlgoFields& fields, ByteWriter& out) { write_fields_of(fields, out); }

std::size_t fields_size(const AlgoFields& fields) noexcept { return size_of(fields); }
std::size_t fields_size(const SecretAlgoFields& fields) noexcept { return size_of(fields); }

std::string_view curve_of(const AlgoFields& fields) noexcept {
    for (const AlgoField& f : fields)
        if (f.name == "oid") return curve_name_from_oid(f.data.data(), f.data.size());
    return {};
}

unsigned key_bits(PubkeyAlgo algo, const AlgoFields& fields) noexcept {
    switch (algo) {
    case PubkeyAlgo::Rsa:
    case PubkeyAlgo::RsaEncryptOnly:
    case PubkeyAlgo::RsaSignOnly:
    case PubkeyAlgo::Elgamal:
    case PubkeyAlgo::Dsa:
    case PubkeyAlgo::ElgamalSignEncrypt:
        return fields.empty() || fields.front().kind != FieldKind::Mpi ? 0 : fields.front().effective_bits();
    case PubkeyAlgo::X25519: case PubkeyAlgo::Ed25519: return 255;
    case PubkeyAlgo::X448: return 448;
    case PubkeyAlgo::Ed448: return 456;
    default: break;
    }
    std::string_view c = curve_of(fields);
    if (c == "nistp256" || c == "brainpoolP256r1" || c == "secp256k1") return 256;
    if (c == "nistp384" || c == "brainpoolP384r1") return 384;
    if (c == "nistp521") return 521;
    if (c == "brainpoolP512r1") return 512;
    if (c == "ed25519" || c == "cv25519") return 255;
    if (c == "ed448" || c == "x448") return 448;
    return 0;
}

}  // namespace pgpkit::packet
