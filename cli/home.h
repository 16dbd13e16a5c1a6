#pragma once
// The --home option shared by the subcommands that use the key store.

#include <memory>
#include <string>

#include "keyring/store.h"

namespace CLI {
class App;
}

namespace pgpkit::cli {

/** Adds --home DIR (default: $PGPKIT_HOME, else $XDG_DATA_HOME/pgpkit). */
void add_home_option(CLI::App* cmd, std::string& home);

/** Opens keys.db in the home folder, creating both when `create`. */
[[nodiscard]] std::unique_ptr<keyring::Store> open_store(const std::string& home, bool create = true);

}  // namespace pgpkit::cli
