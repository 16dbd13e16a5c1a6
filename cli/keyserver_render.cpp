#include "cli/keyserver_render.h"

#include <nlohmann/json.hpp>

#include "base/bytes.h"
#include "base/time.h"

namespace pgpkit::cli {
namespace {

std::string plural(std::int64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

nlohmann::json opt_number(const std::optional<std::uint64_t>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

/** The long key ID a key field shows: itself, or the low 64 bits of a v4 fingerprint. */
std::string keyid_of(const std::string& key) {
    if (key.size() == 40) return key.substr(24);
    if (key.size() == 64) return key.substr(0, 16);  // v6: the high 64 bits
    return key;
}

}  // namespace

std::string index_algo_name(const keyserver::IndexEntry& e) {
    if (!e.algorithm) return "unknown";
    switch (*e.algorithm) {
    case 1: case 2: case 3: return "RSA";
    case 16: case 20: return "ELG";
    case 17: return "DSA";
    case 18: return "ECDH";
    case 19: return "ECDSA";
    case 22: return "EDDSA";  // as gpg 2.2 prints it
    case 25: return "X25519";
    case 26: return "X448";
    case 27: return "Ed25519";
    case 28: return "Ed448";
    default: return "algorithm " + std::to_string(*e.algorithm);
    }
}

std::string render_index_text(const std::vector<keyserver::IndexEntry>& entries) {
    std::string out;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        out += "(" + std::to_string(i + 1) + ")\t";
        if (e.uids.empty()) out += "[no user ID]\n";
        for (std::size_t u = 0; u < e.uids.size(); ++u) {
            if (u) out += "\t";
            out += e.uids[u].user_id;
            if (e.uids[u].flags.revoked) out += " (revoked)";
            out += "\n";
        }
        out += "\t  ";
        if (!e.curve.empty()) out += e.curve + " ";
        else if (e.bits) out += std::to_string(*e.bits) + " bit ";
        out += index_algo_name(e) + " key " + keyid_of(e.key);
        if (e.created) out += ", created: " + format_date(static_cast<std::int64_t>(*e.created));
        if (e.expires) out += ", expires: " + format_date(static_cast<std::int64_t>(*e.expires));
        if (e.flags.revoked) out += " (revoked)";
        if (e.flags.disabled) out += " (disabled)";
        if (e.flags.expired) out += " (expired)";
        out += "\n";
        if (e.has_fingerprint()) out += "\t  fingerprint " + e.key + "\n";
    }
    return out;
}

std::string render_index_json(const std::vector<keyserver::IndexEntry>& entries) {
    nlohmann::json arr = nlohmann::json::array();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        nlohmann::json j;
        j["number"] = i + 1;
        j["key"] = e.key;
        j["keyid"] = keyid_of(e.key);
        j["fingerprint"] = e.has_fingerprint() ? nlohmann::json(e.key) : nlohmann::json(nullptr);
        j["algorithm"] = e.algorithm ? nlohmann::json(*e.algorithm) : nlohmann::json(nullptr);
        j["algorithm_name"] = index_algo_name(e);
        j["bits"] = e.bits ? nlohmann::json(*e.bits) : nlohmann::json(nullptr);
        j["curve"] = e.curve.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.curve);
        j["created"] = opt_number(e.created);
        j["expires"] = opt_number(e.expires);
        j["revoked"] = e.flags.revoked;
        j["disabled"] = e.flags.disabled;
        j["expired"] = e.flags.expired;
        nlohmann::json uids = nlohmann::json::array();
        for (const auto& u : e.uids)
            uids.push_back({{"uid", u.user_id}, {"created", opt_number(u.created)}, {"expires", opt_number(u.expires)},
                            {"revoked", u.flags.revoked}, {"disabled", u.flags.disabled},
                            {"expired", u.flags.expired}});
        j["uids"] = std::move(uids);
        arr.push_back(std::move(j));
    }
    return arr.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string describe_report(const keyserver::KeyReport& r) {
    using keyserver::KeyOutcome;
    std::string s = keyserver::key_outcome_name(r.outcome);
    if (r.outcome == KeyOutcome::Updated) {
        std::vector<std::string> parts;
        const auto& c = r.changes;
        if (c.uids) parts.push_back(plural(c.uids, "new user ID", "new user IDs"));
        if (c.subkeys) parts.push_back(plural(c.subkeys, "new subkey", "new subkeys"));
        if (c.sigs) parts.push_back(plural(c.sigs, "new signature", "new signatures"));
        if (c.revocations) parts.push_back(plural(c.revocations, "new revocation", "new revocations"));
        for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? ", " : ": ") + parts[i];
    } else if (!r.message.empty() && r.outcome != KeyOutcome::NotOnServer) {
        s += ": " + r.message;
    }
    return s;
}

}  // namespace pgpkit::cli
