#pragma once
// The remaining packet types of RFC 9580 section 5 (and GnuPG's tag 20): small fixed
// layouts and the data-carrying packets, whose payload is streamed.

#include <array>
#include <cstdint>
#include <string>

#include "packet/byte_reader.h"
#include "packet/byte_writer.h"
#include "packet/names.h"
#include "packet/source.h"
#include "packet/subpacket.h"

namespace pgpkit::packet {

/** One-Pass Signature, section 5.4 (v3 and v6). */
struct OnePassSig {
    std::uint8_t version = 3;
    SigType sig_type = SigType::Binary;
    HashAlgo hash_algo{};
    PubkeyAlgo pk_algo{};
    std::array<std::uint8_t, 8> keyid{};  ///< v3
    Bytes salt;                           ///< v6
    Bytes fingerprint;                    ///< v6 (32 octets)
    std::uint8_t last_flag = 1;           ///< kept as the wire octet
    bool operator==(const OnePassSig&) const = default;
};

/** Marker (section 5.8), Trust (5.10), User ID (5.11), MDC (5.13.1), Padding (5.14). */
struct Marker { Bytes data; bool operator==(const Marker&) const = default; };
struct Trust { Bytes data; bool operator==(const Trust&) const = default; };
struct UserId { Bytes data; bool operator==(const UserId&) const = default; };
struct Mdc { Bytes hash; bool operator==(const Mdc&) const = default; };
struct Padding { Bytes data; bool operator==(const Padding&) const = default; };

/** User Attribute, section 5.12: subpackets; type 1 is an image. */
struct UserAttribute {
    Subpackets subpackets;
    bool operator==(const UserAttribute&) const = default;
};

/** Decoded image attribute header (section 5.12.1). */
struct ImageAttribute {
    std::uint16_t header_len = 0;  ///< little-endian on the wire
    std::uint8_t header_version = 0;
    std::uint8_t encoding = 0;     ///< 1 = JPEG
    std::size_t image_size = 0;
};
std::optional<ImageAttribute> decode_image_attribute(const Subpacket& s) noexcept;

/**
 * The payload of a data-carrying packet. When the parser keeps data (ParseOptions::
 * keep_data) `data` holds it; otherwise only its length is known.
 */
struct Payload {
    Bytes data;
    std::uint64_t length = 0;
    bool kept = false;
    bool operator==(const Payload&) const = default;
};

/** Literal Data, section 5.9. */
struct Literal {
    std::uint8_t format = 'b';
    Bytes filename;
    std::uint32_t date = 0;
    Payload payload;
    bool operator==(const Literal&) const = default;
};

/** Compressed Data, section 5.6. `payload` is the compressed octets. */
struct Compressed {
    CompressionAlgo algo = CompressionAlgo::Uncompressed;
    Payload payload;
    bool operator==(const Compressed&) const = default;
};

/** Symmetrically Encrypted Data, section 5.7. */
struct Sed {
    Payload payload;
    bool operator==(const Sed&) const = default;
};

/** Symmetrically Encrypted and Integrity Protected Data, section 5.13, v1 and v2. */
struct Seipd {
    std::uint8_t version = 1;
    SymAlgo sym_algo{};           ///< v2
    AeadAlgo aead_algo{};         ///< v2
    std::uint8_t chunk_size = 0;  ///< v2: chunk size octet c, chunks of 2^(c+6)
    Bytes salt;                   ///< v2: 32 octets
    Payload payload;
    bool operator==(const Seipd&) const = default;
};

/** GnuPG's OCB Encrypted Data packet (tag 20, LibrePGP "AEAD Encrypted Data", v1). */
struct OcbEncrypted {
    std::uint8_t version = 1;
    SymAlgo sym_algo{};
    AeadAlgo aead_algo{};
    std::uint8_t chunk_size = 0;
    Bytes iv;
    Payload payload;
    bool operator==(const OcbEncrypted&) const = default;
};

/** A packet kept as opaque octets: unknown tag, unknown version, private tag. */
struct Opaque {
    std::string reason;
    Payload payload;
    bool operator==(const Opaque&) const = default;
};

std::optional<OnePassSig> parse_one_pass_sig(ByteReader& in);
void write_one_pass_sig(const OnePassSig& p, ByteWriter& out);
UserAttribute parse_user_attribute(ByteReader& in, std::size_t max_subpackets);
void write_user_attribute(const UserAttribute& u, ByteWriter& out);

/** Reads exactly n octets from a source or throws Errc::Truncated naming `what`. */
Bytes read_exact(Source& src, std::size_t n, std::string_view what);

}  // namespace pgpkit::packet
