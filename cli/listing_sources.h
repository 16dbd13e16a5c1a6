#pragma once
// The key-source options shared by list-keys, list-secret-keys and check-sigs: --keyring
// (keyring or keybox files), --home (the store), --no-default-keyring, --jobs and the
// parser's input options; and opening the sources they name (keyring/sources.h).

#include <string>
#include <vector>

#include "cli/input.h"
#include "keyring/sources.h"

namespace CLI {
class App;
}

namespace pgpkit::cli {

struct KeySourceOptions {
    std::vector<std::string> keyrings;
    std::string home;
    bool no_default_keyring = false;
    unsigned jobs = 1;
    InputOptions in;
};

/** Adds --keyring with `keyring_help`, --jobs with `jobs_help` and the input options. */
void add_key_source_options(CLI::App& cmd, KeySourceOptions& opt, const char* keyring_help, const char* jobs_help);

/** Adds --home and --no-default-keyring (listings over the store). */
void add_store_options(CLI::App& cmd, KeySourceOptions& opt);

/**
 * The sources of a listing: the --keyring files when any are given, else the store of the
 * home folder (unless --no-default-keyring).
 */
[[nodiscard]] keyring::Sources listing_sources(const KeySourceOptions& opt);

/** Only the --keyring files (check-sigs' issuer look-up). */
[[nodiscard]] keyring::Sources keyring_sources(const KeySourceOptions& opt);

/** Read options from the command line's parse options. */
[[nodiscard]] keyring::SourceReadOptions read_options(const KeySourceOptions& opt);

}  // namespace pgpkit::cli
