// `pgpkit verify [SIG] [DATA|-]`: detached, inline and cleartext signatures, as gpg
// --verify checks them, with gpg's status lines and its human lines on stderr.

#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/home.h"
#include "cli/listing_sources.h"
#include "cli/output.h"
#include "cli/status.h"
#include "cli/trust_options.h"
#include "cli/verify_render.h"
#include "message/pipemode.h"
#include "message/verify.h"
#include "packet/source.h"

namespace pgpkit::cli {

namespace {

using message::SignatureReport;

struct VerifyCmdOptions {
    KeySourceOptions src;
    TrustCliOptions trust;
    std::vector<std::string> files;
    std::string output;
    bool pipemode = false;
    StatusOptions status;
};

/** Where the signed data goes: a file (created 0644, replaced) or standard output for "-". */
std::unique_ptr<Output> open_output(const std::string& path, int& fd) {
    if (path.empty()) return nullptr;
    if (path == "-") return std::make_unique<Output>(1);
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(Errc::Io, 0, "cannot create " + path);
    return std::make_unique<Output>(fd);
}

/**
 * gpg's guess for a lone detached signature FILE.sig or FILE.asc (or .sign): the signed
 * data is FILE, when it exists and the signature file holds only signatures. Else "".
 */
std::string assumed_data(const VerifyCmdOptions& opt, const packet::Limits& limits) {
    if (opt.files.size() != 1 || opt.files[0] == "-") return {};
    const std::string& f = opt.files[0];
    std::string data;
    for (const char* ext : {".sig", ".asc", ".sign"}) {
        const std::size_t n = std::strlen(ext);
        if (f.size() > n && f.compare(f.size() - n, n, ext) == 0) data = f.substr(0, f.size() - n);
    }
    if (data.empty() || ::access(data.c_str(), R_OK) != 0) return {};
    packet::FdSource sig(f);
    return message::is_detached_signature(sig, limits) ? data : std::string();
}

/** --pipemode: the operations of the input in turn; exit 2 after a protocol error, 1 if one was not good. */
int run_pipemode(const VerifyCmdOptions& opt, const message::VerifyOptions& vo) {
    if (opt.files.size() > 1) throw Error(Errc::Usage, 0, "--pipemode reads one input (a file, or stdin)");
    packet::FdSource in(opt.files.empty() ? "-" : opt.files[0]);
    message::PipemodeHandlers h;
    h.result = [](const message::VerifyResult& r) {
        for (const SignatureReport& s : r.sigs) render(s);
    };
    h.error = [](const Error& e) { std::fprintf(stderr, "pgpkit: error: %s\n", e.what()); };
    const message::PipemodeResult r = message::run_pipemode(in, vo, h);
    if (r.errors) return 2;
    return r.all_good == r.operations ? 0 : 1;
}

int run_verify(const VerifyCmdOptions& opt) {
    if (opt.files.size() > 2) throw Error(Errc::Usage, 0, "verify takes at most a signature and a data file");
    const auto now = static_cast<std::uint32_t>(faked_now(opt.trust.faked_time));
    keyring::Sources sources = keyring_sources(opt.src);
    if (!opt.src.no_default_keyring) sources.add_store(opt.src.home);
    StatusWriter status(opt.status);
    TrustOracle oracle(opt.src, opt.trust, now);
    message::VerifyOptions vo;
    vo.keys = message::lookup_in(sources);
    vo.now = now;
    vo.limits = opt.src.in.parse.limits;
    vo.trust_model = opt.trust.model;
    vo.trust = [&oracle](const cert::Cert& c) { return oracle(c); };
    if (status.enabled()) vo.status = status.sink();
    if (opt.pipemode) return run_pipemode(opt, vo);
    int fd = -1;
    std::unique_ptr<Output> out = open_output(opt.output, fd);
    if (out) vo.output = [&out](ByteView d) { out->put(std::string_view(reinterpret_cast<const char*>(d.data()), d.size())); };
    message::VerifyResult result;
    if (opt.files.size() == 2) {
        packet::FdSource sig(opt.files[0]);
        packet::FdSource data(opt.files[1]);
        result = message::verify_detached(sig, data, vo);
    } else if (const std::string data = assumed_data(opt, vo.limits); !data.empty()) {
        say("assuming signed data in '" + data + "'");
        packet::FdSource sig(opt.files[0]);
        packet::FdSource in(data);
        result = message::verify_detached(sig, in, vo);
    } else {
        packet::FdSource in(opt.files.empty() ? "-" : opt.files[0]);
        result = message::verify_message(in, vo);
    }
    if (out) out->flush();
    if (fd >= 0 && ::close(fd) != 0) throw Error(Errc::Io, 0, "cannot write " + opt.output);
    for (const SignatureReport& r : result.sigs) render(r);
    return result.all_good() ? 0 : 1;
}

}  // namespace

void register_verify(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<VerifyCmdOptions>();
    auto* cmd = app.add_subcommand("verify", "Check detached, inline or cleartext signatures (as gpg --verify)");
    cmd->footer("Example: pgpkit verify --status-fd 1 release.tar.gz.asc release.tar.gz");
    cmd->add_option("files", opt->files, "SIG DATA (detached), or one signed message; - or nothing for stdin");
    cmd->add_option("-o,--output", opt->output, "Write the signed data of an inline or cleartext message here (- for stdout)");
    cmd->add_flag("--pipemode", opt->pipemode,
                  "Verify many detached signatures from one stream (GnuPG 1.x doc/DETAILS, Pipemode)");
    add_key_source_options(*cmd, opt->src, "Also look up keys in this keyring or keybox file (repeatable)",
                           "Threads (unused by verify; accepted as other commands take it)");
    add_store_options(*cmd, opt->src);
    add_trust_options(*cmd, opt->trust);
    add_status_options(cmd, opt->status);
    cmd->callback([opt, &exit_code] { exit_code = run_verify(*opt); });
}

}  // namespace pgpkit::cli
