// `pgpkit keyserver legacy ADDRESS noop|get|put|delete [ARG]`: one request of the legacy
// keyserver protocol (keyserver/legacy_client.h), for tests and operators.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "base/error.h"
#include "cli/commands.h"
#include "keyserver/legacy_client.h"
#include "packet/source.h"

namespace pgpkit::cli {

namespace {

struct LegacyCmdOptions {
    std::string address;
    std::string command;
    std::string arg;
    double timeout = 30;
};

keyserver::LegacyRequest request_of(const LegacyCmdOptions& o) {
    keyserver::LegacyRequest r;
    const auto text = [](const std::string& s) { return Bytes(s.begin(), s.end()); };
    if (o.command == "noop") {
        r.command = keyserver::LegacyCommand::Noop;
    } else if (o.command == "get" || o.command == "delete") {
        if (o.arg.empty()) throw Error(Errc::Usage, 0, o.command + " needs a " + (o.command == "get" ? "search" : "fingerprint"));
        r.command = o.command == "get" ? keyserver::LegacyCommand::Get : keyserver::LegacyCommand::Delete;
        r.data = text(o.arg);
    } else {
        r.command = keyserver::LegacyCommand::Put;
        r.data = packet::read_file(o.arg.empty() ? "-" : o.arg);
    }
    return r;
}

/** 0 for success, 1 for "no" (not found, refused), 2 for bad input and server failures. */
int exit_of(unsigned code) {
    if (code >= 200 && code < 300) return 0;
    if (code == 400 || code == 413 || code == 422 || code >= 500) return 2;
    return 1;
}

int run_legacy(const LegacyCmdOptions& o) {
    keyserver::LegacyClientOptions co;
    co.timeout_ms = static_cast<unsigned>(o.timeout * 1000);
    const auto res = keyserver::legacy_request(o.address, request_of(o), co);
    std::fprintf(stderr, "pgpkit: GNUPG/1.0 %u %s\n", res.code, res.text.c_str());
    std::fwrite(res.data.data(), 1, res.data.size(), stdout);
    std::fflush(stdout);
    return exit_of(res.code);
}

}  // namespace

void register_keyserver_legacy(CLI::App& keyserver_cmd, int& exit_code) {
    auto o = std::make_shared<LegacyCmdOptions>();
    auto* cmd = keyserver_cmd.add_subcommand("legacy", "One request of GnuPG 1.x's keyserver message protocol");
    cmd->footer("Example: pgpkit keyserver legacy unix:/run/pgpkit/legacy.sock get alice@example.org");
    cmd->add_option("address", o->address, "HOST:PORT or unix:PATH")->required();
    cmd->add_option("command", o->command, "noop, get SEARCH, put [FILE|-], delete FINGERPRINT")
        ->required()
        ->check(CLI::IsMember({"noop", "get", "put", "delete"}));
    cmd->add_option("arg", o->arg, "The search, the keyring file or the fingerprint");
    cmd->add_option("--timeout", o->timeout, "Seconds for the whole request (default 30)");
    cmd->callback([o, &exit_code] { exit_code = run_legacy(*o); });
}

}  // namespace pgpkit::cli
