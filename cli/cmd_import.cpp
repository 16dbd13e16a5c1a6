// `pgpkit import`: certificates, secret keys and revocation certificates into the store,
// as gpg --import, with gpg's log lines, summary and status lines.

#include <CLI/CLI.hpp>

#include <sys/stat.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/home.h"
#include "cli/input.h"
#include "cli/progress.h"
#include "cli/show_keys.h"
#include "cli/status.h"
#include "keyring/import.h"
#include "packet/source.h"

namespace pgpkit::cli {

namespace {

struct ImportCmdOptions {
    std::string home;
    std::vector<std::string> files;
    std::vector<std::string> import_options;
    bool allow_weak_digest = false;
    bool allow_weak_key_sigs = false;
    bool quiet = false;
    bool with_colons = false;  ///< for show-only
    StatusOptions status;
    InputOptions in;
};

/** gpg's --import-options, each also with a "no-" prefix; `show_only` for show-only. */
void parse_import_options(const std::vector<std::string>& list, keyring::ImportOptions& o, bool& show_only) {
    for (const std::string& item : list) {
        std::stringstream ss(item);
        std::string name;
        while (std::getline(ss, name, ',')) {
            if (name.empty()) continue;
            const bool on = name.rfind("no-", 0) != 0;
            const std::string key = on ? name : name.substr(3);
            if (key == "self-sigs-only") o.self_sigs_only = on;
            else if (key == "import-clean") o.import_clean = on;
            else if (key == "import-minimal") o.import_minimal = on;
            else if (key == "merge-only") o.merge_only = on;
            else if (key == "repair-keys") o.repair_keys = on;
            else if (key == "import-local-sigs") o.import_local_sigs = on;
            else if (key == "show-only") show_only = on;
            else if (key == "v4-only") o.accept_v5_v6 = !on;  // pgpkit's: skip v5/v6 keys as gpg 2.2
            else throw Error(Errc::Usage, 0, "unknown import option '" + name + "'");
        }
    }
}

std::optional<std::uint64_t> file_size(const std::string& path) {
    struct stat st {};
    if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return static_cast<std::uint64_t>(st.st_size);
}

/** gpg --import --import-options show-only: the listing of show-keys, nothing stored. */
ShowKeysOptions show_options(const ImportCmdOptions& opt, const keyring::ImportOptions& import) {
    ShowKeysOptions so;
    so.home = opt.home;
    so.files = opt.files;
    so.import = import;
    so.with_colons = opt.with_colons;
    so.in = opt.in;
    return so;
}

int run_import(const ImportCmdOptions& opt) {
    keyring::ImportRunOptions ro;
    bool show_only = false;
    parse_import_options(opt.import_options, ro.import, show_only);
    if (show_only) return run_show_keys(show_options(opt, ro.import));
    if (opt.allow_weak_digest) ro.policy.rejected_hashes.clear();
    if (opt.allow_weak_key_sigs) ro.policy.sha1_cert_cutoff.reset();
    ro.parse = opt.in.parse;
    StatusWriter status(opt.status);
    auto store = open_store(opt.home);
    Progress progress("importing");
    const packet::Source* current = nullptr;
    std::optional<std::uint64_t> total;
    keyring::ImportEvents ev;
    ev.status = status.sink();
    ev.log = [&](const std::string& line) {
        progress.clear();
        if (!opt.quiet) std::fprintf(stderr, "pgpkit: %s\n", line.c_str());
    };
    ev.error = [&](const std::string& line) {
        progress.clear();
        std::fprintf(stderr, "pgpkit: error: %s\n", line.c_str());
    };
    ev.progress = [&](const keyring::ImportProgress& p) {
        progress.update(current ? current->offset() : p.offset, total, p.keyblocks);
    };
    keyring::Importer importer(*store, ro, ev);
    const std::vector<std::string> files = opt.files.empty() ? std::vector<std::string>{"-"} : opt.files;
    for (const std::string& f : files) {
        packet::FdSource src(f);
        current = &src;
        total = file_size(f);
        progress.rename("importing " + (f == "-" ? std::string("standard input") : f));
        importer.read(src, f == "-" ? "standard input" : f);
        current = nullptr;
    }
    const keyring::ImportStats& stats = importer.finish();
    progress.clear();
    if (!opt.quiet)
        for (const std::string& line : keyring::summary_lines(stats)) std::fprintf(stderr, "pgpkit: %s\n", line.c_str());
    return importer.errors() ? 2 : 0;
}

}  // namespace

void register_import(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<ImportCmdOptions>();
    auto* cmd = app.add_subcommand("import", "Import certificates, secret keys and revocations into the store, "
                                             "as gpg --import");
    cmd->footer("Example: pgpkit import --import-options import-clean --status-fd 1 ~/.gnupg/pubring.kbx");
    cmd->add_option("files", opt->files, "Keyring files (binary, armored or GnuPG keybox); none or - = stdin");
    add_home_option(cmd, opt->home);
    cmd->add_option("--import-options", opt->import_options,
                    "self-sigs-only, import-clean, import-minimal, merge-only, repair-keys, import-local-sigs, "
                    "v4-only (skip v5/v6 keys as gpg 2.2 does), show-only (list them as show-keys, store nothing) "
                    "(comma-separated; no- prefix turns one off)")
        ->allow_extra_args(false);  // one value per option, as gpg: a file may follow
    cmd->add_flag("--allow-weak-digest-algos", opt->allow_weak_digest, "Accept MD5 self-signatures, as gpg's option");
    cmd->add_flag("--allow-weak-key-signatures", opt->allow_weak_key_sigs,
                  "Accept SHA-1 key signatures made after 2019-01-19, as gpg's option");
    cmd->add_flag("--with-colons", opt->with_colons, "With show-only: colon records");
    cmd->add_flag("--quiet,-q", opt->quiet, "No log lines or summary (errors are still printed)");
    add_status_options(cmd, opt->status);
    add_input_options(*cmd, opt->in);
    cmd->callback([opt, &exit_code] { exit_code = run_import(*opt); });
}

}  // namespace pgpkit::cli
