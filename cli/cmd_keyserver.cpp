// `pgpkit keyserver search|recv|send|refresh|list|add|remove|default|test`: the HKP client
// (keyserver/) and the keyserver list in <home>/keyservers.conf.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/home.h"
#include "cli/keyserver_render.h"
#include "cli/progress.h"
#include "keyring/import.h"
#include "keyring/spec.h"
#include "keyserver/fetch.h"
#include "keyserver/hkp_client.h"
#include "keyserver/keyserver_list.h"

namespace pgpkit::cli {

namespace {

struct KsOptions {
    std::string home;
    std::string keyserver;
    std::string protocol;  ///< "", "hkp" or "vks"
    double connect_timeout = 10;
    double timeout = 30;
    int retries = 2;
    std::string proxy;
    std::string ca_file;
    std::size_t max_answer_mib = 64;
    unsigned jobs = 4;
    bool keep_third_party = false;
    bool import_clean = false;
    bool request_verify = false;
    bool json = false;
    bool quiet = false;
    bool vks_marker = false;
    std::string import_list;
    bool import_all = false;
    std::vector<std::string> args;
};

std::string conf_path(const std::string& home) {
    return keyring::resolve_home(home, true) + "/" + std::string(keyserver::keyservers_conf_name);
}

keyserver::KeyserverList load_list(const KsOptions& o) { return keyserver::KeyserverList::load(conf_path(o.home)); }

/**
 * The servers of this call, in the order they are asked: --keyserver alone, else the
 * list's default and then the other listed servers (asked when one is unavailable).
 */
std::vector<keyserver::KeyserverEntry> servers_of(const KsOptions& o) {
    const auto list = load_list(o);
    auto servers = o.keyserver.empty() ? list.in_order() : std::vector{list.lookup(o.keyserver)};
    for (auto& e : servers) {
        if (o.protocol == "vks") e.vks = true;
        else if (o.protocol == "hkp") e.vks = false;
    }
    return servers;
}

keyserver::HttpOptions http_options(const KsOptions& o) {
    keyserver::HttpOptions h;
    h.connect_timeout_ms = static_cast<long>(o.connect_timeout * 1000);
    h.total_timeout_ms = static_cast<long>(o.timeout * 1000);
    h.retries = o.retries;
    h.proxy = o.proxy;
    h.ca_file = o.ca_file;
    h.max_response = o.max_answer_mib << 20;
    return h;
}

void say(const KsOptions& o, const std::string& line) {
    if (!o.quiet) std::fprintf(stderr, "pgpkit: %s\n", line.c_str());
}

/** Key IDs and fingerprints of recv's arguments (other query forms are usage errors). */
std::vector<Bytes> key_ids(const std::vector<std::string>& args) {
    std::vector<Bytes> ids;
    for (const auto& a : args) {
        const auto q = keyserver::classify_query(a);
        if (q.kind != keyserver::QueryKind::ShortKeyId && q.kind != keyserver::QueryKind::LongKeyId &&
            q.kind != keyserver::QueryKind::Fingerprint)
            throw Error(Errc::Usage, 0, "'" + a + "' is not a key ID or fingerprint");
        ids.push_back(keyserver::query_id(q));
    }
    return ids;
}

/** Fetches, imports and reports; exit 0 when every key was looked up (and, for recv, found). */
int fetch_and_import(const KsOptions& o, const std::vector<Bytes>& ids, bool refresh) {
    const auto servers = servers_of(o);
    keyserver::FetchOptions fo;
    fo.http = http_options(o);
    fo.jobs = refresh ? o.jobs : std::min<unsigned>(o.jobs, 4);
    say(o, "data source: " + servers.front().url);
    Progress progress(refresh ? "refreshing" : "receiving");
    const auto fetched = keyserver::fetch_keys(servers, ids, fo, [&](std::size_t done, std::size_t total) {
        progress.update(done, total, done);
    });
    progress.clear();
    std::set<std::string> others;
    for (const auto& f : fetched) {
        for (const auto& line : f.certs.refused) std::fprintf(stderr, "pgpkit: %s\n", line.c_str());
        if (f.server != servers.front().url) others.insert(f.server);
    }
    for (const auto& url : others) say(o, "data source: " + url + " (the first server was unavailable)");
    auto store = open_store(o.home);
    keyring::ImportEvents ev;
    ev.log = [&](const std::string& line) { say(o, line); };
    ev.error = [&](const std::string& line) { std::fprintf(stderr, "pgpkit: error: %s\n", line.c_str()); };
    keyring::ImportStats stats;
    const auto reports = keyserver::import_fetched(*store, fetched, {o.keep_third_party, o.import_clean}, ev, stats);
    bool all_looked_up = true, all_found = true;
    for (const auto& r : reports) {
        const bool failed = r.outcome == keyserver::KeyOutcome::Failed || r.outcome == keyserver::KeyOutcome::Refused;
        all_looked_up = all_looked_up && !failed;
        all_found = all_found && !failed && r.outcome != keyserver::KeyOutcome::NotOnServer;
        std::printf("%s: %s\n", to_hex(r.fingerprints.empty() ? r.id : r.fingerprints[0]).c_str(),
                    describe_report(r).c_str());
    }
    if (!o.quiet)
        for (const std::string& line : keyring::summary_lines(stats)) std::fprintf(stderr, "pgpkit: %s\n", line.c_str());
    return (refresh ? all_looked_up : all_found) ? 0 : 1;
}

/** "1,3" or "1-3,5" -> 1-based numbers. */
std::set<std::size_t> parse_numbers(const std::string& list, std::size_t max) {
    std::set<std::size_t> out;
    std::stringstream ss(list);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item.empty()) continue;
        std::size_t lo = 0, hi = 0;
        const auto dash = item.find('-');
        try {
            lo = std::stoul(item.substr(0, dash));
            hi = dash == std::string::npos ? lo : std::stoul(item.substr(dash + 1));
        } catch (const std::exception&) {
            throw Error(Errc::Usage, 0, "--import: '" + item + "' is not a number or range");
        }
        if (lo < 1 || hi > max || lo > hi)
            throw Error(Errc::Usage, 0, "--import: " + item + " is not within 1-" + std::to_string(max));
        for (std::size_t i = lo; i <= hi; ++i) out.insert(i);
    }
    return out;
}

