// `pgpkit sop ...` under the CLI11 command tree, and the `pgpkit-sop` program name. The sop
// arguments are not parsed by CLI11: the draft's own option rules and exit codes apply.

#include <CLI/CLI.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/sop/sop.h"

namespace pgpkit::cli {

void register_sop(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("sop", "Stateless OpenPGP (draft-dkg-openpgp-stateless-cli); also pgpkit-sop");
    cmd->prefix_command();
    cmd->set_help_flag();
    cmd->allow_extras();
    cmd->callback([cmd, &exit_code] { exit_code = sop::run_sop(cmd->remaining()); });
}

int run_sop_main(int argc, char** argv) {
    std::vector<std::string> args(argv, argv + argc);
    return sop::run_sop(args);
}

bool invoked_as_sop(const char* argv0) {
    const char* slash = std::strrchr(argv0, '/');
    return std::strcmp(slash ? slash + 1 : argv0, "pgpkit-sop") == 0;
}

}  // namespace pgpkit::cli
