#include "keyserver/fetch.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "armor/armor.h"
#include "base/error.h"
#include "packet/source.h"

namespace pgpkit::keyserver {
namespace {

Query query_for(const Bytes& id) {
    const std::string hex = to_hex(id);
    if (id.size() >= 20) return {QueryKind::Fingerprint, hex};
    if (id.size() == 8) return {QueryKind::LongKeyId, hex};
    return {QueryKind::ShortKeyId, hex};
}

/** A stored certificate's counts, to tell what an import changed. */
struct Counts {
    std::int64_t uids = 0, subkeys = 0, sigs = 0, revocations = 0;
};

bool is_revocation(packet::SigType t) {
    return t == packet::SigType::KeyRevocation || t == packet::SigType::SubkeyRevocation ||
           t == packet::SigType::CertRevocation;
}

void count_sigs(const cert::Component& comp, Counts& c) {
    for (const packet::Packet* p : comp.signatures()) {
        ++c.sigs;
        if (const auto* s = p->get<packet::Signature>(); s && is_revocation(s->sig_type)) ++c.revocations;
    }
}

std::optional<Counts> stored_counts(keyring::Store& store, ByteView fpr) {
    const auto sc = store.get(fpr);
    if (!sc) return std::nullopt;
    Counts c;
    try {
        cert::ReadOptions ro;
        ro.raise_malformed = false;
        for (const auto& crt : cert::read_all_certs(sc->keyblock, ro)) {
            count_sigs(crt.primary, c);
            for (const auto& comp : crt.components) {
                if (comp.kind == cert::ComponentKind::Subkey) ++c.subkeys;
                else ++c.uids;
                count_sigs(comp, c);
            }
        }
    } catch (const Error&) {
    }
    return c;
}

}  // namespace

const char* key_outcome_name(KeyOutcome o) noexcept {
    switch (o) {
    case KeyOutcome::New: return "new";
    case KeyOutcome::Updated: return "updated";
    case KeyOutcome::Unchanged: return "unchanged";
    case KeyOutcome::NotOnServer: return "not on server";
    case KeyOutcome::Refused: return "refused";
    case KeyOutcome::Failed: return "error";
    }
    return "unknown";
}

std::vector<KeyFetch> fetch_keys(const std::string& keyserver_url, const std::vector<Bytes>& ids, const FetchOptions& opt,
                                 const std::function<void(std::size_t, std::size_t)>& progress) {
    std::vector<KeyFetch> out(ids.size());
    const unsigned jobs = std::clamp<unsigned>(opt.jobs, 1, std::min<unsigned>(max_jobs_per_server, std::max<std::size_t>(ids.size(), 1)));
    std::atomic<std::size_t> next{0};
    std::size_t done = 0;
    std::mutex mu;
    std::exception_ptr failed;
    auto worker = [&] {
        try {
            HkpClient client(keyserver_url, opt.http);
            for (std::size_t i; (i = next.fetch_add(1)) < ids.size();) {
                KeyFetch& f = out[i];
                f.id = ids[i];
                f.server = keyserver_url;
                f.answer = opt.vks ? client.vks_get(query_for(ids[i])) : client.get(ids[i]);
                if (f.answer.ok()) f.certs = match_certs(f.answer.data, ids[i]);
                if (progress) {
                    std::lock_guard lock(mu);
                    progress(++done, ids.size());
                }
            }
        } catch (...) {
            std::lock_guard lock(mu);
            if (!failed) failed = std::current_exception();
            next = ids.size();
        }
    };
    std::vector<std::thread> pool;
    for (unsigned j = 1; j < jobs; ++j) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (failed) std::rethrow_exception(failed);
    return out;
}

bool moves_on(const Answer& a) noexcept {
    return a.outcome == Outcome::Unavailable || a.outcome == Outcome::NetFailure;
}

std::vector<KeyFetch> fetch_keys(const std::vector<KeyserverEntry>& servers, const std::vector<Bytes>& ids,
                                 const FetchOptions& opt, const std::function<void(std::size_t, std::size_t)>& progress) {
    if (servers.empty()) throw Error(Errc::Usage, 0, "no keyserver to ask");
    std::vector<KeyFetch> out(ids.size());
    std::vector<std::size_t> pending(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) pending[i] = i;
    for (std::size_t s = 0; s < servers.size() && !pending.empty(); ++s) {
        std::vector<Bytes> asked;
        for (std::size_t i : pending) asked.push_back(ids[i]);
        FetchOptions round = opt;
        round.vks = servers[s].vks;
        const std::size_t settled = ids.size() - pending.size();
        auto got = fetch_keys(servers[s].url, asked, round, [&](std::size_t done, std::size_t) {
            if (progress) progress(settled + done, ids.size());
        });
        std::vector<std::size_t> again;
        for (std::size_t k = 0; k < pending.size(); ++k) {
            if (moves_on(got[k].answer) && s + 1 < servers.size()) again.push_back(pending[k]);
            out[pending[k]] = std::move(got[k]);
        }
        pending = std::move(again);
    }
    return out;
}

ServerSearch search_keys(const std::vector<KeyserverEntry>& servers, const Query& q, const HttpOptions& http) {
    if (servers.empty()) throw Error(Errc::Usage, 0, "no keyserver to ask");
    ServerSearch out;
    for (const auto& s : servers) {
        out.server = s.url;
        out.result = HkpClient(s.url, http).search(q);
        if (!moves_on(out.result)) break;
    }
    return out;
}

std::pair<std::string, Answer> send_key(const std::vector<KeyserverEntry>& servers, std::string_view armored,
                                        const HttpOptions& http) {
    if (servers.empty()) throw Error(Errc::Usage, 0, "no keyserver to ask");
    std::pair<std::string, Answer> out;
    for (const auto& s : servers) {
        out = {s.url, HkpClient(s.url, http).send(armored)};
        if (!moves_on(out.second)) break;
    }
    return out;
}

std::optional<std::string> armored_public_cert(keyring::Store& store, ByteView fingerprint) {
    const auto stored = store.get(fingerprint);
    if (!stored) return std::nullopt;
    Bytes pub;
    for (const auto& c : cert::read_all_certs(stored->keyblock)) {
        const Bytes b = cert::write_cert(cert::public_part(c));
        pub.insert(pub.end(), b.begin(), b.end());
    }
    return armor::encode_text(pub, "PUBLIC KEY BLOCK", {});
}

std::vector<KeyReport> import_fetched(keyring::Store& store, const std::vector<KeyFetch>& fetched,
                                      const ImportFetchedOptions& opt, keyring::ImportEvents events,
                                      keyring::ImportStats& stats) {
    keyring::ImportRunOptions ro;
    ro.import.self_sigs_only = !opt.keep_third_party;
    ro.import.import_clean = opt.import_clean;
    std::vector<KeyReport> reports(fetched.size());
    std::vector<std::vector<std::optional<Counts>>> before(fetched.size());
    keyring::Importer importer(store, ro, std::move(events));
    for (std::size_t i = 0; i < fetched.size(); ++i) {
        const KeyFetch& f = fetched[i];
        KeyReport& r = reports[i];
        r.id = f.id;
        if (!f.answer.ok()) {
            r.outcome = f.answer.outcome == Outcome::NotFound ? KeyOutcome::NotOnServer : KeyOutcome::Failed;
            r.message = f.answer.outcome == Outcome::NotFound ? "not on the server" : f.answer.message;
            continue;
        }
        if (!f.certs.error.empty() || f.certs.accepted.empty()) {
            r.outcome = KeyOutcome::Refused;
            r.message = !f.certs.error.empty() ? f.certs.error : "the server sent no certificate with this key";
            continue;
        }
        for (const auto& c : f.certs.accepted) {
            r.fingerprints.push_back(c.fingerprint());
            before[i].push_back(stored_counts(store, c.fingerprint()));
            // Public parts only, whatever the server sent.
            const Bytes data = cert::write_cert(cert::public_part(c));
            packet::MemorySource src(data);
            importer.read(src, "keyserver answer for " + to_hex(f.id));
        }
    }
    stats = importer.finish();
    for (std::size_t i = 0; i < fetched.size(); ++i) {
        KeyReport& r = reports[i];
        if (r.fingerprints.empty()) continue;
        bool any_new = false, any_missing = false;
        for (std::size_t k = 0; k < r.fingerprints.size(); ++k) {
            const auto after = stored_counts(store, r.fingerprints[k]);
            if (!after) {
                any_missing = true;
                continue;
            }
            const Counts b = before[i][k].value_or(Counts{});
            if (!before[i][k]) any_new = true;
            r.changes.uids += after->uids - b.uids;
            r.changes.subkeys += after->subkeys - b.subkeys;
            r.changes.sigs += after->sigs - b.sigs;
            r.changes.revocations += after->revocations - b.revocations;
        }
        if (any_new) r.outcome = KeyOutcome::New;
        else if (r.changes.any()) r.outcome = KeyOutcome::Updated;
        else if (any_missing) {
            r.outcome = KeyOutcome::Failed;
            r.message = "not imported (see the import's messages)";
        } else r.outcome = KeyOutcome::Unchanged;
    }
    return reports;
}

}  // namespace pgpkit::keyserver