int run_search(const KsOptions& o) {
    std::string text;
    for (const auto& a : o.args) text += (text.empty() ? "" : " ") + a;
    const auto found = keyserver::search_keys(servers_of(o), keyserver::classify_query(text), http_options(o));
    const auto& r = found.result;
    const keyserver::KeyserverEntry server{found.server, false};
    for (const auto& w : r.warnings) say(o, "warning: index " + to_string(w));
    if (r.outcome == keyserver::Outcome::NotFound) {
        if (o.json) std::printf("[]\n");
        say(o, "no keys found on " + server.url);
        return 1;
    }
    if (!r.ok()) throw Error(Errc::Io, 0, server.url + ": " + keyserver::outcome_name(r.outcome) + ": " + r.message);
    if (o.json) std::fputs(render_index_json(r.entries).c_str(), stdout);
    else {
        std::printf("data source: %s\n", server.url.c_str());
        std::fputs(render_index_text(r.entries).c_str(), stdout);
    }
    std::fflush(stdout);
    if (o.import_list.empty() && !o.import_all) return 0;
    std::set<std::size_t> pick;
    if (o.import_all) for (std::size_t i = 1; i <= r.entries.size(); ++i) pick.insert(i);
    else pick = parse_numbers(o.import_list, r.entries.size());
    std::vector<Bytes> ids;
    for (std::size_t i : pick) ids.push_back(keyserver::query_id(keyserver::classify_query(r.entries[i - 1].key)));
    return fetch_and_import(o, ids, false);
}

