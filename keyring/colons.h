#pragma once
// Key listings as gpg 2.2 prints them with --with-colons --fixed-list-mode (GnuPG's
// doc/DETAILS, "Format of the colon listings"): one ColonRecord per line, produced from a
// certificate and its check report. The library returns records; cli/ prints them and
// renders the human and JSON listings from the same helpers.
//
// A record is the line split at its colons: fields[0] is the record type (DETAILS field
// 1) and fields[i] is DETAILS field i + 1, each already escaped as gpg writes it. gpg ends
// every line but "tru" and "spk" with a colon, which is an empty last field here, so joining the
// fields with ':' gives gpg's line byte for byte.

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/bytes.h"
#include "cert/cert.h"
#include "cert/validity.h"
#include "packet/signature.h"

namespace pgpkit::keyring {

/** One line of a colon listing (see the file comment for the layout). */
struct ColonRecord {
    std::vector<std::string> fields;

    /** DETAILS field 1: "pub", "sub", "sec", "ssb", "fpr", "grp", "uid", "uat", "sig", "rev", "spk", "rvk", "pkd", "tru". */
    const std::string& type() const noexcept { return fields.front(); }
    /** DETAILS field `n` (1-based); empty past the end. */
    std::string_view field(std::size_t n) const noexcept;
    /** The line without its line end. */
    std::string line() const;
    bool operator==(const ColonRecord&) const = default;
};

/**
 * Field 15 of the keys of a certificate listed as secret when the secret parts are kept
 * apart from its packets (the store keeps the public certificate and the secret keyblock
 * side by side, as gpg keeps pubring.kbx and the agent's private-keys-v1.d).
 */
struct SecretParts {
    struct Part {
        Bytes fingerprint;
        std::string flag;  ///< "+", "#" or a card's serial number, as secret_flag
    };
    std::vector<Part> parts;
    /** The flag of key `k`; "#" for a key without a secret part, as gpg 2.2 prints it. */
    [[nodiscard]] std::string flag(const packet::Key& k) const;
};

/** What a listing shows beyond the key, fingerprint and user ID records. */
struct ColonOptions {
    /** sec/ssb records with field 15 ('+', '#' for a GNU stub, a card's serial number) and grp. */
    bool secret = false;
    bool with_keygrip = false;  ///< grp records (always on for secret listings, as gpg)
    bool with_sig_list = false; ///< sig/rev records; field 2 is '?' when the issuer is unknown
    bool check_sigs = false;    ///< sig/rev records with the verdict in field 2 (! - ? %)
    bool with_key_data = false; ///< pkd records
    /** Field 15 from here instead of from the key packets (secret_flag); not owned. */
    const SecretParts* secret_parts = nullptr;
    /**
     * spk records after each sig/rev record for the subpacket types set here (gpg's
     * --list-options show-sig-subpackets); none set: no spk records.
     */
    std::bitset<128> sig_subpackets;
};

/**
 * The subpacket types of gpg's show-sig-subpackets argument: numbers separated by commas
 * or spaces, optionally in double quotes; an empty list means every type (1 to 127).
 * @throws Error(Errc::Usage) for a token that is not a number from 1 to 127.
 */
[[nodiscard]] std::bitset<128> parse_subpacket_list(std::string_view list);

/** A subpacket of a signature and the area it is in. */
struct ListedSubpacket {
    const packet::Subpacket* subpacket = nullptr;  ///< points into the signature
    bool hashed = false;
};

/**
 * The subpackets of `s` with a type in `types`, in gpg 2.2's listing order: for each type
 * from the highest down, its hashed subpackets then its unhashed ones, each in area order.
 */
[[nodiscard]] std::vector<ListedSubpacket> listed_subpackets(const packet::Signature& s,
                                                             const std::bitset<128>& types);

/**
 * The spk records of a signature as gpg 2.2 prints them, in listed_subpackets order:
 * fields type, flags (1 hashed, 2 critical), length and the value with octets outside
 * printable ASCII, ':' and '%' written as %XX. gpg ends spk lines without a colon.
 */
[[nodiscard]] std::vector<ColonRecord> subpacket_records(const packet::Signature& s,
                                                         const std::bitset<128>& types);

/**
 * The user ID gpg names a signature's issuer by (sig field 10): the primary user ID of the
 * certificate that holds the key ID, else its first user ID. Holds copies.
 */
class IssuerNames {
public:
    void add(const cert::Cert& c, const cert::CertReport& r);
    /** The name, or null when no added certificate holds the key ID. */
    const std::string* find(std::uint64_t keyid) const;

private:
    std::unordered_map<std::uint64_t, std::string> m_names;
};

/**
 * gpg's es_write_sanitized with ':' as delimiter: octets below 0x20, 0x7F, ':' and '\'
 * become \n \r \f \v \b \0 or \xHH (lower-case hex); other octets (UTF-8 too) are kept.
 */
[[nodiscard]] std::string colon_escape(std::string_view s);

/**
 * Field 2 of a key or user ID record without a trust model (what gpg prints in a home
 * without ultimately trusted keys): 'i' invalid, 'r' revoked, 'e' expired, else '-'.
 * `comp` is rep.primary, a subkey's or a user ID's report; a user ID that is itself valid
 * takes the key's letter.
 */
[[nodiscard]] char validity_letter(const cert::CertReport& rep, const cert::ComponentReport& comp);

/** Field 15 of sec/ssb: "#" for a GNU dummy stub, the card serial (hex) for divert-to-card, "+" else. */
[[nodiscard]] std::string secret_flag(const packet::Key& k);

/** Field 15 of `k` as `opt` says: from opt.secret_parts when set, else secret_flag(k). */
[[nodiscard]] std::string secret_field(const packet::Key& k, const ColonOptions& opt);

/** Field 17: the curve name of an ECC key (dotted OID when unknown), else "". */
[[nodiscard]] std::string curve_field(const packet::Key& k);

/** Field 18: "23" when gpg 2.2 calls the key de-vs compliant (RSA 2048/3072/4096, DSA 2048/3072 with a 256-bit q, brainpool ECDSA/ECDH), else "". */
[[nodiscard]] std::string compliance_field(const packet::Key& k);

/** Upper-case hex of the keygrip, or "" when libgcrypt has none for the key. */
[[nodiscard]] std::string keygrip_hex(const packet::Key& k);

/** Field 8 of uid/uat: RIPEMD-160 of the user ID or attribute body, upper-case hex. */
[[nodiscard]] std::string uid_hash(const cert::Component& uid);

/** A designated revoker (RFC 9580 section 5.2.3.23) from a self-signature of the primary key. */
struct Revoker {
    std::uint8_t revoker_class = 0x80;
    unsigned algo = 0;
    std::string fingerprint;  ///< upper-case hex
};
/** The designated revokers of good direct-key self-signatures, without duplicates (gpg's rvk records). */
[[nodiscard]] std::vector<Revoker> revokers(const cert::Cert& c, const cert::CertReport& rep);

/**
 * Field 2 of a sig/rev record: the verdict marker with `check`, else '?' when no added
 * certificate holds the issuer and ' ' (printed as empty) when one does.
 */
[[nodiscard]] char sig_marker(const cert::SigCheck& r, const packet::Signature& s, const IssuerNames& names,
                              bool check);

/**
 * The rvs record of a bare key revocation, as gpg --show-keys prints it: a sig record
 * (checked: '!' good, '-' bad, '?' no key, '%' an error) of type "rvs" without the reason
 * text of field 21; field 10 names the revoked key's user ID from `names`, or "[User ID not
 * found]".
 */
[[nodiscard]] ColonRecord revocation_record(const packet::Signature& s, const cert::SigCheck& check,
                                            const IssuerNames& names);

/**
 * The text gpg prints in brackets for a '%' signature (gpg_strerror of its error): the
 * policy's reason, "Invalid signature class" for a certification without a user ID or a
 * subkey signature without a subkey before it (GPG_ERR_SIG_CLASS), else pgpkit's reason.
 */
[[nodiscard]] std::string error_text(const cert::SigCheck& r);

/** The pkd records of a key: index, bit count and upper-case hex of each public field as libgcrypt holds it (OIDs and KDF parameters with their length octet). */
[[nodiscard]] std::vector<ColonRecord> key_data_records(const packet::Key& k);

/** "tru::1:0:0:3:1:5": the pgp trust model with gpg's defaults and no trustdb (fields 4 and 5 are gpg's timestamps). */
[[nodiscard]] ColonRecord tru_record();

/**
 * The order gpg lists the components of a certificate in (g10/keylist.c, reorder_keyblock):
 * input order, except that the first attribute whose self-signature carries the primary
 * flag moves before the first user ID or attribute, then the primary user ID does; each
 * moves alone, without the components after it. Indices into rep.components.
 */
[[nodiscard]] std::vector<std::size_t> listing_order(const cert::CertReport& rep);

/**
 * The records of one certificate in gpg's order (listing_order): pub (or sec), rvk, fpr, grp, pkd, the
 * signatures on the primary key, then each user ID (uid or uat) and subkey (sub or ssb,
 * fpr, grp, pkd) with its signatures. A revocation's reason text is field 21 of its rev
 * record. `rep` is check_cert's report
 * of `c` (or check_certs'); `names` names the issuers of sig records.
 */
[[nodiscard]] std::vector<ColonRecord> colon_records(const cert::Cert& c, const cert::CertReport& rep,
                                                     const ColonOptions& opt, const IssuerNames& names);

}  // namespace pgpkit::keyring
