#include "cli/trust_options.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <sys/stat.h>

#include "base/error.h"
#include "base/time.h"
#include "keyring/store.h"

namespace pgpkit::cli {

namespace {

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

trust::WotModel model_of(const std::string& name) {
    for (const auto m : {trust::WotModel::Pgp, trust::WotModel::Classic, trust::WotModel::Always, trust::WotModel::Direct})
        if (name == trust::wot_model_name(m)) return m;
    throw Error(Errc::Usage, 0, "--trust-model: unsupported trust model '" + name + "' (pgp, classic, always, direct)");
}

/** The octets of a fingerprint or long key ID as gpg's --trusted-key takes it ("0x" and spaces allowed). */
Bytes key_octets(const std::string& arg) {
    std::string hex;
    for (char c : arg)
        if (c != ' ') hex += c;
    if (hex.size() > 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.erase(0, 2);
    const bool ok = (hex.size() == 16 || hex.size() == 40) &&
                    std::all_of(hex.begin(), hex.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
    if (!ok) throw Error(Errc::Usage, 0, "--trusted-key: not a fingerprint or long key ID: '" + arg + "'");
    Bytes out;
    for (std::size_t i = 0; i < hex.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
}

void check_range(unsigned v, unsigned lo, unsigned hi, const char* message) {
    if (v < lo || v > hi) throw Error(Errc::Usage, 0, message);
}

}  // namespace

void add_trust_options(CLI::App& cmd, TrustCliOptions& opt) {
    cmd.add_option("--trustdb", opt.trustdb, "Use this trustdb.gpg in place of <home>/trustdb.gpg");
    cmd.add_option("--trust-model", opt.model, "pgp (default), classic, always or direct, as gpg's");
    cmd.add_option("--marginals-needed", opt.marginals, "Marginally trusted certifications that make a user ID valid")
        ->capture_default_str();
    cmd.add_option("--completes-needed", opt.completes, "Fully trusted certifications that make a user ID valid")
        ->capture_default_str();
    cmd.add_option("--max-cert-depth", opt.max_depth, "Longest chain of introducers")->capture_default_str();
    cmd.add_option("--min-cert-level", opt.min_level, "Least certification level that counts (1-3)")
        ->capture_default_str();
    cmd.add_option("--trusted-key", opt.trusted_keys, "Take this key (fingerprint or long key ID) as ultimately trusted")
        ->allow_extra_args(false);
    cmd.add_option("--faked-system-time", opt.faked_time, "Compute at this time (seconds or ISO, as gpg)");
}

std::int64_t faked_now(const std::string& faked) {
    if (faked.empty()) return static_cast<std::int64_t>(std::time(nullptr));
    std::string t = faked;
    if (t.back() == '!') t.pop_back();
    if (!t.empty() && t.size() < 19 && t.find_first_not_of("0123456789") == std::string::npos) return std::stoll(t);
    if (const auto v = parse_utc_time(t)) return *v;
    throw Error(Errc::Usage, 0, "--faked-system-time: not a time: '" + faked + "'");
}

trust::WotOptions wot_options(const TrustCliOptions& opt, const std::vector<cert::Cert>& certs, unsigned jobs) {
    // gpg's own messages for the values it refuses (g10/gpg.c).
    check_range(opt.completes, 1, 255, "completes-needed must be greater than 0");
    check_range(opt.marginals, 2, 255, "marginals-needed must be greater than 1");
    check_range(opt.max_depth, 1, 255, "max-cert-depth must be in the range from 1 to 255");
    check_range(opt.min_level, 1, 3, "invalid min-cert-level; must be 1, 2, or 3");
    trust::WotOptions w;
    w.model = model_of(opt.model);
    w.marginals_needed = opt.marginals;
    w.completes_needed = opt.completes;
    w.max_cert_depth = opt.max_depth;
    w.min_cert_level = opt.min_level;
    w.jobs = jobs;
    for (const std::string& k : opt.trusted_keys) {
        const Bytes id = key_octets(k);
        for (const cert::Cert& c : certs) {
            const Bytes& fpr = c.fingerprint();
            const auto& kid = c.key().keyid;
            const bool match = id.size() == 8 ? std::equal(id.begin(), id.end(), kid.begin()) : fpr == id;
            if (match && std::find(w.trusted_keys.begin(), w.trusted_keys.end(), fpr) == w.trusted_keys.end())
                w.trusted_keys.push_back(fpr);
        }
    }
    return w;
}

std::string trustdb_path(const TrustCliOptions& opt, const std::string& home, bool create) {
    if (!opt.trustdb.empty()) return opt.trustdb;
    std::string dir;
    try {
        dir = keyring::resolve_home(home, create);
    } catch (const Error&) {
        if (create) throw;
        return {};
    }
    return dir + "/trustdb.gpg";
}

trust::TrustDbState trustdb_state(const trust::Trustdb& db) {
    const trust::VersionRecord& v = db.version();
    trust::TrustDbState s;
    s.model = static_cast<trust::WotModel>(static_cast<std::uint8_t>(v.trust_model));
    s.created = v.created;
    s.next_check = v.nextcheck;
    s.marginals = v.marginals;
    s.completes = v.completes;
    s.cert_depth = v.cert_depth;
    s.min_cert_level = v.min_cert_level;
    return s;
}

trust::OwnertrustLookup ownertrust_of(const trust::Trustdb& db) {
    std::vector<std::pair<Bytes, std::uint8_t>> values;
    for (const trust::OwnertrustEntry& e : db.ownertrust_entries()) values.emplace_back(e.fingerprint, e.value);
    return trust::ownertrust_from(values);
}

void store_results(trust::Trustdb& db, const std::vector<cert::Cert>& certs, const trust::WotResult& r,
                   const trust::WotOptions& opt, std::uint32_t now) {
    db.reset_validities();
    // Ultimately trusted keys first, then by depth, as gpg's passes store them.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < certs.size(); ++i)
        if (r.keys[i].depth) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&r](std::size_t a, std::size_t b) {
        return std::pair{!r.keys[a].ultimate, *r.keys[a].depth} < std::pair{!r.keys[b].ultimate, *r.keys[b].depth};
    });
    for (const std::size_t i : order) {
        const trust::KeyValidity& k = r.keys[i];
        const auto depth = static_cast<std::uint8_t>(*k.depth);
        for (const trust::UserIdValidity& u : k.user_ids) {
            if (!u.has_record) continue;
            const trust::UidValidity v{static_cast<std::uint8_t>(u.validity), static_cast<std::uint8_t>(u.full_count),
                                       static_cast<std::uint8_t>(u.marginal_count)};
            db.set_validity(certs[i].fingerprint(), certs[i].components[u.component].id_bytes(), v, depth);
        }
    }
    for (std::size_t i = 0; i < certs.size(); ++i)
        if (r.keys[i].min_ownertrust != trust::Validity::Unknown)
            db.set_min_ownertrust(certs[i].fingerprint(), static_cast<std::uint8_t>(r.keys[i].min_ownertrust));
    db.set_times(now, r.next_check);
    db.set_options(static_cast<std::uint8_t>(opt.marginals_needed), static_cast<std::uint8_t>(opt.completes_needed),
                   static_cast<std::uint8_t>(opt.max_cert_depth),
                   static_cast<trust::TrustModel>(static_cast<std::uint8_t>(opt.model)),
                   static_cast<std::uint8_t>(opt.min_cert_level));
}

const trust::KeyValidity* ListingTrust::find(const Bytes& fpr) const {
    const auto it = by_fingerprint.find(std::string(fpr.begin(), fpr.end()));
    return it == by_fingerprint.end() ? nullptr : &result.keys[it->second];
}

std::string ListingTrust::tru_line(std::uint32_t now) const { return trust::tru_record(db, options, now); }

std::optional<trust::Trustdb> listing_trustdb(const TrustCliOptions& opt, const std::string& home) {
    const std::string path = trustdb_path(opt, home, false);
    if (path.empty() || !exists(path)) return std::nullopt;
    return trust::Trustdb::load(path);
}

bool listing_uses_trust(const TrustCliOptions& opt, const std::optional<trust::Trustdb>& db) {
    return !opt.trusted_keys.empty() || (db && !db->ownertrust_entries().empty());
}

ListingTrust listing_trust(const TrustCliOptions& opt, const std::optional<trust::Trustdb>& db,
                           const std::vector<cert::Cert>& all, std::uint32_t now, unsigned jobs,
                           const std::vector<cert::CertReport>* checked) {
    ListingTrust t;
    t.options = wot_options(opt, all, jobs);
    if (db) t.db = trustdb_state(*db);
    const trust::OwnertrustLookup none = [](ByteView) -> std::uint8_t { return 0; };
    t.result = trust::compute_validity(all, db ? ownertrust_of(*db) : none, t.options, now, checked);
    for (std::size_t i = 0; i < all.size(); ++i)
        t.by_fingerprint.emplace(std::string(all[i].fingerprint().begin(), all[i].fingerprint().end()), i);
    return t;
}

}  // namespace pgpkit::cli
