#pragma once
// Signature packets, RFC 9580 section 5.2: versions 2/3 (RFC 4880), 4, 5 (LibrePGP) and 6.

#include <array>
#include <cstdint>
#include <optional>

#include "packet/fields.h"
#include "packet/names.h"
#include "packet/subpacket.h"

namespace pgpkit::packet {

struct Signature {
    std::uint8_t version = 4;
    std::uint8_t v3_hashed_len = 5;          ///< v2/v3: always 5
    SigType sig_type = SigType::Binary;
    std::uint32_t v3_created = 0;            ///< v2/v3
    std::array<std::uint8_t, 8> v3_issuer{}; ///< v2/v3
    PubkeyAlgo pk_algo{};
    HashAlgo hash_algo{};
    Subpackets hashed;                       ///< v4+
    Subpackets unhashed;                     ///< v4+
    std::array<std::uint8_t, 2> left16{};
    Bytes salt;                              ///< v6
    AlgoFields fields;
    bool operator==(const Signature&) const = default;

    /** Creation time from the v3 field or the creation time subpacket. */
    std::optional<std::uint32_t> created() const noexcept;
    /** Issuer key ID from the v3 field, an issuer subpacket, or an issuer fingerprint. */
    std::optional<std::array<std::uint8_t, 8>> issuer_keyid() const noexcept;
    /** The first hashed subpacket of `type` (then unhashed ones when `unhashed_too`), or null. */
    const Subpacket* subpacket(SubpacketType type, bool unhashed_too = false) const noexcept;
    /** Issuer fingerprint subpacket (type 33) value without its version octet. */
    std::optional<Bytes> issuer_fingerprint() const;
};

bool signature_version_known(std::uint8_t version) noexcept;

/** Parses a signature body; nullopt for an unknown version. */
std::optional<Signature> parse_signature(ByteReader& in, std::size_t max_subpackets);
void write_signature(const Signature& s, ByteWriter& out);

}  // namespace pgpkit::packet
