// `pgpkit list-keys` and `pgpkit list-secret-keys`: the certificates of the store, or of
// --keyring files (keyring or keybox), as gpg 2.2 lists them: colon records, the human
// listing, or JSON.

#include <CLI/CLI.hpp>

#include <bitset>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "cert/cert.h"
#include "cert/validity.h"
#include "cli/checksigs_render.h"
#include "cli/commands.h"
#include "cli/listing_render.h"
#include "cli/listing_sources.h"
#include "cli/output.h"
#include "cli/trust_options.h"
#include "keyring/colons.h"
#include "keyring/key_cache.h"
#include "keyring/sources.h"
#include "keyring/spec.h"
#include "packet/signature.h"

namespace pgpkit::cli {

namespace {

struct ListKeysOptions {
    KeySourceOptions src;
    std::vector<std::string> patterns;
    bool with_colons = false;
    int with_fingerprint = 0;
    bool with_keygrip = false;
    bool with_sig_list = false;
    bool check_sigs = false;
    bool with_key_data = false;
    bool json = false;
    bool secret = false;
    std::vector<std::string> list_options;
    TrustCliOptions trust;
};

/**
 * gpg's --list-options: a list separated by commas or spaces (inside double quotes they
 * belong to the option's argument). Only show-sig-subpackets[=LIST] and its no- form change a listing.
 */
std::bitset<128> sig_subpackets_of(const std::vector<std::string>& args) {
    std::bitset<128> out;
    for (const std::string& arg : args) {
        std::vector<std::string> tokens(1);
        bool quoted = false;
        for (char c : arg) {
            if (c == '"') quoted = !quoted;
            if ((c == ',' || c == ' ') && !quoted) tokens.emplace_back();
            else tokens.back() += c;
        }
        for (const std::string& t : tokens) {
            const std::string name = t.substr(0, t.find('='));
            if (name == "show-sig-subpackets")
                out = keyring::parse_subpacket_list(t.size() > name.size() ? t.substr(name.size() + 1) : "");
            else if (name == "no-show-sig-subpackets") out.reset();
            else if (!t.empty()) throw Error(Errc::Usage, 0, "unsupported list option '" + t + "'");
        }
    }
    return out;
}

/** Reports for every certificate: self-signatures only, unless signatures are checked. */
std::vector<cert::CertReport> check(const std::vector<cert::Cert>& certs, const std::vector<cert::Cert>& others,
                                    bool third_party, std::uint32_t now, unsigned jobs,
                                    cert::VerifiedSignatures* verified) {
    if (third_party) return cert::check_certs(certs, others, cert::Policy{}, now, jobs, verified).reports;
    std::vector<cert::CertReport> out;
    out.reserve(certs.size());
    cert::VerifierCache cache;
    cert::CheckContext ctx;
    ctx.cache = &cache;
    ctx.verified = verified;
    for (const auto& c : certs) out.push_back(cert::check_cert(c, ctx, now));
    return out;
}

/** The issuer key IDs of every signature of `certs` (for the look-up of their names). */
std::vector<Bytes> issuer_ids(const std::vector<cert::Cert>& certs) {
    std::set<std::string> ids;  // the octets as a string: ordered, and no memcmp warning of GCC 12
    for (const cert::Cert& c : certs)
        for (const packet::Packet* p : cert::packets_of(c))
            if (const auto* s = p->get<packet::Signature>())
                if (const auto id = s->issuer_keyid()) ids.emplace(id->begin(), id->end());
    for (const cert::Cert& c : certs) ids.erase(std::string(c.key().keyid.begin(), c.key().keyid.end()));
    std::vector<Bytes> out;
    for (const std::string& id : ids) out.emplace_back(id.begin(), id.end());
    return out;
}

/**
 * The certificates of the sources that hold the issuers of the listed ones but are not
 * listed themselves: with patterns, signatures are named (and checked) with them as gpg
 * looks issuers up in its whole keyring.
 */
std::vector<cert::Cert> issuers(keyring::Sources& sources, const std::vector<cert::Cert>& listed,
                                const cert::ReadOptions& ro) {
    std::vector<cert::Cert> out;
    std::set<std::string> have;
    auto key = [](const cert::Cert& c) { return std::string(c.fingerprint().begin(), c.fingerprint().end()); };
    for (const cert::Cert& c : listed) have.insert(key(c));
    for (cert::Cert& c : sources.certs_with_keys(issuer_ids(listed), ro))
        if (have.insert(key(c)).second) out.push_back(std::move(c));
    return out;
}

/**
 * gpg checks a key revocation by a designated revoker with the revoker's key from its
 * whole keyring, whatever the listing shows: those keys are looked up for the few
 * certificates that need them.
 */
void apply_designated(keyring::Sources& sources, const std::vector<cert::Cert>& certs,
                      std::vector<cert::CertReport>& reports, const cert::ReadOptions& ro, std::uint32_t now) {
    std::vector<Bytes> ids;
    for (std::size_t i = 0; i < certs.size(); ++i) {
        const std::vector<Bytes> p = cert::pending_revoker_keyids(certs[i], reports[i]);
        ids.insert(ids.end(), p.begin(), p.end());
    }
    if (ids.empty()) return;
    const std::vector<cert::Cert> revokers = sources.certs_with_keys(ids, ro);
    cert::KeyIndex index;
    for (const cert::Cert& c : revokers) index.add(c);
    cert::CheckContext ctx;
    ctx.others = &index;
    for (std::size_t i = 0; i < certs.size(); ++i) cert::apply_designated_revocations(certs[i], reports[i], ctx, now);
}

ListingOptions listing_options(const ListKeysOptions& opt, std::uint32_t now) {
    ListingOptions lo;
    lo.with_fingerprint = static_cast<unsigned>(opt.with_fingerprint);
    lo.with_keygrip = opt.with_keygrip;
    lo.with_sig_list = opt.with_sig_list;
    lo.check_sigs = opt.check_sigs;
    lo.with_key_data = opt.with_key_data;
    lo.sig_subpackets = sig_subpackets_of(opt.list_options);
    lo.secret = opt.secret;
    lo.keyring_headers = opt.patterns.empty();
    lo.now = now;
    return lo;
}

/**
 * Validity from the web of trust when the home's trustdb holds ownertrust (or with
 * --trusted-key): computed over every certificate of the sources, as gpg validates its
 * whole keyring. `reports` are the listing's own when it lists them all.
 */
std::optional<ListingTrust> trust_for(const ListKeysOptions& opt, keyring::Sources& sources,
                                      const std::vector<cert::Cert>& certs,
                                      const std::vector<cert::CertReport>& reports, std::uint32_t now) {
    const std::optional<trust::Trustdb> db = listing_trustdb(opt.trust, opt.src.home);
    if (!listing_uses_trust(opt.trust, db)) return std::nullopt;
    // Listed with their self-signatures only, the reports are what the computation needs.
    if (opt.patterns.empty() && !opt.secret)
        return listing_trust(opt.trust, db, certs, now, opt.src.jobs, opt.check_sigs ? nullptr : &reports);
    std::vector<cert::Cert> all;
    sources.for_each(read_options(opt.src), [&](keyring::SourcedCert&& c) {
        all.push_back(std::move(c.cert));
        return true;
    });
    return listing_trust(opt.trust, db, all, now, opt.src.jobs);
}

int run_list_keys(const ListKeysOptions& opt) {
    const auto now = static_cast<std::uint32_t>(faked_now(opt.trust.faked_time));
    (void)wot_options(opt.trust, {}, 1);  // gpg refuses bad trust options before it lists
    ListingOptions lo = listing_options(opt, now);
    keyring::Sources sources = listing_sources(opt.src);
    keyring::SourceReadOptions ro = read_options(opt.src);
    ro.secret_only = opt.secret;
    for (const std::string& p : opt.patterns) ro.specs.push_back(keyring::parse_key_spec(p));
    std::vector<keyring::SourcedCert> found;
    std::vector<cert::Cert> certs;
    sources.for_each(ro, [&](keyring::SourcedCert&& c) {
        certs.push_back(std::move(c.cert));
        found.push_back(std::move(c));
        return true;
    });
    const bool sigs = opt.with_sig_list || opt.check_sigs;
    const std::vector<cert::Cert> others =
        !opt.patterns.empty() && sigs ? issuers(sources, certs, ro.read) : std::vector<cert::Cert>{};
    // The verifications the store knows to succeed skip their public-key operations; new
    // ones are stored for the next listing.
    cert::VerifiedSignatures verified;
    sources.load_verified(verified);
    std::vector<cert::CertReport> reports = check(certs, others, opt.check_sigs, now, opt.src.jobs, &verified);
    apply_designated(sources, certs, reports, ro.read, now);
    // gpg finds unusable issuers once its key cache holds them (keyring/key_cache.h).
    if (opt.check_sigs) keyring::apply_listing_key_cache(certs, reports, others, cert::Policy{});
    keyring::IssuerNames names;
    for (std::size_t i = 0; i < certs.size(); ++i) names.add(certs[i], reports[i]);
    const std::vector<cert::CertReport> other_reports = check(others, {}, false, now, 1, &verified);
    for (std::size_t i = 0; i < others.size(); ++i) names.add(others[i], other_reports[i]);
    (void)sources.save_verified(verified);

    const std::optional<ListingTrust> trust = trust_for(opt, sources, certs, reports, now);
    if (trust) lo.tru = trust->tru_line(now);
    std::vector<ListedCert> listed;
    SigTally tally;
    for (std::size_t i = 0; i < certs.size(); ++i) {
        const keyring::SourcedCert& f = found[i];
        listed.push_back(ListedCert{&certs[i], &reports[i], sources.list()[f.source].path,
                                    f.secret ? &*f.secret : nullptr,
                                    trust ? trust->find(certs[i].fingerprint()) : nullptr});
        if (opt.check_sigs) add_to_tally(tally, reports[i]);
    }
    Output out(1);
    if (opt.json) render_listing_json(out, listed, lo, names);
    else if (opt.with_colons) render_listing_colons(out, listed, lo, names);
    else render_listing_text(out, listed, lo, names);
    out.flush();
    if (opt.check_sigs && !opt.with_colons && !opt.json) print_tally(tally);
    if (!opt.patterns.empty() && listed.empty()) {
        std::fprintf(stderr, "pgpkit: error reading key: No %s key\n", opt.secret ? "secret" : "public");
        return 2;
    }
    return 0;
}

void register_listing(CLI::App& app, int& exit_code, const char* name, const char* help, const char* example,
                      bool secret) {
    auto opt = std::make_shared<ListKeysOptions>();
    opt->secret = secret;
    auto* cmd = app.add_subcommand(name, help);
    cmd->footer(std::string("Example: ") + example);
    cmd->add_option("pattern", opt->patterns, "Fingerprint, key ID, or part of a user ID (=exact, <mbox>, @domain)");
    add_key_source_options(*cmd, opt->src, "Keyring or keybox file to list instead of the store (repeatable)",
                           "Check signatures on N threads");
    add_store_options(*cmd, opt->src);
    cmd->add_flag("--with-colons", opt->with_colons, "gpg's colon records (--fixed-list-mode)");
    cmd->add_flag("--with-fingerprint", opt->with_fingerprint, "Spaced fingerprints; twice: of subkeys too");
    cmd->add_flag("--fingerprint", opt->with_fingerprint, "Same as --with-fingerprint");
    cmd->add_flag("--with-keygrip", opt->with_keygrip, "Keygrips (grp records)");
    cmd->add_flag("--with-sig-list", opt->with_sig_list, "List signatures (sig/rev records)");
    cmd->add_flag("--check-sigs,--with-sig-check", opt->check_sigs, "List and check signatures (! - ? %)");
    cmd->add_flag("--with-key-data", opt->with_key_data, "Public key material (pkd records)");
    cmd->add_flag("--json", opt->json, "One JSON array of keys");
    cmd->add_option("--list-options", opt->list_options,
                    "gpg's list options: show-sig-subpackets[=\"N,...\"] adds spk records to sig records")
        ->allow_extra_args(false);
    add_trust_options(*cmd, opt->trust);
    cmd->callback([opt, &exit_code] { exit_code = run_list_keys(*opt); });
}

}  // namespace

void register_list_keys(CLI::App& app, int& exit_code) {
    register_listing(app, exit_code, "list-keys", "List keys as gpg --list-keys does",
                     "pgpkit list-keys --with-colons --with-fingerprint alice@example.org", false);
}

void register_list_secret_keys(CLI::App& app, int& exit_code) {
    register_listing(app, exit_code, "list-secret-keys", "List secret keys as gpg --list-secret-keys does",
                     "pgpkit list-secret-keys --with-keygrip", true);
}

}  // namespace pgpkit::cli
