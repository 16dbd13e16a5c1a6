// `pgpkit list-keys` and `pgpkit list-secret-keys`: the certificates of --keyring files
// (binary or armored) as gpg 2.2 lists them: colon records, the human listing, or JSON.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "cert/cert.h"
#include "cert/validity.h"
#include "cli/checksigs_render.h"
#include "cli/commands.h"
#include "cli/input.h"
#include "cli/listing_render.h"
#include "cli/output.h"
#include "keyring/colons.h"
#include "packet/source.h"

namespace pgpkit::cli {

namespace {

struct ListKeysOptions {
    std::vector<std::string> keyrings;
    std::vector<std::string> patterns;
    bool with_colons = false;
    int with_fingerprint = 0;
    bool with_keygrip = false;
    bool with_sig_list = false;
    bool check_sigs = false;
    bool with_key_data = false;
    bool json = false;
    bool secret = false;
    unsigned jobs = 1;
    InputOptions in;
};

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool all_hex(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

bool key_matches(const packet::Key& k, const std::string& hex) {
    const std::string fpr = lower(to_hex(k.fingerprint));
    const std::string kid = lower(to_hex(k.keyid));
    if (hex.size() == fpr.size()) return hex == fpr;
    if (hex.size() == 16) return hex == kid;
    if (hex.size() == 8) return hex == kid.substr(8);
    return false;
}

/**
 * gpg's user ID forms, over the loaded certificates: a fingerprint, long or short key ID
 * (with or without 0x, a trailing '!' ignored) of the primary key or a subkey; "=uid" an
 * exact user ID; "<mbox>" an exact address; "@part" a substring of the address; anything
 * else a case-insensitive substring of a user ID.
 */
bool matches(const cert::Cert& c, const std::string& pattern) {
    std::string p = pattern;
    if (!p.empty() && p.back() == '!') p.pop_back();
    std::string hex = lower(p.rfind("0x", 0) == 0 || p.rfind("0X", 0) == 0 ? p.substr(2) : p);
    if (all_hex(hex) && (hex.size() == 8 || hex.size() == 16 || hex.size() == 40 || hex.size() == 64)) {
        if (key_matches(c.key(), hex)) return true;
        for (const auto* s : c.of_kind(cert::ComponentKind::Subkey))
            if (s->key() && key_matches(*s->key(), hex)) return true;
        return false;
    }
    for (const auto* u : c.of_kind(cert::ComponentKind::UserId)) {
        const Bytes b = u->id_bytes();
        const std::string uid(b.begin(), b.end());
        if (pattern.front() == '=') {
            if (uid == pattern.substr(1)) return true;
            continue;
        }
        const auto lt = uid.find('<');
        const auto gt = uid.find('>', lt == std::string::npos ? 0 : lt);
        const std::string mbox = lt != std::string::npos && gt != std::string::npos ? lower(uid.substr(lt, gt - lt + 1)) : "";
        if (pattern.front() == '<') {
            if (mbox == lower(pattern)) return true;
        } else if (pattern.front() == '@') {
            if (mbox.find(lower(pattern)) != std::string::npos) return true;
        } else if (lower(uid).find(lower(pattern)) != std::string::npos) {
            return true;
        }
    }
    return false;
}

struct Loaded {
    std::vector<cert::Cert> certs;
    std::vector<std::size_t> keyring_of;  ///< parallel to certs: index into the keyring list
};

Loaded load(const ListKeysOptions& opt) {
    Loaded l;
    for (std::size_t i = 0; i < opt.keyrings.size(); ++i) {
        cert::ReadOptions ro;
        ro.parse = opt.in.parse;
        cert::ReadEvents ev;
        ev.cert = [&l, i](cert::Cert&& c) {
            l.certs.push_back(std::move(c));
            l.keyring_of.push_back(i);
        };
        ev.stray = [](const packet::Packet&, const std::string&) {};
        try {
            packet::FdSource file(opt.keyrings[i]);
            cert::read_certs(file, ro, ev);
        } catch (const Error& e) {
            throw Error(e.kind(), e.offset(), opt.keyrings[i] + ": " + e.detail());
        }
    }
    return l;
}

/** Reports for every certificate: self-signatures only, unless signatures are checked. */
std::vector<cert::CertReport> check(const std::vector<cert::Cert>& certs, bool third_party, std::uint32_t now,
                                    unsigned jobs) {
    if (third_party) return cert::check_certs(certs, {}, cert::Policy{}, now, jobs).reports;
    std::vector<cert::CertReport> out;
    out.reserve(certs.size());
    cert::VerifierCache cache;
    cert::CheckContext ctx;
    ctx.cache = &cache;
    for (const auto& c : certs) out.push_back(cert::check_cert(c, ctx, now));
    return out;
}

int run_list_keys(const ListKeysOptions& opt) {
    if (opt.keyrings.empty())
        throw Error(Errc::Usage, 0, "no --keyring given (the key store is not available yet)");
    const Loaded l = load(opt);
    const auto now = static_cast<std::uint32_t>(std::time(nullptr));
    const std::vector<cert::CertReport> reports = check(l.certs, opt.check_sigs, now, opt.jobs);
    keyring::IssuerNames names;
    for (std::size_t i = 0; i < l.certs.size(); ++i) names.add(l.certs[i], reports[i]);

    std::vector<ListedCert> listed;
    SigTally tally;
    for (std::size_t i = 0; i < l.certs.size(); ++i) {
        const cert::Cert& c = l.certs[i];
        if (opt.secret && !c.secret()) continue;
        if (!opt.patterns.empty() &&
            std::none_of(opt.patterns.begin(), opt.patterns.end(), [&](const std::string& p) { return matches(c, p); }))
            continue;
        listed.push_back(ListedCert{&c, &reports[i], opt.keyrings[l.keyring_of[i]]});
        if (opt.check_sigs) {
            for (const auto& s : reports[i].primary.sigs) add_to_tally(tally, s);
            for (const auto& r : reports[i].components)
                for (const auto& s : r.sigs) add_to_tally(tally, s);
        }
    }
    ListingOptions lo;
    lo.with_fingerprint = static_cast<unsigned>(opt.with_fingerprint);
    lo.with_keygrip = opt.with_keygrip;
    lo.with_sig_list = opt.with_sig_list;
    lo.check_sigs = opt.check_sigs;
    lo.with_key_data = opt.with_key_data;
    lo.secret = opt.secret;
    lo.keyring_headers = opt.patterns.empty();
    lo.now = now;
    Output out(1);
    if (opt.json) render_listing_json(out, listed, lo, names);
    else if (opt.with_colons) render_listing_colons(out, listed, lo, names);
    else render_listing_text(out, listed, lo, names);
    out.flush();
    if (opt.check_sigs && !opt.with_colons && !opt.json) print_tally(tally);
    if (!opt.patterns.empty() && listed.empty()) {
        std::fprintf(stderr, "pgpkit: error reading key: No public key\n");
        return 2;
    }
    return 0;
}

void register_listing(CLI::App& app, int& exit_code, const char* name, const char* help, bool secret) {
    auto opt = std::make_shared<ListKeysOptions>();
    opt->secret = secret;
    auto* cmd = app.add_subcommand(name, help);
    cmd->add_option("pattern", opt->patterns, "Fingerprint, key ID, or part of a user ID (=exact, <mbox>, @domain)");
    cmd->add_option("--keyring", opt->keyrings, "Keyring file to list (binary or armored; repeatable)");
    cmd->add_flag("--with-colons", opt->with_colons, "gpg's colon records (--fixed-list-mode)");
    cmd->add_flag("--with-fingerprint", opt->with_fingerprint, "Spaced fingerprints; twice: of subkeys too");
    cmd->add_flag("--fingerprint", opt->with_fingerprint, "Same as --with-fingerprint");
    cmd->add_flag("--with-keygrip", opt->with_keygrip, "Keygrips (grp records)");
    cmd->add_flag("--with-sig-list", opt->with_sig_list, "List signatures (sig/rev records)");
    cmd->add_flag("--check-sigs", opt->check_sigs, "List and check signatures (! - ? %)");
    cmd->add_flag("--with-key-data", opt->with_key_data, "Public key material (pkd records)");
    cmd->add_flag("--json", opt->json, "One JSON array of keys");
    cmd->add_option("--jobs", opt->jobs, "Check signatures on N threads")->capture_default_str()
        ->check(CLI::Range(1u, 256u));
    add_input_options(*cmd, opt->in);
    cmd->callback([opt, &exit_code] { exit_code = run_list_keys(*opt); });
}

}  // namespace

void register_list_keys(CLI::App& app, int& exit_code) {
    register_listing(app, exit_code, "list-keys", "List keys as gpg --list-keys does", false);
}

void register_list_secret_keys(CLI::App& app, int& exit_code) {
    register_listing(app, exit_code, "list-secret-keys", "List secret keys as gpg --list-secret-keys does", true);
}

}  // namespace pgpkit::cli
