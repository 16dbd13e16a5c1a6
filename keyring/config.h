#pragma once
// What this build of pgpkit can do, as gpg's `--list-config --with-colons` reports it for
// gpg (GnuPG's doc/DETAILS, "cfg" records): the version, and the public-key, cipher, digest
// and compression algorithms and curves, each as a list of numbers and a list of names.

#include <span>
#include <string>
#include <vector>

#include "keyring/colons.h"

namespace pgpkit::keyring {

/**
 * The items list-config knows, in the order it lists them when none is asked for:
 * "version", "pubkey", "pubkeyname", "cipher", "ciphername", "digest", "digestname",
 * "compress", "compressname", "curve".
 */
[[nodiscard]] std::span<const char* const> config_items() noexcept;

/**
 * The cfg records of `items` (all of config_items() when empty), in the order asked. Item
 * names match without regard to case, as gpg's. An item this build does not know gives no
 * record; the caller finds them with unknown_config_items(). "group" is known and gives no
 * record (pgpkit has no key groups).
 *
 * What counts as supported: public-key algorithms pgpkit verifies signatures with or
 * generates keys of; ciphers it protects and unprotects secret keys with; digests its
 * default policy accepts for signatures (so not MD5, as gpg); compression it reads; curves it
 * verifies with or generates on. Names are gpg's where gpg has one.
 */
[[nodiscard]] std::vector<ColonRecord> config_records(std::span<const std::string> items);

/** The items of `items` config_records() does not know, in their order. */
[[nodiscard]] std::vector<std::string> unknown_config_items(std::span<const std::string> items);

}  // namespace pgpkit::keyring
