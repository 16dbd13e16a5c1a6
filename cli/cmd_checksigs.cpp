// `pgpkit check-sigs`: every certificate of the input (a keyring or keybox file) with each
// signature's verdict and each component's validity, in gpg's --check-sigs style or as JSON.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "cert/cert.h"
#include "cert/repair.h"
#include "cert/validity.h"
#include "cli/checksigs_render.h"
#include "cli/commands.h"
#include "cli/listing_sources.h"
#include "cli/output.h"
#include "keyring/sources.h"

namespace pgpkit::cli {

namespace {

struct CheckSigsOptions {
    std::string input = "-";
    KeySourceOptions src;
    bool json = false;
    bool allow_weak_digest = false;
    bool allow_weak_key_sigs = false;
    bool ignore_time_conflict = false;
};

/**
 * Reads every certificate of `sources`; a read error is returned (what was read before it
 * is still checked). Self-signatures out of order go back where they belong when `repair`,
 * as gpg's import does.
 */
std::optional<Error> read_all(keyring::Sources& sources, const keyring::SourceReadOptions& ro, bool repair,
                              std::vector<cert::Cert>& out) {
    try {
        sources.for_each(ro, [&](keyring::SourcedCert&& c) {
            if (repair) cert::repair_signature_order(c.cert);
            out.push_back(std::move(c.cert));
            return true;
        });
    } catch (const Error& e) {
        return e;
    }
    return std::nullopt;
}

cert::Policy policy_of(const CheckSigsOptions& opt) {
    cert::Policy p;
    if (opt.allow_weak_digest) p.rejected_hashes.clear();
    if (opt.allow_weak_key_sigs) p.sha1_cert_cutoff.reset();
    p.reject_time_conflict = !opt.ignore_time_conflict;
    return p;
}

int run_check_sigs(const CheckSigsOptions& opt) {
    std::vector<cert::Cert> certs, others;
    std::size_t strays = 0;
    keyring::SourceReadOptions ro = read_options(opt.src);
    keyring::Sources keyrings = keyring_sources(opt.src);
    if (auto e = read_all(keyrings, ro, true, others)) {
        std::fprintf(stderr, "pgpkit: error: %s\n", e->what());
        return 2;
    }
    ro.stray = [&strays](const keyring::CertSource&, const packet::Packet&, const std::string&) { ++strays; };
    keyring::Sources input;
    std::optional<Error> bad_input;
    try {
        input.add_file(opt.input);
        bad_input = read_all(input, ro, true, certs);
    } catch (const Error& e) {
        bad_input = e;
    }
    const auto now = static_cast<std::uint32_t>(std::time(nullptr));
    const cert::CheckResults res = cert::check_certs(certs, others, policy_of(opt), now, opt.src.jobs);
    const auto& reports = res.reports;
    const auto& index = res.index;

    Output out(1);
    const SigTally tally = opt.json ? render_checks_json(out, certs, reports, index)
                                    : render_checks_text(out, certs, reports, index);
    out.flush();
    if (!opt.json) print_tally(tally);
    if (strays) std::fprintf(stderr, "pgpkit: %zu packets before the first primary key were skipped\n", strays);
    if (bad_input) {
        std::fprintf(stderr, "pgpkit: error: %s\n", bad_input->what());
        return 2;
    }
    return tally.bad ? 1 : 0;
}

}  // namespace

void register_check_sigs(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<CheckSigsOptions>();
    auto* cmd = app.add_subcommand("check-sigs", "Check every signature of every certificate (like gpg --check-sigs)");
    cmd->footer("Example: pgpkit check-sigs --json --keyring debian-keyring.gpg signed-key.asc");
    cmd->add_option("file", opt->input, "Input file, or - for standard input")->capture_default_str();
    cmd->add_flag("--json", opt->json, "One JSON array of certificate objects");
    add_key_source_options(*cmd, opt->src, "Also look up issuers in this keyring or keybox file (repeatable)",
                           "Check certificates on N threads");
    cmd->add_flag("--allow-weak-digest-algos", opt->allow_weak_digest, "Accept MD5 signatures, as gpg's option");
    cmd->add_flag("--allow-weak-key-signatures", opt->allow_weak_key_sigs,
                  "Accept SHA-1 third-party certifications, as gpg's option");
    cmd->add_flag("--ignore-time-conflict", opt->ignore_time_conflict,
                  "Accept signatures older than their key, as gpg's option");
    cmd->callback([opt, &exit_code] { exit_code = run_check_sigs(*opt); });
}

}  // namespace pgpkit::cli
