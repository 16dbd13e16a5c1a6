// `pgpkit check-sigs`: every certificate of the input with each signature's verdict and
// each component's validity, in gpg's --check-sigs style or as JSON.

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
#include "cli/input.h"
#include "cli/output.h"
#include "packet/source.h"

namespace pgpkit::cli {

namespace {

struct CheckSigsOptions {
    std::string input = "-";
    std::vector<std::string> keyrings;
    bool json = false;
    unsigned jobs = 1;
    bool allow_weak_digest = false;
    bool allow_weak_key_sigs = false;
    bool ignore_time_conflict = false;
    InputOptions in;
};

/** Reads certificates; a parse error is kept (what parsed before it is still checked). */
std::optional<Error> read_into(const std::string& path, const InputOptions& in, std::vector<cert::Cert>& out,
                               std::size_t& strays) {
    cert::ReadOptions ro;
    ro.parse = in.parse;
    cert::ReadEvents ev;
    ev.cert = [&out](cert::Cert&& c) {
        // Self-signatures out of order go back where they belong, as gpg's import does.
        cert::repair_signature_order(c);
        out.push_back(std::move(c));
    };
    ev.stray = [&strays](const packet::Packet&, const std::string&) { ++strays; };
    try {
        packet::FdSource file(path);
        cert::read_certs(file, ro, ev);
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
    const std::optional<Error> bad_input = read_into(opt.input, opt.in, certs, strays);
    for (const auto& k : opt.keyrings) {
        std::size_t ignored = 0;
        if (auto e = read_into(k, opt.in, others, ignored)) {
            std::fprintf(stderr, "pgpkit: error: %s: %s\n", k.c_str(), e->what());
            return 2;
        }
    }
    const auto now = static_cast<std::uint32_t>(std::time(nullptr));
    const cert::CheckResults res = cert::check_certs(certs, others, policy_of(opt), now, opt.jobs);
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
    cmd->add_option("file", opt->input, "Input file, or - for standard input")->capture_default_str();
    cmd->add_flag("--json", opt->json, "One JSON array of certificate objects");
    cmd->add_option("--jobs", opt->jobs, "Check certificates on N threads")->capture_default_str()
        ->check(CLI::Range(1u, 256u));
    cmd->add_option("--keyring", opt->keyrings, "Also look up issuers in this keyring file (repeatable)");
    cmd->add_flag("--allow-weak-digest-algos", opt->allow_weak_digest, "Accept MD5 signatures, as gpg's option");
    cmd->add_flag("--allow-weak-key-signatures", opt->allow_weak_key_sigs,
                  "Accept SHA-1 third-party certifications, as gpg's option");
    cmd->add_flag("--ignore-time-conflict", opt->ignore_time_conflict,
                  "Accept signatures older than their key, as gpg's option");
    add_input_options(*cmd, opt->in);
    cmd->callback([opt, &exit_code] { exit_code = run_check_sigs(*opt); });
}

}  // namespace pgpkit::cli
