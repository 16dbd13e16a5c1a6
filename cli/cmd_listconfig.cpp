// `pgpkit list-config [--with-colons] [ITEM...]`: what this build supports, as gpg's
// `--list-config --with-colons` lists it (cfg records). The records are the listing in both
// forms: gpg prints nothing without --with-colons, which helps nobody.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/output.h"
#include "keyring/config.h"

namespace pgpkit::cli {

namespace {

struct ListConfigOptions {
    std::vector<std::string> items;
    bool with_colons = false;
};

int run_list_config(const ListConfigOptions& opt) {
    Output out;
    for (const auto& r : keyring::config_records(opt.items)) out.put(r.line()).put('\n');
    out.flush();
    const auto unknown = keyring::unknown_config_items(opt.items);
    for (const std::string& u : unknown) std::fprintf(stderr, "pgpkit: unknown configuration item '%s'\n", u.c_str());
    return unknown.empty() ? 0 : 2;
}

}  // namespace

void register_list_config(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<ListConfigOptions>();
    auto* cmd = app.add_subcommand("list-config", "What this build supports, as gpg --list-config --with-colons");
    cmd->add_option("items", opt->items, "version, pubkey, pubkeyname, cipher, ciphername, digest, digestname, "
                                         "compress, compressname, curve; none = all");
    cmd->add_flag("--with-colons", opt->with_colons, "Accepted for gpg's command line; the listing is cfg records");
    cmd->footer("Example: pgpkit list-config --with-colons pubkey curve");
    cmd->callback([opt, &exit_code] { exit_code = run_list_config(*opt); });
}

}  // namespace pgpkit::cli
