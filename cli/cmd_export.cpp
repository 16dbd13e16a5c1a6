// `pgpkit export` and `pgpkit delete`: certificates and secret keys out of the store.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "armor/armor.h"
#include "base/atomic_file.h"
#include "base/error.h"
#include "cli/commands.h"
#include "cli/home.h"
#include "cli/output.h"
#include "cli/status.h"
#include "keyring/export.h"

namespace pgpkit::cli {

namespace {

struct ExportCmdOptions {
    std::string home;
    std::vector<std::string> keys;
    bool armor = false;
    bool secret = false;
    std::vector<std::string> export_options;
    std::string output;
    StatusOptions status;
};

void parse_export_options(const std::vector<std::string>& list, keyring::ExportOptions& o) {
    for (const std::string& item : list) {
        std::stringstream ss(item);
        std::string name;
        while (std::getline(ss, name, ',')) {
            if (name == "export-minimal") o.minimal = true;
            else if (name == "export-clean") o.clean = true;
            else if (!name.empty()) throw Error(Errc::Usage, 0, "unknown export option '" + name + "'");
        }
    }
}

int run_export(const ExportCmdOptions& opt) {
    keyring::ExportOptions eo;
    eo.secret = opt.secret;
    parse_export_options(opt.export_options, eo);
    StatusWriter status(opt.status);
    auto store = open_store(opt.home);
    const keyring::ExportResult r = keyring::export_keys(*store, opt.keys, eo, status.sink());
    for (const auto& s : r.not_found) std::fprintf(stderr, "pgpkit: key \"%s\" not found\n", s.c_str());
    if (r.stats.exported == 0) std::fprintf(stderr, "pgpkit: WARNING: nothing exported\n");
    // An empty export writes nothing, not an empty armor block.
    write_keys(opt.output, ByteView(r.data.data(), r.data.size()), opt.armor && !r.data.empty(),
               opt.secret ? "PRIVATE KEY BLOCK" : "PUBLIC KEY BLOCK", opt.secret ? FileMode::Secret : FileMode::Public);
    return r.not_found.empty() ? 0 : 1;
}

struct DeleteCmdOptions {
    std::string home;
    std::vector<std::string> keys;
    bool secret = false;
    bool yes = false;
    StatusOptions status;
};

int run_delete(const DeleteCmdOptions& opt) {
    if (!opt.yes) throw Error(Errc::Usage, 0, "delete changes the store: confirm with --yes");
    StatusWriter status(opt.status);
    auto store = open_store(opt.home);
    const auto outcomes = keyring::delete_keys(*store, opt.keys, opt.secret, status.sink());
    int rc = 0;
    for (const auto& o : outcomes) {
        if (!o.problem) continue;
        std::fprintf(stderr, "pgpkit: %s: %s\n", o.spec.c_str(), keyring::delete_problem_text(*o.problem));
        rc = *o.problem == keyring::DeleteProblem::NoSuchKey ? std::max(rc, 1) : 2;
    }
    return rc;
}

}  // namespace

void register_export(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<ExportCmdOptions>();
    auto* cmd = app.add_subcommand("export", "Write certificates (or secret keys) of the store, as gpg --export");
    cmd->footer("Example: pgpkit export --armor alice@example.org > alice.asc");
    cmd->add_option("keys", opt->keys, "Keys to export (gpg's forms); none = all");
    add_home_option(cmd, opt->home);
    cmd->add_flag("--armor,-a", opt->armor, "ASCII armor");
    cmd->add_flag("--secret", opt->secret, "Transferable secret keys, as gpg --export-secret-keys");
    cmd->add_option("--export-options", opt->export_options, "export-minimal, export-clean");
    cmd->add_option("--output,-o", opt->output, "Write to this file (0600 for secret keys) instead of stdout");
    add_status_options(cmd, opt->status);
    cmd->callback([opt, &exit_code] { exit_code = run_export(*opt); });
}

void register_delete(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<DeleteCmdOptions>();
    auto* cmd = app.add_subcommand("delete", "Delete certificates (or only secret keys) from the store");
    cmd->footer("Example: pgpkit delete --yes 0x71290C550806E030");
    cmd->add_option("keys", opt->keys, "Keys to delete (gpg's forms)")->required();
    add_home_option(cmd, opt->home);
    cmd->add_flag("--secret", opt->secret, "Delete only the secret keys, as gpg --delete-secret-keys");
    cmd->add_flag("--yes", opt->yes, "Do it (batch use); without it nothing is deleted");
    add_status_options(cmd, opt->status);
    cmd->callback([opt, &exit_code] { exit_code = run_delete(*opt); });
}

}  // namespace pgpkit::cli
