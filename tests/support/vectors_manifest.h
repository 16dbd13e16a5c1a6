#pragma once
// Reading the MANIFEST.tsv that `pgpkit vectors` writes, and the packet sequence of a
// `pgpkit dump --json` in the manifest's notation, for the vector tests (tests/cli and
// tests/oracle).

#include <map>
#include <string>
#include <vector>

namespace pgpkit::test {

/** One manifest row: column name to value ("-" for an empty field). */
using ManifestRow = std::map<std::string, std::string>;

/** The rows of DIR/MANIFEST.tsv. Throws std::runtime_error if it is missing or malformed. */
std::vector<ManifestRow> read_manifest(const std::string& dir);

/**
 * The packets of a `pgpkit dump --json` output in the manifest's notation: tags in
 * document order, a container's packets in parentheses after it ("8(11)", "6 13 2").
 */
std::string dump_packet_sequence(const std::string& dump_json);

/** Key IDs (`what` = "keyid") or fingerprints ("fingerprint") of the key packets, comma-separated, "-" for none. */
std::string dump_key_field(const std::string& dump_json, const std::string& what);

}  // namespace pgpkit::test
