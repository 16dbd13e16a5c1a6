// `pgpkit serve`: the HKP keyserver (keyserver/hkp_server.h) on the key store.

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/error.h"
#include "cli/commands.h"
#include "keyring/store.h"
#include "keyserver/hkp_server.h"
#include "keyserver/legacy_server.h"
#include "keyserver/server_store.h"

namespace pgpkit::cli {

namespace {

struct ServeCmdOptions {
    std::string db;
    std::string home;
    std::vector<std::string> listen;
    std::vector<std::string> legacy_listen;
    bool allow_delete = false;
    bool strip_third_party = false;
    bool no_word_search = false;
    std::size_t max_key_size = std::size_t{8} << 20;
    unsigned threads = 0;
};

/** --db as open_keyserver_store takes it; the home folder's keys.db by default. */
std::string store_spec(const ServeCmdOptions& opt) {
    if (opt.db.empty()) return "sqlite:" + keyring::Store::db_path_in(keyring::resolve_home(opt.home));
    return opt.db;
}

keyserver::ServerOptions http_options(const ServeCmdOptions& opt) {
    keyserver::ServerOptions so;
    if (!opt.listen.empty()) so.listen = opt.listen;
    so.threads = opt.threads;
    // A form-encoded key text is up to three times its size.
    so.max_body_bytes = opt.max_key_size * 3 + 4096;
    so.handler.strip_third_party = opt.strip_third_party;
    so.handler.word_search = !opt.no_word_search;
    return so;
}

/** The access log and errors on stderr, one line at a time from any server thread. */
keyserver::ServerEvents log_events() {
    auto log_mutex = std::make_shared<std::mutex>();
    keyserver::ServerEvents ev;
    ev.access = [log_mutex](const keyserver::AccessEvent& e) {
        const std::string line = keyserver::format_access(e) + "\n";
        std::lock_guard lock(*log_mutex);
        std::fputs(line.c_str(), stderr);
    };
    ev.error = [log_mutex](const std::string& what) {
        std::lock_guard lock(*log_mutex);
        std::fprintf(stderr, "pgpkit: serve: %s\n", what.c_str());
    };
    return ev;
}

/** SIGTERM and SIGINT, blocked before any server thread starts so that all inherit the mask. */
sigset_t block_stop_signals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return signals;
}

int run_serve(const ServeCmdOptions& opt) {
    keyserver::UploadLimits limits;
    limits.max_bytes = opt.max_key_size;
    limits.max_keyblock_bytes = std::min(limits.max_keyblock_bytes, opt.max_key_size);
    const auto owned = keyserver::open_keyserver_store(store_spec(opt), limits);
    keyserver::KeyserverStore& store = *owned;
    const keyserver::ServerOptions so = http_options(opt);
    const keyserver::ServerEvents ev = log_events();
    sigset_t signals = block_stop_signals();

    keyserver::HkpServer server(store, so, ev);
    server.start();
    const auto ports = server.ports();
    for (std::size_t i = 0; i < ports.size(); ++i) {
        const auto [host, port] = keyserver::parse_listen(so.listen[i]);
        std::fprintf(stderr, "pgpkit: serve: listening on %s:%u (%s)\n", host.c_str(), ports[i], store.engine().c_str());
    }
    keyserver::LegacyOptions lo;
    lo.listen = opt.legacy_listen;
    lo.allow_delete = opt.allow_delete;
    lo.max_data = opt.max_key_size;
    lo.handler = so.handler;
    keyserver::LegacyServer legacy(store, lo, ev);
    if (!lo.listen.empty()) legacy.start();
    const auto legacy_ports = legacy.ports();
    for (std::size_t i = 0; i < legacy_ports.size(); ++i) {
        const std::string where = legacy_ports[i] ? keyserver::parse_listen(lo.listen[i]).first + ":" +
                                                        std::to_string(legacy_ports[i])
                                                  : lo.listen[i];
        std::fprintf(stderr, "pgpkit: serve: legacy protocol on %s\n", where.c_str());
    }
    std::fflush(stderr);
    int sig = 0;
    sigwait(&signals, &sig);
    std::fprintf(stderr, "pgpkit: serve: %s, stopping\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    legacy.stop();
    server.stop();
    return 0;
}

}  // namespace

void register_serve(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<ServeCmdOptions>();
    auto* cmd = app.add_subcommand("serve", "Run an HKP keyserver on the key store (no TLS: put it behind a proxy)");
    cmd->footer("Example: pgpkit serve --listen 127.0.0.1:11371 --db postgresql://keys@db/hkp");
    cmd->add_option("--db", opt->db, "sqlite:PATH or postgresql://... (a libpq URI; default: keys.db of the home folder)");
    cmd->add_option("--home", opt->home, "Home folder of the key store (default: $PGPKIT_HOME, else $XDG_DATA_HOME/pgpkit)");
    cmd->add_option("--listen", opt->listen, "HOST:PORT to listen on, repeatable (default 127.0.0.1:11371)");
    cmd->add_option("--legacy-listen", opt->legacy_listen,
                    "HOST:PORT or unix:PATH for GnuPG 1.x's keyserver message protocol, repeatable");
    cmd->add_flag("--allow-delete", opt->allow_delete, "Accept the legacy protocol's DELETE on its unix sockets");
    cmd->add_flag("--strip-third-party", opt->strip_third_party, "Serve certificates without third-party certifications");
    cmd->add_flag("--no-word-search", opt->no_word_search, "Answer word searches with 501");
    cmd->add_option("--max-key-size", opt->max_key_size, "Largest key text accepted by /pks/add, in octets");
    cmd->add_option("--threads", opt->threads, "Server threads (default: one per core)");
    cmd->callback([opt, &exit_code] { exit_code = run_serve(*opt); });
}

}  // namespace pgpkit::cli