int run_recv(const KsOptions& o) { return fetch_and_import(o, key_ids(o.args), false); }

int run_refresh(const KsOptions& o) {
    auto store = open_store(o.home);
    std::vector<Bytes> ids;
    if (o.args.empty()) {
        store->for_each([&](const keyring::StoredCert& c) {
            ids.push_back(c.fingerprint);
            return true;
        });
    } else {
        for (const auto& a : o.args) {
            const auto found = store->find(keyring::parse_key_spec(a));
            if (found.empty()) throw Error(Errc::Usage, 0, "no key in the store matches '" + a + "'");
            ids.insert(ids.end(), found.begin(), found.end());
        }
    }
    store.reset();
    if (ids.empty()) {
        say(o, "no keys to refresh");
        return 0;
    }
    return fetch_and_import(o, ids, true);
}

void print_addresses(const keyserver::VksUpload& u) {
    for (const auto& a : u.addresses) std::printf("  %s: %s\n", a.address.c_str(), a.status.c_str());
}

/** A VKS upload: the token and each address's status; verification mails when asked. */
/** Renders the answer to a VKS request-verify; 0 when it was accepted. */
int print_verify_request(const keyserver::VksUpload& v) {
    if (!v.ok()) {
        std::fprintf(stderr, "pgpkit: error: request-verify: %s\n", v.message.c_str());
        return 1;
    }
    std::printf("%s: verification requested\n", v.fingerprint.c_str());
    print_addresses(v);
    return 0;
}

int send_vks(const KsOptions& o, const std::string& url, const Bytes& fpr, const std::string& armored) {
    keyserver::HkpClient client(url, http_options(o));
    const auto u = client.vks_upload(armored);
    if (!u.ok()) {
        std::fprintf(stderr, "pgpkit: error: %s: %s: %s\n", to_hex(fpr).c_str(), url.c_str(), u.message.c_str());
        return 1;
    }
    std::printf("%s: uploaded to %s, token %s\n", u.fingerprint.c_str(), url.c_str(), u.token.c_str());
    print_addresses(u);
    std::vector<std::string> unpublished;
    for (const auto& a : u.addresses)
        if (a.status == "unpublished") unpublished.push_back(a.address);
    if (!o.request_verify || unpublished.empty()) return 0;
    const auto v = client.vks_request_verify(u.token, unpublished);
    return print_verify_request(v);
}

int run_send(const KsOptions& o) {
    const auto servers = servers_of(o);
    auto store = open_store(o.home);
    int rc = 0;
    for (const auto& a : o.args) {
        const auto found = store->find(keyring::parse_key_spec(a));
        if (found.empty()) throw Error(Errc::Usage, 0, "no key in the store matches '" + a + "'");
        for (const auto& fpr : found) {
            const auto armored = keyserver::armored_public_cert(*store, fpr);
            if (!armored) continue;
            if (servers.front().vks) {
                rc = std::max(rc, send_vks(o, servers.front().url, fpr, *armored));
                continue;
            }
            const auto [server, ans] = keyserver::send_key(servers, *armored, http_options(o));
            if (ans.ok()) {
                say(o, "sent key " + to_hex(fpr) + " to " + server);
            } else {
                std::fprintf(stderr, "pgpkit: error: %s: %s: %s: %s\n", to_hex(fpr).c_str(), server.c_str(),
                             keyserver::outcome_name(ans.outcome), ans.message.c_str());
                rc = 1;
            }
        }
    }
    return rc;
}

/** keyserver request-verify TOKEN ADDRESS...: VKS verification mails for an earlier upload. */
int run_request_verify(const KsOptions& o) {
    if (o.args.size() < 2) throw Error(Errc::Usage, 0, "request-verify takes a token and at least one address");
    const std::vector<std::string> addresses(o.args.begin() + 1, o.args.end());
    keyserver::HkpClient client(servers_of(o).front().url, http_options(o));
    const auto v = client.vks_request_verify(o.args[0], addresses);
    return print_verify_request(v);
}

