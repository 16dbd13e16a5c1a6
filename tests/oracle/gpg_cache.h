#pragma once
// gpg homes with an input imported, made once per input content, gpg version and import
// options, and kept under the oracle cache between runs (tests/oracle/README.md). Shared
// by the check-sigs and import oracles, so each Debian keyring is imported by gpg once.

#include <cstddef>
#include <string>
#include <vector>

namespace pgpkit::test {

/** Where imported homes are kept between runs (PGPKIT_ORACLE_CACHE overrides). */
std::string cache_root();

/** The options every gpg call on an oracle home gets. */
std::string gpg_on(const std::string& home);

/** Stops the agents of a home. */
void kill_agent(const std::string& home);

/**
 * This process's own copy of the gpg home `home` (files and folders, no sockets), made at
 * the first call for that home; its agent is stopped and the copy removed at exit. Tests
 * that ctest runs side by side must not share a home: each stops the home's agent when it
 * ends, which breaks a signature or decryption the other test has under way.
 */
const std::string& own_copy_of_home(const std::string& home);

/** The import options of cached homes: keep local signatures, no trust computation. */
extern const char* const kCacheImportOptions;

/**
 * Imports `input` into a new home with kCacheImportOptions; returns gpg's stderr. With
 * `status_file`, gpg's status lines go there.
 */
std::string import_into(const std::string& home, const std::string& input, const std::string& status_file = {});

/**
 * The cached home with `input` imported (gpg's exit status is not checked: it is 2 when
 * it skips a keyblock). Beside it: import.status (the --status-file of that import) and
 * import.log (its stderr). Made in a private directory, then renamed into place.
 */
std::string cached_home(const std::string& input);

/** The status lines gpg wrote while making cached_home(input). */
std::string cached_import_status(const std::string& input);

/** The every-k-th-certificate subset of `keyring`, made once under the cache. */
std::string keyring_subset(const std::string& keyring, std::size_t k);

/** The key files of shared/testdata (MANIFEST.tsv rows that hold keys), full paths. */
std::vector<std::string> testdata_key_files();

}  // namespace pgpkit::test
