// The import run: keyring streams in, keyblocks merged and stored in batched
// transactions, events handed over once their batch is on disk.

#include "keyring/import.h"

#include <chrono>
#include <ctime>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>

#include "base/error.h"
#include "base/parallel.h"
#include "cert/cert.h"
#include "cert/validity.h"
#include "keyring/export.h"
#include "keyring/internal/issuers.h"
#include "keyring/internal/key_expired.h"
#include "keyring/keybox.h"
#include "packet/names.h"

namespace pgpkit::keyring {

using cert::Cert;
using packet::Packet;
using packet::Signature;

using internal::MergeState;
using internal::parse_stored;

namespace {

using Clock = std::chrono::steady_clock;

/** An event held back until the batch it belongs to is committed. */
struct Deferred {
    enum Kind : std::uint8_t { Status, Log, Problem } kind = Log;
    StatusEvent status;
    std::string text;
};

/** The first packet of a certificate whose body did not parse. */
const packet::Finding* first_malformed(const Cert& c) {
    for (const Packet* p : cert::packets_of(c))
        for (const auto& f : p->findings)
            if (f.name == "malformed-packet") return &f;
    return nullptr;
}

/** The stored certificate of a key, and the same with its stored secret key packets. */
struct Existing {
    Cert pub;
    Cert combined;
};

std::optional<Existing> load_existing(Store& store, ByteView fpr) {
    const auto stored = store.get(fpr);
    if (!stored) return std::nullopt;
    Existing e{parse_stored(stored->keyblock, fpr), {}};
    e.combined = e.pub;
    if (stored->has_secret)
        if (const auto sec = store.get_secret(fpr))
            e.combined = with_secret_packets(e.pub, parse_stored(ByteView(sec->data(), sec->size()), fpr));
    return e;
}

bool has_secret_part(const Cert& c) {
    if (secret_level(c.primary) != SecretLevel::None) return true;
    for (const auto& comp : c.components)
        if (comp.kind == cert::ComponentKind::Subkey && secret_level(comp) != SecretLevel::None) return true;
    return false;
}

/**
 * The public certificate of a merged keyblock: secret key packets become public ones,
 * taking the stored public packet of the same key where there is one (so the stored
 * bytes of a key do not change when its secret part arrives).
 */
Cert public_of(const Cert& merged, const Cert* stored_pub) {
    Cert out = cert::public_part(merged);
    if (!stored_pub) return out;
    auto restore = [&](cert::Component& c) {
        if (!c.key()) return;
        if (stored_pub->key().fingerprint == c.key()->fingerprint) {
            c.head = stored_pub->primary.head;
            return;
        }
        for (const auto& s : stored_pub->components)
            if (s.kind == cert::ComponentKind::Subkey && s.key() && s.key()->fingerprint == c.key()->fingerprint)
                c.head = s.head;
    };
    restore(out.primary);
    for (auto& c : out.components)
        if (c.kind == cert::ComponentKind::Subkey) restore(c);
    return out;
}

std::string describe_packet(const Packet& p) {
    return std::string(packet::tag_name(p.tag())) + " packet at offset " +
           std::to_string(p.offset);
}

}  // namespace

struct Importer::Impl {
    Impl(Store& s, ImportRunOptions o, ImportEvents e) : store(s), opt(std::move(o)), ev(std::move(e)) {
        if (!opt.now) opt.now = static_cast<std::uint32_t>(std::time(nullptr));
        opt.import.have_secret_key = [this](std::uint64_t keyid) { return have_secret(keyid); };
    }

    Store& store;
    ImportRunOptions opt;
    ImportEvents ev;
    ImportStats stats;
    std::size_t errors = 0;
    std::optional<StoreWriter> txn;
    std::size_t in_batch = 0;
    Clock::time_point batch_start;
    std::vector<Deferred> pending;
    std::string input;
    bool skipping_bad_primary = false;
    std::uint64_t seen = 0;  ///< packets of the current input
    /** Verifications known to succeed: those stored for the certificates merged, and new ones. */
    cert::VerifiedSignatures verified;
    /** Keyblocks read but not merged yet: their self-signatures are verified ahead. */
    std::vector<Cert> queued;
    /** What the look-ahead found for the keyblock being merged (null: nothing). */
    const std::vector<std::uint64_t>* ahead_repair = nullptr;
    /** KEYEXPIRED lines of a look-up of a stored certificate, by fingerprint (hex). */
    std::unordered_map<std::string, std::vector<std::uint32_t>> lookup_lines;

