#pragma once
// A reproducible suite of OpenPGP test vectors (`pgpkit vectors`, issue 15): keys,
// signatures and messages of every algorithm and key version pgpkit makes, every framing
// form and boundary, legacy encodings (v3 keys, GNU S2K stubs) and negative cases
// (truncations, lengths past the end, a compression bomb, a bad armor checksum). The same
// seed gives the same bytes: every random choice comes from a seeded crypto::Rng and every
// time stamp is a constant, never the clock.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/secret.h"

namespace pgpkit::message {

/** The groups of the suite (`--only GROUP`). */
enum class VectorGroup : std::uint8_t { Keys, Framing, Legacy, Negatives };

/** "keys", "framing", "legacy", "negatives". */
[[nodiscard]] const char* vector_group_name(VectorGroup g) noexcept;
/** The group named `name`. @throws Error(Errc::Usage) naming the groups for anything else. */
[[nodiscard]] VectorGroup parse_vector_group(std::string_view name);

/** The creation time of every key, signature and literal packet of the suite (2024-01-01 UTC). */
inline constexpr std::uint32_t vectors_time = 1704067200;

/** One file of the suite with its manifest row. */
struct VectorFile {
    std::string name;  ///< file name inside the output folder
    VectorGroup group = VectorGroup::Keys;
    std::string holds;                      ///< what the file holds, one line
    bool accept = true;                     ///< a conforming parser must accept (else reject) it
    std::vector<std::string> keyids;        ///< key packets' key IDs in order, upper-case hex
    std::vector<std::string> fingerprints;  ///< key packets' fingerprints in order
    /**
     * Packet tags in document order, a container's packets in parentheses after it
     * ("8(11)", "6 13 2 14 2"). Reject files: the packets before the defect, then "!".
     */
    std::string packets;
    /** Read with --strict: the defect is one pgpkit reports as a finding by default. */
    bool strict = false;
    /** Read with --gnupg-chunked: old length type 3 is GnuPG's chunked form. */
    bool gnupg_chunked = false;
    /** Known peer deviations, "peer version: what it does; ..." (empty: none known). */
    std::string deviations;
    bool secret = false;  ///< holds unprotected secret key material (written mode 0600)
    SecretBytes data;     ///< wiping memory: some files are unprotected secret keys
};

struct VectorOptions {
    /** At least 16 octets; empty: default_vector_seed(). */
    SecretBytes seed;
    std::optional<VectorGroup> only;
};

/** The seed used without --seed ("pgpkit vectors 1" in ASCII, 16 octets). */
[[nodiscard]] SecretBytes default_vector_seed();

/**
 * Makes the suite (or one group of it). Deterministic in `opt`: the same seed gives the
 * same files, byte for byte. Key sizes are the smallest each algorithm allows (RSA, DSA and
 * Elgamal 1024 bits) so the suite stays quick to make and to check; the large partial chunk
 * sizes (2^21 to 2^30) are headers whose bodies are cut short (negatives), as the manifest
 * says. @throws Error(Errc::Usage) for a short seed, Errc::Crypto if a primitive fails.
 */
[[nodiscard]] std::vector<VectorFile> make_vectors(const VectorOptions& opt);

/** The pgpkit dump options a file needs ("--strict", "--gnupg-chunked"; "" for none). */
[[nodiscard]] std::string vector_dump_options(const VectorFile& f);

/** The manifest's column names, in order. */
[[nodiscard]] const std::vector<std::string>& manifest_columns();

/**
 * MANIFEST.tsv: a header line of manifest_columns(), then one line per file. `pgpkit`
 * gives, per file, what `pgpkit dump` made of it ("ok", or "error: ..."); tabs and line
 * ends inside a field are written as spaces.
 */
[[nodiscard]] std::string manifest_tsv(const std::vector<VectorFile>& files, const std::vector<std::string>& pgpkit);

}  // namespace pgpkit::message
