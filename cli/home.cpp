#include "cli/home.h"

#include <CLI/CLI.hpp>

namespace pgpkit::cli {

void add_home_option(CLI::App* cmd, std::string& home) {
    cmd->add_option("--home", home, "Home folder of the key store (default: $PGPKIT_HOME, else $XDG_DATA_HOME/pgpkit)");
}

std::unique_ptr<keyring::Store> open_store(const std::string& home, bool create) {
    const std::string dir = keyring::resolve_home(home, create);
    return std::make_unique<keyring::Store>(keyring::Store::db_path_in(dir));
}

}  // namespace pgpkit::cli
