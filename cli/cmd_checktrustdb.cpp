// `pgpkit check-trustdb` and `pgpkit update-trustdb`: validity from the web of trust over
// the certificates of the store (or --keyring files) with the ownertrust of the home's
// trustdb.gpg, written back into that file as gpg's --check-trustdb writes it, with gpg's
// log lines on stderr; --json prints each key's validity and the paths that made it.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "base/bytes.h"
#include "base/time.h"
#include "cert/cert.h"
#include "cli/commands.h"
#include "cli/listing_sources.h"
#include "cli/output.h"
#include "cli/trust_options.h"
#include "trust/trustdb.h"
#include "trust/wot.h"

namespace pgpkit::cli {

namespace {

using Json = nlohmann::ordered_json;

struct CheckTrustdbOptions {
    KeySourceOptions src;
    TrustCliOptions trust;
    bool json = false;
    bool quiet = false;
};

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

std::vector<cert::Cert> all_certs(const KeySourceOptions& src) {
    keyring::Sources sources = listing_sources(src);
    std::vector<cert::Cert> certs;
    sources.for_each(read_options(src), [&](keyring::SourcedCert&& c) {
        certs.push_back(std::move(c.cert));
        return true;
    });
    return certs;
}

/** gpg's log of validate_keys, with "pgpkit:" for "gpg:". */
void print_log(const trust::WotResult& r, const trust::WotOptions& w) {
    const bool any = std::any_of(r.keys.begin(), r.keys.end(), [](const trust::KeyValidity& k) { return k.ultimate; });
    if (!any) {
        std::fprintf(stderr, "pgpkit: no ultimately trusted keys found\n");
    } else {
        std::fprintf(stderr, "pgpkit: marginals needed: %u  completes needed: %u  trust model: %s\n",
                     w.marginals_needed, w.completes_needed, trust::wot_model_name(w.model));
        for (const trust::DepthStats& d : r.depths)
            std::fprintf(stderr,
                         "pgpkit: depth: %u  valid: %3u  signed: %3u  trust: %u-, %uq, %un, %um, %uf, %uu\n",
                         d.depth, d.valid, d.signed_keys, d.ownertrust[0], d.ownertrust[2], d.ownertrust[3],
                         d.ownertrust[4], d.ownertrust[5], d.ownertrust[6]);
    }
    if (r.next_check != 0)
        std::fprintf(stderr, "pgpkit: next trustdb check due at %s\n", format_date(r.next_check).c_str());
}

std::string text_of(const cert::Component& c) {
    const Bytes id = c.id_bytes();
    return std::string(id.begin(), id.end());
}

Json user_id_of(const cert::Component& c) {
    if (c.kind == cert::ComponentKind::UserId) return text_of(c);
    return nullptr;  // a user attribute has no text
}

Json path_json(const std::vector<cert::Cert>& certs, const trust::WotResult& r, std::size_t cert,
               std::size_t component) {
    Json steps = Json::array();
    for (const trust::PathStep& s : trust::explain(r, cert, component)) {
        steps.push_back(Json{{"fingerprint", to_hex(certs[s.cert].fingerprint())},
                             {"user_id", user_id_of(certs[s.cert].components[s.component])},
                             {"certified_by", to_hex(certs[s.by.signer].fingerprint())},
                             {"signer_trust", trust::validity_name(s.by.signer_trust)},
                             {"signer_ultimate", r.keys[s.by.signer].ultimate},
                             {"depth", s.by.depth}});
    }
    return steps;
}

Json key_json(const std::vector<cert::Cert>& certs, const trust::WotResult& r, std::size_t i) {
    const trust::KeyValidity& k = r.keys[i];
    Json users = Json::array();
    for (const trust::UserIdValidity& u : k.user_ids) {
        const cert::Component& c = certs[i].components[u.component];
        Json o{{"user_id", user_id_of(c)},
               {"attribute", c.kind == cert::ComponentKind::UserAttribute},
               {"validity", trust::validity_name(u.validity)},
               {"letter", std::string(1, u.letter)},
               {"full_count", u.full_count},
               {"marginal_count", u.marginal_count}};
        if (u.validity == trust::Validity::Marginal || u.validity == trust::Validity::Full ||
            u.validity == trust::Validity::Ultimate)
            o["path"] = path_json(certs, r, i, u.component);
        users.push_back(std::move(o));
    }
    return Json{{"fingerprint", to_hex(certs[i].fingerprint())},
                {"validity", trust::validity_name(k.validity)},
                {"letter", std::string(1, k.letter)},
                {"ownertrust", std::string(1, trust::ownertrust_letter(k))},
                {"ultimate", k.ultimate},
                {"depth", k.depth ? Json(*k.depth) : Json(nullptr)},
                {"user_ids", std::move(users)}};
}

void print_json(const std::vector<cert::Cert>& certs, const trust::WotResult& r) {
    Output out;
    out.put("[");
    for (std::size_t i = 0; i < certs.size(); ++i)
        out.put(i ? ",\n " : "\n ").put(key_json(certs, r, i).dump(-1, ' ', false, Json::error_handler_t::replace));
    out.put(certs.empty() ? "]\n" : "\n]\n");
    out.flush();
}

int run_check_trustdb(const CheckTrustdbOptions& opt) {
    const auto now = static_cast<std::uint32_t>(faked_now(opt.trust.faked_time));
    const std::string path = trustdb_path(opt.trust, opt.src.home, true);
    // A damaged file throws here, before anything is written: one line, exit 2.
    trust::Trustdb db = exists(path) ? trust::Trustdb::load(path) : trust::Trustdb::create(now);
    const std::vector<cert::Cert> certs = all_certs(opt.src);
    const trust::WotOptions w = wot_options(opt.trust, certs, opt.src.jobs);
    if (w.model != trust::WotModel::Pgp && w.model != trust::WotModel::Classic) {
        if (!opt.quiet)
            std::fprintf(stderr, "pgpkit: no need for a trustdb check with '%s' trust model\n",
                         trust::wot_model_name(w.model));
        if (opt.json) print_json(certs, trust::compute_validity(certs, ownertrust_of(db), w, now));
        return 0;
    }
    const trust::OwnertrustLookup ot = ownertrust_of(db);
    const trust::WotResult r = trust::compute_validity(certs, ot, w, now);
    if (!opt.quiet) {
        // gpg's verify_own_keys names the --trusted-key keys not ultimate by ownertrust.
        for (const Bytes& fpr : w.trusted_keys)
            if ((ot(fpr) & 0x0f) != static_cast<std::uint8_t>(trust::Validity::Ultimate))
                std::fprintf(stderr, "pgpkit: key %s marked as ultimately trusted\n",
                             to_hex(ByteView(fpr).last(8)).c_str());
        print_log(r, w);
    }
    store_results(db, certs, r, w, now);
    db.save(path);
    if (opt.json) print_json(certs, r);
    return 0;
}

void register_one(CLI::App& app, int& exit_code, const char* name, const char* help, const char* example) {
    auto opt = std::make_shared<CheckTrustdbOptions>();
    auto* cmd = app.add_subcommand(name, help);
    cmd->footer(std::string("Example: ") + example);
    add_key_source_options(*cmd, opt->src, "Keyring or keybox file to use instead of the store (repeatable)",
                           "Check signatures on N threads");
    add_store_options(*cmd, opt->src);
    add_trust_options(*cmd, opt->trust);
    cmd->add_flag("--json", opt->json, "Each key's validity, depth and the path of each valid user ID to an ultimate key");
    cmd->add_flag("--quiet,-q", opt->quiet, "No log lines");
    cmd->callback([opt, &exit_code] { exit_code = run_check_trustdb(*opt); });
}

}  // namespace

void register_check_trustdb(CLI::App& app, int& exit_code) {
    register_one(app, exit_code, "check-trustdb", "Compute validity from the web of trust into the trustdb, as gpg",
                 "pgpkit check-trustdb --marginals-needed 2 --json");
}

void register_update_trustdb(CLI::App& app, int& exit_code) {
    register_one(app, exit_code, "update-trustdb", "Same as check-trustdb (pgpkit never asks for ownertrust)",
                 "pgpkit update-trustdb --trusted-key 0x71290C550806E030");
}

}  // namespace pgpkit::cli