int run_list(const KsOptions& o) {
    const auto list = load_list(o);
    if (list.entries().empty()) {
        std::printf("* %s (built-in default)\n", std::string(keyserver::builtin_keyserver).c_str());
        return 0;
    }
    for (std::size_t i = 0; i < list.entries().size(); ++i) {
        const auto& e = list.entries()[i];
        std::printf("%s %s%s\n", i == list.default_index() ? "*" : " ", e.url.c_str(), e.vks ? " (vks)" : "");
    }
    return 0;
}

int run_edit(const KsOptions& o, const std::string& what) {
    const std::string path = conf_path(o.home);
    auto list = keyserver::KeyserverList::load(path);
    const std::string& url = o.args.at(0);
    if (what == "add") {
        if (!list.add(url, o.vks_marker)) say(o, keyserver::normalize_keyserver_url(url) + " is listed already");
    } else if (what == "remove") {
        if (!list.remove(url)) {
            std::fprintf(stderr, "pgpkit: %s is not listed\n", keyserver::normalize_keyserver_url(url).c_str());
            return 1;
        }
    } else {
        list.set_default(url);
    }
    list.save(path);
    return 0;
}

int run_test(const KsOptions& o) {
    std::vector<std::string> urls = o.args;
    if (urls.empty() && !o.keyserver.empty()) urls.push_back(o.keyserver);
    if (urls.empty()) {
        const auto list = load_list(o);
        for (const auto& e : list.entries()) urls.push_back(e.url);
        if (urls.empty()) urls.emplace_back(keyserver::builtin_keyserver);
    }
    int rc = 0;
    for (const auto& url : urls) {
        keyserver::HkpClient client(url, http_options(o));
        const auto p = client.probe();
        std::string protocols;
        if (p.hkp) protocols += " hkp";
        if (p.vks) protocols += " vks";
        char ms[32];
        std::snprintf(ms, sizeof ms, "%.0f ms", p.reach.seconds * 1000);
        std::printf("%s: %s; protocols:%s; latency %s\n", keyserver::normalize_keyserver_url(url).c_str(),
                    p.verdict.c_str(), protocols.empty() ? " none" : protocols.c_str(),
                    p.reach.outcome == keyserver::Outcome::NetFailure ? "-" : ms);
        if (!p.hkp) rc = 1;
    }
    return rc;
}

void add_net_options(CLI::App* cmd, KsOptions& o) {
    add_home_option(cmd, o.home);
    cmd->add_option("--keyserver", o.keyserver, "Keyserver URL for this call (default: the list's default)");
    cmd->add_option("--protocol", o.protocol, "hkp or vks (default: vks for servers listed with vks)")
        ->check(CLI::IsMember({"hkp", "vks"}));
    cmd->add_option("--connect-timeout", o.connect_timeout, "Seconds to connect (default 10)");
    cmd->add_option("--timeout", o.timeout, "Seconds for one whole request (default 30)");
    cmd->add_option("--retries", o.retries, "Retries after 429/502/503/504, with back-off and Retry-After (default 2)");
    cmd->add_option("--proxy", o.proxy, "Proxy URL (http://, socks5h://...); default: http_proxy, https_proxy, ALL_PROXY");
    cmd->add_option("--keyserver-ca", o.ca_file, "PEM file of the CAs that sign the keyserver's certificate");
    cmd->add_option("--max-answer-size", o.max_answer_mib, "MiB of an answer kept at most (default 64)");
    cmd->add_flag("--quiet,-q", o.quiet, "No log lines or summary");
}

