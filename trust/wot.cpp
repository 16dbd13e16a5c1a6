// Names and letters of validity values, the ownertrust look-up, paths to ultimate keys and
// gpg's "tru" record. The passes themselves are in wot_passes.cpp.
#include "trust/wot.h"

#include <algorithm>
#include <memory>
#include <unordered_map>

namespace pgpkit::trust {

const char* validity_name(Validity v) noexcept {
    switch (v) {
    case Validity::Unknown: return "unknown";
    case Validity::Expired: return "expired";
    case Validity::Undefined: return "undefined";
    case Validity::Never: return "never";
    case Validity::Marginal: return "marginal";
    case Validity::Full: return "full";
    case Validity::Ultimate: return "ultimate";
    }
    return "err";
}

char validity_letter(Validity v) noexcept {
    switch (v) {
    case Validity::Unknown: return '-';
    case Validity::Expired: return 'e';
    case Validity::Undefined: return 'q';
    case Validity::Never: return 'n';
    case Validity::Marginal: return 'm';
    case Validity::Full: return 'f';
    case Validity::Ultimate: return 'u';
    }
    return '?';
}

char ownertrust_letter(const KeyValidity& k) noexcept {
    const auto own = static_cast<Validity>(k.ownertrust & 0x0f);
    return validity_letter(std::max(own, k.min_ownertrust));
}

const char* wot_model_name(WotModel m) noexcept {
    switch (m) {
    case WotModel::Classic: return "classic";
    case WotModel::Pgp: return "pgp";
    case WotModel::Always: return "always";
    case WotModel::Direct: return "direct";
    }
    return "unknown";
}

OwnertrustLookup ownertrust_from(const std::vector<std::pair<Bytes, std::uint8_t>>& values) {
    auto table = std::make_shared<std::unordered_map<std::string, std::uint8_t>>();
    for (const auto& [fpr, v] : values) (*table)[std::string(fpr.begin(), fpr.end())] = v;
    return [table](ByteView fpr) -> std::uint8_t {
        const auto it = table->find(std::string(fpr.begin(), fpr.end()));
        return it == table->end() ? 0 : it->second;
    };
}

namespace {

const UserIdValidity* user_of(const KeyValidity& k, std::size_t component) {
    for (const auto& u : k.user_ids)
        if (u.component == component) return &u;
    return nullptr;
}

/** The certification by the earliest introducer, the most trusted one on a tie. */
const Counted* earliest(const WotResult& r, const UserIdValidity& u) {
    const Counted* best = nullptr;
    auto rank = [&r](const Counted& c) {
        const auto d = r.keys[c.signer].introducer_depth.value_or(~0u);
        return std::pair{d, -static_cast<int>(c.signer_trust)};
    };
    for (const Counted& c : u.counted)
        if (!best || rank(c) < rank(*best)) best = &c;
    return best;
}

}  // namespace

std::vector<PathStep> explain(const WotResult& r, std::size_t cert, std::size_t component) {
    std::vector<PathStep> out;
    // Each step goes to an introducer of an earlier pass, so the walk ends; the bound
    // only guards against a result that was not made by compute_validity.
    for (std::size_t guard = 0; guard <= r.keys.size() && cert < r.keys.size(); ++guard) {
        const KeyValidity& k = r.keys[cert];
        if (k.ultimate) break;
        const UserIdValidity* u = user_of(k, component);
        const Counted* by = u ? earliest(r, *u) : nullptr;
        if (!by) break;
        out.push_back(PathStep{cert, component, *by});
        const KeyValidity& signer = r.keys[by->signer];
        if (signer.ultimate || !signer.introducer_uid) break;
        cert = by->signer;
        component = *signer.introducer_uid;
    }
    return out;
}

std::string tru_record(const TrustDbState& db, const WotOptions& opt, std::uint32_t now) {
    std::string s = "tru:";
    if (db.next_check && db.next_check <= now) s += 'o';
    if (db.model != opt.model) s += 't';
    const bool counts = opt.model == WotModel::Pgp || opt.model == WotModel::Classic;
    if (counts) {
        if (db.marginals != opt.marginals_needed) s += 'm';
        if (db.completes != opt.completes_needed) s += 'c';
        if (db.cert_depth != opt.max_cert_depth) s += 'd';
        if (db.min_cert_level != opt.min_cert_level) s += 'l';
    }
    s += ':' + std::to_string(static_cast<unsigned>(db.model)) + ':' + std::to_string(db.created) + ':' +
         std::to_string(db.next_check);
    if (db.model == WotModel::Pgp || db.model == WotModel::Classic)
        s += ':' + std::to_string(db.marginals) + ':' + std::to_string(db.completes) + ':' +
             std::to_string(db.cert_depth);
    return s;
}

}  // namespace pgpkit::trust
