#pragma once
// Session key packets: PKESK (RFC 9580 section 5.1, v3 and v6) and SKESK (section 5.3,
// v4, v5 as LibrePGP writes it, and v6).

#include <array>
#include <cstdint>
#include <optional>

#include "packet/fields.h"
#include "packet/names.h"
#include "packet/s2k.h"

namespace pgpkit::packet {

struct Pkesk {
    std::uint8_t version = 3;
    std::array<std::uint8_t, 8> keyid{};     ///< v3 (all zero: anonymous recipient)
    std::uint8_t v6_info_len = 0;            ///< v6: octets of key version + fingerprint
    std::uint8_t v6_key_version = 0;         ///< v6, when v6_info_len > 0
    Bytes v6_fingerprint;                    ///< v6
    PubkeyAlgo algo{};
    AlgoFields fields;
    bool operator==(const Pkesk&) const = default;
};

struct Skesk {
    std::uint8_t version = 4;
    std::optional<std::uint8_t> v6_params_len;  ///< v6: count of the following fields
    SymAlgo sym_algo{};
    AeadAlgo aead_algo{};                    ///< v5/v6
    std::optional<std::uint8_t> s2k_len;     ///< v6
    S2k s2k;
    Bytes iv;                                ///< v5/v6: the AEAD nonce
    Bytes esk;                               ///< encrypted session key (v5/v6: without tag)
    Bytes tag;                               ///< v5/v6: AEAD authentication tag (16 octets)
    bool operator==(const Skesk&) const = default;
};

std::optional<Pkesk> parse_pkesk(ByteReader& in);
void write_pkesk(const Pkesk& p, ByteWriter& out);
std::optional<Skesk> parse_skesk(ByteReader& in);
void write_skesk(const Skesk& p, ByteWriter& out);

}  // namespace pgpkit::packet