/** The import flags of the commands that import what a server sends. */
void import_flags(CLI::App& cmd, KsOptions& o) {
    cmd.add_flag("--keep-third-party", o.keep_third_party, "Import third-party signatures too (no self-sigs-only)");
    cmd.add_flag("--import-clean", o.import_clean, "Also import-clean: drop unusable and superseded signatures");
}

}  // namespace

void register_keyserver(CLI::App& app, int& exit_code) {
    auto* ks = app.add_subcommand("keyserver", "Search, receive, send and refresh keys on HKP keyservers");
    ks->require_subcommand(1);
    ks->footer("Example: pgpkit keyserver search alice@example.org");
    auto sub = [&](const char* name, const char* help, const char* example, auto run, bool needs_args, bool net) {
        auto o = std::make_shared<KsOptions>();
        auto* cmd = ks->add_subcommand(name, help);
        cmd->footer(std::string("Example: ") + example);
        auto* args = cmd->add_option("args", o->args, "Arguments");
        if (needs_args) args->required();
        if (net) add_net_options(cmd, *o);
        else add_home_option(cmd, o->home);
        cmd->callback([o, run, &exit_code] { exit_code = run(*o); });
        return std::make_pair(cmd, o);
    };
    auto [search, so] = sub("search", "Search keys (key ID, fingerprint, e-mail address or words)",
        "pgpkit keyserver search --keyserver hkps://keys.openpgp.org alice@example.org --import 1", run_search, true, true);
    search->add_flag("--json", so->json, "The results as a JSON array");
    search->add_option("--import", so->import_list, "Import the results with these numbers (1,3 or 2-4)");
    search->add_flag("--import-all", so->import_all, "Import every result");
    import_flags(*search, *so);
    auto [recv, ro] = sub("recv", "Receive keys by key ID or fingerprint and import them",
        "pgpkit keyserver recv 0x71290C550806E030", run_recv, true, true);
    import_flags(*recv, *ro);
    auto [refresh, fo] = sub("refresh", "Refresh keys of the store (all without KEY) by fingerprint",
        "pgpkit keyserver refresh --jobs 8", run_refresh, false, true);
    import_flags(*refresh, *fo);
    refresh->add_option("--jobs,-j", fo->jobs, "Parallel requests (default 4; at most 8 per server)");
    auto [send, sendo] = sub("send", "Send the public part of keys of the store (VKS: upload)",
        "pgpkit keyserver send --keyserver hkps://keys.openpgp.org --request-verify alice@example.org", run_send, true, true);
    send->add_flag("--request-verify", sendo->request_verify,
                   "VKS: ask the server to mail a verification link to each unpublished address");
    sub("request-verify", "VKS: TOKEN ADDRESS...: mail verification links for an earlier upload",
        "pgpkit keyserver request-verify TOKEN alice@example.org", run_request_verify,
        true, true);
    sub("test", "Tell whether keyservers answer, and as keyservers (default: every listed one)",
        "pgpkit keyserver test hkp://127.0.0.1:11371", run_test, false, true);
    sub("list", "List the keyservers; * marks the default",
        "pgpkit keyserver list", run_list, false, false);
    auto [add, ao] = sub("add", "Add a keyserver URL to the list",
        "pgpkit keyserver add --vks hkps://keys.openpgp.org", [](const KsOptions& o) { return run_edit(o, "add"); },
                         true, false);
    add->add_flag("--vks", ao->vks_marker, "The server speaks the VKS API");
    sub("remove", "Remove a keyserver URL from the list",
        "pgpkit keyserver remove hkp://127.0.0.1:11371", [](const KsOptions& o) { return run_edit(o, "remove"); }, true,
        false);
    sub("default", "Make a keyserver URL the default (added when not listed)",
        "pgpkit keyserver default hkps://keys.openpgp.org",
        [](const KsOptions& o) { return run_edit(o, "default"); }, true, false);
    register_keyserver_legacy(*ks, exit_code);
}

}  // namespace pgpkit::cli
