#pragma once
// The cached gpg web of trust shared by the web-of-trust oracles (tests/oracle/wot_web.cpp).

#include <string>

namespace pgpkit::test {

/**
 * The web, made once per gpg version under the oracle cache: dir/home (a gpg home after
 * --import-ownertrust of 16 values, root ultimately trusted), dir/keys.pgp (every key, with
 * local signatures). Returns dir.
 */
std::string cached_wot_web();

}  // namespace pgpkit::test
