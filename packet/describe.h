#pragma once
// Describes packets as named fields, once, for every renderer (HOUSE-STYLE rule 23).

#include <cstdint>
#include <string_view>

#include "packet/packet.h"

namespace pgpkit::packet {

/**
 * Receives the fields of a packet. Names are snake_case and stable (they are JSON keys).
 * `wire` is the octets the field occupies on the wire (length prefixes included: an MPI's
 * two-octet bit count, a length octet before a string), empty for derived values (key IDs
 * and fingerprints computed from the key, decoded meanings) and for payloads that are
 * streamed, not kept. Wire octets of secret values are given like their values; a sink
 * shows them only where it shows the value. Inside a list, names are empty.
 *
 * Fields arrive in wire order, except for v3 signatures (listed in the v4 order) and the
 * type before the length of a subpacket; object_wire() gives the subpacket whole.
 */
class FieldSink {
public:
    virtual ~FieldSink() = default;
    virtual void number(std::string_view name, std::uint64_t v, ByteView wire = {}) = 0;
    /** A number with its meaning, e.g. algo 1 "RSA". */
    virtual void named(std::string_view name, std::uint64_t v, std::string_view meaning, ByteView wire = {}) = 0;
    virtual void text(std::string_view name, std::string_view v, ByteView wire = {}) = 0;
    virtual void hex(std::string_view name, ByteView v, ByteView wire = {}) = 0;
    virtual void boolean(std::string_view name, bool v, ByteView wire = {}) = 0;
    /** A boolean that is usually false: text shows it only when set. */
    virtual void flag(std::string_view name, bool v) { boolean(name, v); }
    /** Seconds since the epoch (0 shown as such). */
    virtual void time(std::string_view name, std::uint32_t t, ByteView wire = {}) = 0;
    /** An MPI or key/signature value: bit count, value (secret values may be hidden). */
    virtual void mpi(std::string_view name, std::uint16_t bits, ByteView value, bool secret, ByteView wire = {}) = 0;
    /** Size of an octet string that is not shown (payloads, encrypted material). */
    virtual void length_of(std::string_view name, std::uint64_t octets, ByteView wire = {}) = 0;
    /**
     * Whether to list values derived from other fields (a v4 signature's creation time
     * and issuer, taken from its subpackets). Machine formats want them; text does not.
     */
    virtual bool wants_derived() const { return true; }
    /**
     * Whether the sink shows wire octets. When false, the describer skips assembling
     * encodings that are not stored in one piece (MPIs with their bit count, subpackets)
     * and the framing() calls of signatures. Not virtual: it is asked per packet.
     */
    bool wants_wire() const noexcept { return m_wants_wire; }
    /**
     * A length or count that only frames other fields (signature subpacket area lengths,
     * the length octet of a salt or file name): shown with hex output only, so the plain
     * description does not change.
     */
    virtual void framing(std::string_view name, std::uint64_t v, ByteView wire) {
        (void)name, (void)v, (void)wire;
    }
    /** Right after begin_object(): the whole encoding of that object (a subpacket). */
    virtual void object_wire(ByteView wire) { (void)wire; }
    virtual void begin_object(std::string_view name) = 0;
    virtual void end_object() = 0;
    virtual void begin_list(std::string_view name) = 0;
    virtual void end_list() = 0;

protected:
    /** For sinks that show no wire octets (or only sometimes); the default is true. */
    void set_wants_wire(bool on) noexcept { m_wants_wire = on; }

private:
    bool m_wants_wire = true;
};

/** Lists the fields of a packet body (not its header) into `sink`. */
void describe(const Packet& p, FieldSink& sink);
/** Describes a signature (used for embedded signatures too). */
void describe_signature(const Signature& s, FieldSink& sink);
/** Describes one subpacket's decoded value (type and critical bit included). */
void describe_subpacket(const Subpacket& s, FieldSink& sink);

/** Key flags (subpacket 27) as words: "certify sign encrypt-comms ...". */
std::string key_flags_text(ByteView flags);

}  // namespace pgpkit::packet
