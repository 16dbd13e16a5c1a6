// `pgpkit sign`: inline (default), detached and cleartext signatures with the secret keys
// of the store, as gpg --sign, --detach-sign and --clearsign make them.

#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "cert/cert.h"
#include "cli/commands.h"
#include "cli/home.h"
#include "cli/output.h"
#include "cli/passphrase.h"
#include "cli/status.h"
#include "cli/trust_options.h"
#include "keyring/store.h"
#include "message/sign.h"
#include "message/signers.h"
#include "packet/source.h"

namespace pgpkit::cli {

namespace {

struct SignCmdOptions {
    std::string home;
    std::string input;
    std::string output;
    std::vector<std::string> users;
    bool detach = false;
    bool clearsign = false;
    bool armor = false;
    bool textmode = false;
    std::string faked_time;
    PassphraseOptions pass;
    StatusOptions status;
};

std::string base_name(const std::string& path) {
    if (path.empty() || path == "-") return {};
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

int run_sign(const SignCmdOptions& opt) {
    if (opt.detach && opt.clearsign) throw Error(Errc::Usage, 0, "--detach-sign and --clearsign exclude each other");
    const auto now = static_cast<std::uint32_t>(faked_now(opt.faked_time));
    std::unique_ptr<keyring::Store> store = open_store(opt.home, false);
    const std::optional<SecretBytes> pass = read_passphrase(opt.pass);
    StatusWriter status(opt.status);
    std::vector<message::SigningKey> keys;
    for (const cert::Tsk& t : message::find_signers(*store, opt.users, now)) {
        // gpg's look-up of its default key considers the certificate first.
        if (opt.users.empty() && status.enabled()) status.write("KEY_CONSIDERED", {to_hex(t.fingerprint()), "0"});
        keys.push_back(message::signing_key(t, now, pass));
    }
    message::SignOptions so;
    so.mode = opt.clearsign ? message::SignMode::Cleartext
              : opt.detach  ? message::SignMode::Detached
                            : message::SignMode::Inline;
    so.armor = opt.armor;
    so.text = opt.textmode;
    so.now = now;
    so.filename = base_name(opt.input);
    so.literal_date = now;
    if (status.enabled()) so.status = status.sink();
    packet::FdSource in(opt.input.empty() ? "-" : opt.input);
    int fd = 1;
    if (!opt.output.empty() && opt.output != "-") {
        fd = ::open(opt.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) throw Error(Errc::Io, 0, "cannot create " + opt.output);
    }
    {
        Output out(fd);
        crypto::Rng rng = crypto::Rng::system();
        message::sign(in, keys, so, rng, [&out](ByteView b) {
            out.put(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
        });
        out.flush();
    }
    if (fd != 1 && ::close(fd) != 0) throw Error(Errc::Io, 0, "cannot write " + opt.output);
    return 0;
}

}  // namespace

void register_sign(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<SignCmdOptions>();
    auto* cmd = app.add_subcommand("sign", "Sign data: inline (default), detached or cleartext (as gpg --sign)");
    cmd->footer("Example: pgpkit sign --detach --armor -u alice@example.org -o release.tar.gz.asc release.tar.gz");
    cmd->add_option("file", opt->input, "Data to sign; - or nothing for stdin");
    cmd->add_option("-o,--output", opt->output, "Write here instead of stdout");
    cmd->add_option("-u,--local-user", opt->users, "Sign with this key (repeatable; default: the first usable secret key)")
        ->allow_extra_args(false);
    cmd->add_flag("-b,--detach-sign,--detach", opt->detach, "Make a detached signature");
    cmd->add_flag("--clearsign,--clear-sign", opt->clearsign, "Make a cleartext signed message");
    cmd->add_flag("-a,--armor", opt->armor, "ASCII-armor the output");
    cmd->add_flag("-t,--textmode", opt->textmode, "Text signatures (canonical line ends)");
    cmd->add_option("--faked-system-time", opt->faked_time, "Sign as if it were this time (seconds or ISO)");
    add_home_option(cmd, opt->home);
    add_passphrase_options(*cmd, opt->pass);
    add_status_options(cmd, opt->status);
    cmd->callback([opt, &exit_code] { exit_code = run_sign(*opt); });
}

}  // namespace pgpkit::cli
