#include "keyring/export.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

#include "base/error.h"
#include "cert/secret_key.h"
#include "keyring/clean.h"
#include "keyring/internal/issuers.h"

namespace pgpkit::keyring {

namespace {

/** Fingerprints named by the specifications, deduplicated, in store order. */
std::vector<Bytes> resolve(Store& store, const std::vector<std::string>& specs, std::vector<std::string>& missing) {
    std::vector<Bytes> out;
    if (specs.empty()) {
        store.for_each([&](const StoredCert& c) {
            out.push_back(c.fingerprint);
            return true;
        });
        return out;
    }
    std::set<std::string> seen;  // hex: GCC 12 warns falsely on std::set<Bytes> comparisons
    std::vector<std::pair<std::int64_t, Bytes>> ordered;
    for (const std::string& s : specs) {
        auto found = store.find(parse_key_spec(s));
        if (found.empty()) missing.push_back(s);
        for (Bytes& f : found) {
            if (!seen.insert(to_hex(f)).second) continue;
            const auto c = store.get(f);
            if (c) ordered.emplace_back(c->id, std::move(f));
        }
    }
    std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [id, f] : ordered) out.push_back(std::move(f));
    return out;
}

cert::Cert parse_one(ByteView block, const Bytes& fpr) { return internal::parse_stored(block, fpr); }

/** gpg's export-clean / export-minimal (clean_key) on a stored certificate. */
Bytes cleaned_keyblock(Store& store, ByteView block, const Bytes& fpr, bool minimal, std::uint32_t now) {
    cert::Cert c = parse_one(block, fpr);
    internal::IssuerKeys issuers;
    internal::load_issuers(store, c, issuers);
    cert::CheckContext ctx;
    ctx.others = &issuers.index;
    (void)clean_cert(c, minimal, ctx, now);
    return cert::write_cert(c);
}

}  // namespace

cert::Tsk with_secret_packets(const cert::Cert& pub, const cert::Tsk& tsk) {
    std::map<std::string, const packet::Packet*> secret;  // by hex fingerprint
    auto note = [&](const cert::Component& c) {
        if (secret_level(c) != SecretLevel::None) secret[to_hex(c.key()->fingerprint)] = &c.head;
    };
    note(tsk.primary);
    for (const auto& c : tsk.components) note(c);
    cert::Tsk out = pub;
    auto swap_in = [&](cert::Component& c) {
        if (!c.key()) return;
        if (auto it = secret.find(to_hex(c.key()->fingerprint)); it != secret.end()) c.head = *it->second;
    };
    swap_in(out.primary);
    for (auto& c : out.components)
        if (c.kind == cert::ComponentKind::Subkey) swap_in(c);
    return out;
}

ExportResult export_keys(Store& store, const std::vector<std::string>& specs, const ExportOptions& opt,
                         const StatusSink& status) {
    const auto now = opt.now ? opt.now : static_cast<std::uint32_t>(std::time(nullptr));
    ExportResult r;
    for (const Bytes& fpr : resolve(store, specs, r.not_found)) {
        auto stored = store.get(fpr);
        if (!stored) continue;
        ++r.stats.count;
        if (opt.minimal || opt.clean) stored->keyblock = cleaned_keyblock(store, stored->keyblock, fpr, opt.minimal, now);
        if (!opt.secret) {
            r.data.insert(r.data.end(), stored->keyblock.begin(), stored->keyblock.end());
            emit(status, "EXPORTED", {to_hex(fpr)});
            ++r.stats.exported;
            continue;
        }
        const auto tsk_bytes = store.get_secret(fpr);
        if (!tsk_bytes) continue;
        ++r.stats.secret_count;
        emit(status, "KEY_CONSIDERED", {to_hex(fpr), "0"});
        const cert::Tsk tsk = with_secret_packets(parse_one(stored->keyblock, fpr),
                                                  parse_one(ByteView(tsk_bytes->data(), tsk_bytes->size()), fpr));
        const SecretBytes block = cert::write_tsk(tsk);
        r.data.insert(r.data.end(), block.begin(), block.end());
        emit(status, "EXPORTED", {to_hex(fpr)});
        ++r.stats.exported;
    }
    emit(status, "EXPORT_RES", {std::to_string(r.stats.count), std::to_string(r.stats.secret_count),
                                std::to_string(r.stats.exported)});
    return r;
}

const char* delete_problem_text(DeleteProblem p) noexcept {
    switch (p) {
    case DeleteProblem::NoSuchKey: return "no such key";
    case DeleteProblem::SecretKeyPresent: return "there is a secret key for this public key; delete it first";
    case DeleteProblem::Ambiguous: return "the specification names more than one key";
    }
    return "unknown problem";
}

std::vector<DeleteOutcome> delete_keys(Store& store, const std::vector<std::string>& specs, bool secret,
                                       const StatusSink& status) {
    std::vector<DeleteOutcome> out;
    StoreWriter w(store);
    for (const std::string& s : specs) {
        DeleteOutcome o{s, {}, std::nullopt};
        const auto found = store.find(parse_key_spec(s));
        if (found.empty()) o.problem = DeleteProblem::NoSuchKey;
        else if (found.size() > 1) o.problem = DeleteProblem::Ambiguous;
        else o.fingerprint = found[0];
        if (!o.problem) {
            const auto c = store.get(o.fingerprint);
            if (secret && !(c && c->has_secret)) o.problem = DeleteProblem::NoSuchKey;
            else if (!secret && c && c->has_secret) o.problem = DeleteProblem::SecretKeyPresent;
        }
        if (o.problem) {
            emit(status, "DELETE_PROBLEM", {std::to_string(static_cast<unsigned>(*o.problem))});
        } else if (secret) {
            (void)w.erase_secret(o.fingerprint);
        } else {
            (void)w.erase(o.fingerprint);
        }
        out.push_back(std::move(o));
    }
    w.commit();
    return out;
}

}  // namespace pgpkit::keyring
