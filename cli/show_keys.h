#pragma once
// show-keys, shared with `import --import-options show-only` (both are gpg's show-only
// import: list what would be imported, store nothing).

#include <string>
#include <vector>

#include "cli/input.h"
#include "keyring/clean.h"

namespace pgpkit::cli {

struct ShowKeysOptions {
    std::string home;
    std::vector<std::string> files;  ///< none: standard input
    keyring::ImportOptions import;   ///< the preparation the keys go through
    bool with_colons = false;
    int with_fingerprint = 0;
    bool with_keygrip = false;
    bool with_sig_list = false;
    bool check_sigs = false;
    bool with_key_data = false;
    InputOptions in;
};

/** Lists the keys and revocation certificates of the files; 2 if any was bad. */
int run_show_keys(const ShowKeysOptions& opt);

}  // namespace pgpkit::cli
