#include "packet/s2k.h"

namespace pgpkit::packet {

std::uint32_t S2k::iterations() const noexcept {
    return (16u + (coded_count & 15u)) << ((coded_count >> 4) + 6u);
}

bool s2k_type_known(S2kType type) noexcept {
    switch (type) {
    case S2kType::Simple: case S2kType::Salted: case S2kType::IteratedSalted: case S2kType::Argon2:
    case S2kType::Gnu: return true;
    }
    return false;
}

const char* s2k_type_name(S2kType type) noexcept {
    switch (type) {
    case S2kType::Simple: return "simple";
    case S2kType::Salted: return "salted";
    case S2kType::IteratedSalted: return "iterated and salted";
    case S2kType::Argon2: return "argon2";
    case S2kType::Gnu: return "GNU extension";
    }
    return "unknown";
}

S2k parse_s2k(ByteReader& in) {
    S2k s;
    s.type = in.enum8<S2kType>("S2K type");
    switch (s.type) {
    case S2kType::Simple: s.hash_algo = in.enum8<HashAlgo>("S2K hash algorithm"); break;
    case S2kType::Salted:
        s.hash_algo = in.enum8<HashAlgo>("S2K hash algorithm");
        s.salt = in.take_bytes(8, "S2K salt");
        break;
    case S2kType::IteratedSalted:
        s.hash_algo = in.enum8<HashAlgo>("S2K hash algorithm");
        s.salt = in.take_bytes(8, "S2K salt");
        s.coded_count = in.u8("S2K count");
        break;
    case S2kType::Argon2:
        s.salt = in.take_bytes(16, "Argon2 salt");
        s.argon2_t = in.u8("Argon2 passes");
        s.argon2_p = in.u8("Argon2 parallelism");
        s.argon2_m = in.u8("Argon2 memory");
        break;
    case S2kType::Gnu: {
        s.hash_algo = in.enum8<HashAlgo>("S2K hash algorithm");
        s.gnu_magic = in.take_bytes(3, "GNU S2K magic");
        s.gnu_mode = in.u8("GNU S2K mode");
        if (s.gnu_mode == static_cast<std::uint8_t>(GnuS2kMode::DivertToCard) && !in.empty()) {
            std::uint8_t n = in.u8("card serial length");
            s.has_serial = true;
            s.card_serial = in.take_bytes(n, "card serial number");
        }
        break;
    }
    default: {
        ByteView rest = in.rest();
        s.unknown.assign(rest.begin(), rest.end());
        break;
    }
    }
    return s;
}

void write_s2k(const S2k& s, ByteWriter& out) {
    out.u8(s.type);
    switch (s.type) {
    case S2kType::Simple: out.u8(s.hash_algo); break;
    case S2kType::Salted:
        out.u8(s.hash_algo);
        out.bytes(s.salt);
        break;
    case S2kType::IteratedSalted:
        out.u8(s.hash_algo);
        out.bytes(s.salt);
        out.u8(s.coded_count);
        break;
    case S2kType::Argon2:
        out.bytes(s.salt);
        out.u8(s.argon2_t);
        out.u8(s.argon2_p);
        out.u8(s.argon2_m);
        break;
    case S2kType::Gnu:
        out.u8(s.hash_algo);
        out.bytes(s.gnu_magic);
        out.u8(s.gnu_mode);
        if (s.has_serial) {
            out.u8(static_cast<std::uint8_t>(s.card_serial.size()));
            out.bytes(s.card_serial);
        }
        break;
    default: out.bytes(s.unknown); break;
    }
}

std::size_t s2k_size(const S2k& s) noexcept {
    Bytes tmp;
    ByteWriter w(tmp);
    write_s2k(s, w);
    return tmp.size();
}

}  // namespace pgpkit::packet
