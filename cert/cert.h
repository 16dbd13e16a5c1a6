#pragma once
// Certificates (transferable public keys) and transferable secret keys assembled from a
// packet sequence, RFC 9580 section 10.1 (RFC 4880 section 11.1): a primary key, its
// revocations and direct-key signatures, user IDs and user attributes with their
// certifications, subkeys with their bindings and revocations.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "packet/packet.h"
#include "packet/parser.h"
#include "packet/source.h"

namespace pgpkit::cert {

/** What a component of a certificate is. */
enum class ComponentKind : std::uint8_t { PrimaryKey, UserId, UserAttribute, Subkey };

const char* component_kind_name(ComponentKind k) noexcept;

/**
 * One component: the packet that opens it (a key, user ID or user attribute) and every
 * packet that follows it up to the next component, in input order. Those are normally
 * signatures; trust packets (as in GnuPG's pubring.gpg) and out-of-place or unknown
 * packets are kept there too, so that writing the component back gives the input bytes.
 */
struct Component {
    ComponentKind kind = ComponentKind::PrimaryKey;
    packet::Packet head;
    std::vector<packet::Packet> tail;

    const packet::Key* key() const noexcept { return head.get<packet::Key>(); }
    /** User ID octets (UserId) or the user attribute's subpacket octets (UserAttribute):
        what a certification hashes after the 0xB4 or 0xD1 octet and the length. */
    Bytes id_bytes() const;
    /** The signature packets of the tail, in order. */
    std::vector<const packet::Packet*> signatures() const;
};

/** A packet that is not where RFC 9580 section 10.1 puts it, or that cert/ does not know. */
struct CertFinding {
    std::uint64_t offset = 0;
    std::size_t index = 0;
    std::string detail;
};

/**
 * A certificate or, when its primary key is a Secret-Key packet, a transferable secret
 * key (a Tsk). Components keep input order; user IDs and attributes are normally before
 * subkeys, and one that is not is still kept where it was (and reported).
 */
struct Cert {
    Component primary;
    std::vector<Component> components;  ///< user IDs, user attributes and subkeys, in order
    std::vector<CertFinding> findings;

    const packet::Key& key() const noexcept { return *primary.key(); }
    const Bytes& fingerprint() const noexcept { return key().fingerprint; }
    /** True if the primary key is a Secret-Key packet (a transferable secret key). */
    bool secret() const noexcept;
    /** The components of one kind, in input order. */
    std::vector<const Component*> of_kind(ComponentKind k) const;
};

/**
 * The algorithm and size as gpg lists them (g10/keyid.c, pubkey_string): "rsa3072",
 * "dsa2048", "elg2048", or the curve name ("nistp256", "ed25519", "cv25519", ...).
 */
[[nodiscard]] std::string algo_string(const packet::Key& k);

/** A transferable secret key is a Cert whose key packets are secret ones (Cert::secret()). */
using Tsk = Cert;

/**
 * Assembles one certificate from `packets`, which must start with a primary key packet
 * (public or secret). Every other packet is attached to the component it follows.
 * @throws Error(Errc::BadField) if the first packet is not a primary key.
 */
[[nodiscard]] Cert assemble(std::vector<packet::Packet> packets);

/** The packets of a certificate in order: the input bytes when written back. */
[[nodiscard]] std::vector<const packet::Packet*> packets_of(const Cert& c);
/** Writes the certificate back exactly as it was read. */
[[nodiscard]] Bytes write_cert(const Cert& c);

/** The certificate with secret key packets replaced by their public counterparts. */
[[nodiscard]] Cert public_part(const Cert& c);

/** Options of a keyring read. */
struct ReadOptions {
    packet::ParseOptions parse;
    /** Certificates larger than this many packets are an error (flooding bound). */
    std::size_t max_packets_per_cert = 1u << 20;
    /**
     * Throw at the end when packets did not parse (they are handed over as Opaque packets
     * with a "malformed-packet" finding either way). False: the caller judges them.
     */
    bool raise_malformed = true;
    /** Hand over the certificate that was being read when a read error stopped the input. */
    bool deliver_partial = true;
};

/** What a keyring read reports beside the certificates. */
struct ReadEvents {
    /** A certificate, complete. */
    std::function<void(Cert&&)> cert;
    /** Packets before the first primary key, which belong to no certificate. */
    std::function<void(const packet::Packet&, const std::string& why)> stray;
};

/**
 * Reads a keyring stream (binary or armored, several blocks, any number of
 * certificates) and hands each certificate to `events.cert` as soon as it is complete,
 * so memory holds one certificate at a time. Packets inside compressed data are not
 * descended into; a compressed packet is kept like any other.
 * @throws Error for input that does not parse, after the certificates before it were handed over.
 */
void read_certs(packet::Source& input, const ReadOptions& opt, const ReadEvents& events);

/** Reads every certificate of a buffer. */
[[nodiscard]] std::vector<Cert> read_all_certs(ByteView data, const ReadOptions& opt = {});

}  // namespace pgpkit::cert