    void status(std::string kw, std::vector<std::string> args) {
        pending.push_back({Deferred::Status, StatusEvent{std::move(kw), std::move(args)}, {}});
    }
    void log(std::string line) { pending.push_back({Deferred::Log, {}, std::move(line)}); }
    void problem(std::string line) {
        ++errors;
        pending.push_back({Deferred::Problem, {}, std::move(line)});
    }

    bool have_secret(std::uint64_t keyid);
    StoreWriter& writer();
    void maybe_commit(bool force);
    void flush();
    cert::CheckContext context(const Cert& incoming, const Existing* existing, internal::IssuerKeys& issuers);
    void key_expired(const std::vector<std::uint32_t>& lines);
    void looked_up(ByteView fpr, const Cert* stored);
    void emit_result(const ImportResult& r, const Cert& stored, const std::string& fpr, const std::string& keyid);
    void store_result(ImportResult& r, Cert pub, const cert::CheckContext& ctx);
    void on_cert(Cert&& c);
    void queue(Cert&& c);
    void drain();
    void considered_signers(const Cert& c);
    void on_malformed(const Cert& c, const packet::Finding& f);
    void on_stray(const Packet& p, const std::string& why);
    void on_revocation(const Packet& p);
    void progress(std::uint64_t offset);
};

bool Importer::Impl::have_secret(std::uint64_t keyid) {
    Bytes id(8);
    for (int i = 0; i < 8; ++i) id[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(keyid >> (56 - 8 * i));
    for (const Bytes& primary : store.find_by_key_id(id))
        for (const auto& [fpr, level] : store.secret_keys(primary))
            if (level == SecretLevel::Present && internal::keyid_of_fingerprint(fpr) == id) return true;
    return false;
}

StoreWriter& Importer::Impl::writer() {
    if (!txn) {
        txn.emplace(store);
        batch_start = Clock::now();
        in_batch = 0;
    }
    return *txn;
}

void Importer::Impl::maybe_commit(bool force) {
    const auto open_for = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - batch_start);
    if (txn && (force || in_batch >= opt.batch_certs || open_for.count() >= opt.batch_millis)) {
        txn->save_verified(verified.take_fresh());
        txn->commit();
        txn.reset();
    }
    if (!txn) flush();
}

void Importer::Impl::flush() {
    for (Deferred& d : pending) {
        if (d.kind == Deferred::Status) emit(ev.status, std::move(d.status.keyword), std::move(d.status.args));
        else if (d.kind == Deferred::Log && ev.log) ev.log(d.text);
        else if (d.kind == Deferred::Problem && ev.error) ev.error(d.text);
    }
    pending.clear();
}

cert::CheckContext Importer::Impl::context(const Cert& incoming, const Existing* existing,
                                           internal::IssuerKeys& issuers) {
    cert::CheckContext ctx;
    ctx.policy = opt.policy;
    // Third-party signatures are judged by import-clean, and by repair-keys when it looks
    // for the component a misplaced one is over; find their issuers in the store.
    if (opt.import.clean()) {
        internal::load_issuers(store, incoming, issuers);
        if (existing) internal::load_issuers(store, existing->pub, issuers);
    } else if (opt.import.repair_keys) {
        std::vector<std::array<std::uint8_t, 8>> ids;
        for (const std::uint64_t id : ahead_repair ? *ahead_repair : repair_issuers(incoming)) {
            std::array<std::uint8_t, 8> b{};
            for (int i = 0; i < 8; ++i) b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(id >> (56 - 8 * i));
            ids.push_back(b);
        }
        if (ids.empty()) return ctx;
        internal::load_issuers(store, ids, issuers);
    } else {
        return ctx;
    }
    ctx.others = &issuers.index;
    return ctx;
}

/** KEYEXPIRED lines, as gpg writes them while it evaluates a keyblock (internal/key_expired.h). */
void Importer::Impl::key_expired(const std::vector<std::uint32_t>& lines) {
    for (const std::uint32_t t : lines) status("KEYEXPIRED", {std::to_string(t)});
}

/**
 * A look-up of the stored certificate `fpr`: gpg merges its self-signatures, which may
 * write KEYEXPIRED lines, then writes KEY_CONSIDERED. `stored` may be null: it is read
 * from the store unless its lines are known.
 */
void Importer::Impl::looked_up(ByteView fpr, const Cert* stored) {
    const std::string hex = to_hex(fpr);
    auto it = lookup_lines.find(hex);
    if (it == lookup_lines.end()) {
        std::vector<std::uint32_t> lines;
        if (stored) lines = internal::merge_keyexpired(*stored, opt.now, MergeState::Fresh, &verified);
        else if (const auto s = store.get(fpr)) {
            store.load_verified(fpr, verified);
            lines = internal::merge_keyexpired(parse_stored(s->keyblock, fpr), opt.now, MergeState::Fresh, &verified);
        }
        it = lookup_lines.emplace(hex, std::move(lines)).first;
    }
    key_expired(it->second);
    status("KEY_CONSIDERED", {hex, "0"});
}

/**
 * The status and log lines of one keyblock, in the order gpg 2.2 writes them. `stored` is
 * the public certificate as it is stored after this keyblock (what gpg's look-ups read).
 */
void Importer::Impl::emit_result(const ImportResult& r, const Cert& stored, const std::string& fpr,
                                 const std::string& keyid) {
    for (const std::string& line : r.log)
        if (line.find("secret key imported") == std::string::npos) log(line);
    for (const Dropped& d : r.dropped)
        if (d.whole_component && d.reason != DropReason::DuplicateUserId) log("key " + keyid + ": " + d.component + " skipped: " +
                                   (d.detail.empty() ? drop_reason_name(d.reason) : d.detail));
    const bool considered = r.outcome == ImportOutcome::New || r.outcome == ImportOutcome::Updated ||
                            r.outcome == ImportOutcome::Unchanged;
    if (considered) lookup_lines.erase(fpr);  // the store now holds `stored`
    std::size_t n_public = r.status.size() - (r.secret_import_ok ? 1 : 0);
    key_expired(r.key_expired);
    const Bytes raw_fpr = considered ? stored.fingerprint() : Bytes{};
    if (considered && r.outcome != ImportOutcome::Unchanged) looked_up(raw_fpr, &stored);
    for (std::size_t i = 0; i < n_public; ++i)
        status(r.status[i].keyword, {status_escape(r.status[i].args)});
    // import_one_real's check_prefs when the secret key is at hand: one more merge, of a
    // keyblock import-clean merged already.
    if (!r.secret && r.outcome != ImportOutcome::Unchanged && considered &&
        have_secret(cert::keyid_value(stored.key().keyid)))
        key_expired(internal::merge_keyexpired(stored, opt.now, opt.import.clean() ? MergeState::Again : MergeState::Fresh,
                                                   &verified));
    if (r.outcome == ImportOutcome::Unchanged) looked_up(raw_fpr, &stored);
    if (!r.secret_import_ok) return;
    looked_up(raw_fpr, &stored);
    log("key " + keyid + ": secret key imported");
    status(r.status.back().keyword, {r.status.back().args});
    // import_secret_one's check_prefs merges the keyblock of that look-up a second time.
    key_expired(internal::merge_keyexpired(stored, opt.now, MergeState::Again, &verified));
}

void Importer::Impl::store_result(ImportResult& r, Cert pub, const cert::CheckContext& ctx) {
    StoreWriter& w = writer();
    for (const Packet& rev : r.other_revocations) {
        RevocationResult rr = attach_revocation(&pub, rev, ctx);
        for (auto& line : rr.log) log(std::move(line));
        stats.add_other_revocation(rr);
        if (rr.outcome == RevocationOutcome::Imported) r.store = true;
    }
    if (!r.store) return;
    w.put(pub);
    if (has_secret_part(r.cert)) w.put_secret(r.cert);
}

void Importer::Impl::on_cert(Cert&& c) {
    skipping_bad_primary = false;
    const std::uint64_t end = c.components.empty() ? c.primary.head.offset : c.components.back().head.offset;
    if (const packet::Finding* f = first_malformed(c)) {
        on_malformed(c, *f);
        progress(end);
        return;
    }
    writer();  // look-ups happen inside the transaction: no other writer merges in between
    const Bytes fpr = c.fingerprint();
    const std::string keyid = keyid_hex(c.key());
    const std::optional<Existing> existing = load_existing(store, fpr);
    internal::IssuerKeys issuers;
    cert::VerifierCache cache;  // one certificate's keys, decoded once for all its checks
    cert::CheckContext ctx = context(c, existing ? &*existing : nullptr, issuers);
    ctx.cache = &cache;
    if (existing) store.load_verified(fpr, verified);
    ctx.verified = &verified;
    // gpg looks up each third-party issuer once per pass that checks every signature:
    // repair-keys' and import-clean's (import-minimal drops them unchecked).
    const bool clean_pass = opt.import.import_clean && !opt.import.import_minimal;
    if (!opt.import.self_sigs_only)
        for (int pass = (clean_pass ? 1 : 0) + (opt.import.repair_keys ? 1 : 0); pass > 0; --pass)
            considered_signers(c);
    ImportResult r = import_cert(std::move(c), existing ? &existing->combined : nullptr, opt.import, ctx, opt.now);
    Cert pub = public_of(r.cert, existing ? &existing->pub : nullptr);
    emit_result(r, pub, to_hex(fpr), keyid);
    store_result(r, std::move(pub), ctx);
    stats.add(r);
    ++in_batch;
    progress(end);
    maybe_commit(false);
}

/** Keyblocks verified ahead together: enough to keep every thread busy, few in memory. */
constexpr std::size_t kQueuedCerts = 32;

void Importer::Impl::queue(Cert&& c) {
    queued.push_back(std::move(c));
    if (queued.size() >= kQueuedCerts) drain();
}

/**
 * Verifies every signature of the queued keyblocks that needs no other key, on several
 * threads, into `verified`; then merges them one by one in input order, and those checks
 * find the verifications done. Only good verifications are kept, and a keyblock that
 * fails here is merged and reported as without the look-ahead.
 */
void Importer::Impl::drain() {
    const unsigned hw = std::thread::hardware_concurrency();
    const unsigned jobs = opt.jobs ? opt.jobs : (hw ? hw : 1);
    const bool repair_ahead = jobs > 1 && opt.import.repair_keys && !opt.import.clean();
    std::vector<std::optional<std::vector<std::uint64_t>>> repair(queued.size());
    if (jobs > 1 && queued.size() > 1)
        run_parallel(queued.size(), std::min<std::size_t>(jobs, queued.size()), [&](std::size_t i) {
            if (first_malformed(queued[i])) return;
            cert::VerifierCache cache;
            cert::CheckContext ctx;
            ctx.policy = opt.policy;
            ctx.cache = &cache;
            ctx.verified = &verified;
            try {
                if (repair_ahead) repair[i] = repair_issuers(queued[i]);
                (void)cert::check_cert(queued[i], ctx, opt.now);
            } catch (const Error&) {
                // the merge meets the same problem and reports it
            }
        });
    std::vector<Cert> batch = std::exchange(queued, {});
    for (std::size_t i = 0; i < batch.size(); ++i) {
        ahead_repair = repair[i] ? &*repair[i] : nullptr;
        on_cert(std::move(batch[i]));
    }
    ahead_repair = nullptr;
}

/**
 * gpg's repair-keys checks every signature of an incoming keyblock and so looks up each
 * third-party issuer (with the key cache off during an import): a KEY_CONSIDERED per
 * signature whose issuer is in the store, after the KEYEXPIRED lines of its merge.
 */
void Importer::Impl::considered_signers(const Cert& c) {
    for (const auto& id : internal::third_party_issuers(c)) {
        const auto found = store.find_by_key_id(ByteView(id.data(), id.size()));
        if (!found.empty()) looked_up(found.front(), nullptr);
    }
}

void Importer::Impl::on_malformed(const Cert& c, const packet::Finding& f) {
    const std::string fpr = to_hex(c.fingerprint());
    problem(input + ": offset " + std::to_string(f.offset) + ": certificate " + fpr + " skipped: " + f.detail);
    status("IMPORT_PROBLEM", {"1", fpr});
    ++stats.count;
    ++stats.not_imported;
    maybe_commit(false);
}

void Importer::Impl::on_stray(const Packet& p, const std::string& why) {
    const auto* s = p.get<Signature>();
    if (s && !skipping_bad_primary &&
        static_cast<packet::SigType>(s->sig_type) == packet::SigType::KeyRevocation) {
        on_revocation(p);
        return;
    }
    const auto tag = static_cast<packet::Tag>(p.tag());
    if (tag == packet::Tag::Marker) return;  // RFC 9580 section 5.8: ignored on receipt
    if (tag == packet::Tag::PublicKey || tag == packet::Tag::SecretKey) {
        skipping_bad_primary = true;
        const std::string detail = p.findings.empty() ? why : p.findings.front().detail;
        problem(input + ": offset " + std::to_string(p.offset) + ": certificate skipped: " + detail);
        status("IMPORT_PROBLEM", {"1"});
        ++stats.count;
        ++stats.not_imported;
    } else if (!skipping_bad_primary) {
        log(input + ": " + describe_packet(p) + " skipped: " + why);
    }
    maybe_commit(false);
}

/** A bare key revocation (gpg's import_revoke_cert): applied to the key it names. */
void Importer::Impl::on_revocation(const Packet& p) {
    const Signature& s = *p.get<Signature>();
    writer();
    const std::optional<Bytes> fpr = internal::primary_of_issuer(store, s);
    std::optional<Existing> existing = fpr ? load_existing(store, *fpr) : std::nullopt;
    cert::CheckContext ctx;
    ctx.policy = opt.policy;
    if (existing) looked_up(*fpr, &existing->pub);
    RevocationResult rr = attach_revocation(existing ? &existing->pub : nullptr, p, ctx);
    for (auto& line : rr.log) {
        if (rr.outcome == RevocationOutcome::Imported || rr.outcome == RevocationOutcome::Duplicate) log(line);
        else problem(line);
    }
    if (rr.outcome == RevocationOutcome::Imported) writer().put(existing->pub);
    if (fpr) lookup_lines.erase(to_hex(*fpr));
    stats.add(rr);
    ++in_batch;
    maybe_commit(false);
}

void Importer::Impl::progress(std::uint64_t offset) {
    if (ev.progress) ev.progress(ImportProgress{input, offset, stats.count});
}

Importer::Importer(Store& store, ImportRunOptions opt, ImportEvents events)
    : m_impl(std::make_unique<Impl>(store, std::move(opt), std::move(events))) {}

Importer::~Importer() = default;

std::size_t Importer::errors() const noexcept { return m_impl->errors; }

void Importer::read(packet::Source& input, const std::string& name) {
    Impl& m = *m_impl;
    m.input = name;
    m.seen = 0;
    m.skipping_bad_primary = false;
    cert::ReadOptions ro;
    ro.parse = m.opt.parse;
    ro.max_packets_per_cert = m.opt.max_packets_per_cert;
    ro.raise_malformed = false;
    ro.deliver_partial = false;
    cert::ReadEvents re;
    re.cert = [&m](Cert&& c) {
        ++m.seen;
        m.queue(std::move(c));
    };
    re.stray = [&m](const Packet& p, const std::string& why) {
        ++m.seen;
        m.drain();  // in input order
        m.on_stray(p, why);
    };
    bool failed = false;
    bool packet_error = false;  // a packet was being read: there was OpenPGP data
    try {
        const auto head = input.peek_view(12);
        if (head && is_keybox(*head)) {
            // GnuPG's pubring.kbx: the keyblocks of its OpenPGP blobs, read-only.
            KeyboxCertEvents ke;
            ke.cert = [&re](Cert&& c, const KeyboxBlob&) { re.cert(std::move(c)); };
            ke.stray = re.stray;
            (void)read_keybox_certs(input, KeyboxOptions{}, ro, ke);
        } else {
            cert::read_certs(input, ro, re);
        }
    } catch (const Error& e) {
        m.drain();
        if (e.kind() == Errc::Io) throw;
        failed = true;
        packet_error = e.packet_index().has_value();
        if (!m.seen && !packet_error) m.log("no valid OpenPGP data found.");
        m.problem(name + ": " + e.what() + (m.seen ? "; the rest of this input was not read" : ""));
    }
    m.drain();
    if (!m.seen && !packet_error) {
        if (!failed) m.problem("no valid OpenPGP data found.");
        m.status("NODATA", {"1"});
    }
    m.maybe_commit(false);
}

const ImportStats& Importer::finish() {
    Impl& m = *m_impl;
    m.maybe_commit(true);
    emit(m.ev.status, "IMPORT_RES", {import_res_args(m.stats)});
    return m.stats;
}

}  // namespace pgpkit::keyring
