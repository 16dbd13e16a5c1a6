// The choice of the signing key of a transferable secret key and of its hash, as gpg 2.2 makes them.

#include <algorithm>

#include "base/error.h"
#include "cert/secret_key.h"
#include "cert/validity.h"
#include "message/internal/checker.h"
#include "message/sign.h"
#include "packet/fields.h"
#include "packet/sig_hash.h"

namespace pgpkit::message {

namespace {

using packet::HashAlgo;

struct Candidate {
    const cert::Component* comp = nullptr;
    std::uint32_t created = 0;
};

bool has_secret(const packet::Key& k) {
    const cert::SecretKind s = cert::secret_kind(k);
    return s == cert::SecretKind::Cleartext || s == cert::SecretKind::Encrypted;
}

/** The keys that may sign, newest subkey first, then the primary key. */
std::vector<Candidate> candidates(const cert::Tsk& tsk, const cert::CertReport& rep) {
    std::vector<Candidate> subs;
    for (const cert::ComponentReport& c : rep.components) {
        if (c.component->kind != cert::ComponentKind::Subkey) continue;
        const packet::Key& k = *c.component->key();
        if (c.validity.state != cert::ValidityState::Valid || !c.usage.sign || !has_secret(k)) continue;
        if (!c.backsig || c.backsig->verdict != cert::Verdict::Good) continue;
        subs.push_back({c.component, k.created});
    }
    std::stable_sort(subs.begin(), subs.end(), [](const Candidate& a, const Candidate& b) { return a.created > b.created; });
    if (rep.primary.validity.state == cert::ValidityState::Valid && rep.primary.usage.sign && has_secret(tsk.key()))
        subs.push_back({&tsk.primary, tsk.key().created});
    return subs;
}

unsigned hash_bits(HashAlgo h) noexcept {
    switch (h) {
    case HashAlgo::Sha256: case HashAlgo::Sha3_256: return 256;
    case HashAlgo::Sha384: return 384;
    case HashAlgo::Sha512: case HashAlgo::Sha3_512: return 512;
    case HashAlgo::Sha224: return 224;
    default: return 160;
    }
}

/** The smallest digest the key needs: RFC 9580 sections 5.2.3.2 (DSA) and 5.2.3.3 (ECDSA). */
unsigned min_bits(const packet::Key& k) noexcept {
    unsigned need = 256;
    if (k.algo == packet::PubkeyAlgo::Dsa) {
        for (const packet::AlgoField& f : k.fields)
            if (f.name == "q") need = std::max(need, static_cast<unsigned>(f.effective_bits()));
    } else if (k.algo == packet::PubkeyAlgo::Ecdsa) {
        const unsigned b = packet::key_bits(k.algo, k.fields);
        need = std::max(need, b > 384 ? 512u : b);
    }
    return need;
}

/** The hash preferences of the primary user ID's self-signature in force. */
std::vector<HashAlgo> preferences(const cert::CertReport& rep) {
    for (const cert::ComponentReport& c : rep.components) {
        if (!c.primary_uid || !c.self_sig) continue;
        const auto sigs = c.component->signatures();
        if (*c.self_sig >= sigs.size()) break;
        const auto* s = sigs[*c.self_sig]->get<packet::Signature>();
        const packet::Subpacket* p = s ? s->subpacket(packet::SubpacketType::PreferredHash) : nullptr;
        if (!p) break;
        std::vector<HashAlgo> out;
        for (std::uint8_t b : p->body) out.push_back(static_cast<HashAlgo>(b));
        return out;
    }
    return {};
}

/**
 * gpg 2.2's hash_for(): legacy EdDSA signs with SHA-256; DSA and ECDSA with the smallest
 * hash that fits q (SHA-256 at the least here, where gpg would take SHA-1 for q of 160
 * bits); other keys with the first of their preferences pgpkit has, of 256 bits or more.
 */
HashAlgo pick_hash(const packet::Key& k, const cert::CertReport& rep) {
    const unsigned need = min_bits(k);
    if (k.algo == packet::PubkeyAlgo::EdDsaLegacy) return HashAlgo::Sha256;
    std::vector<HashAlgo> order;
    if (k.algo != packet::PubkeyAlgo::Dsa && k.algo != packet::PubkeyAlgo::Ecdsa) order = preferences(rep);
    for (HashAlgo h : {HashAlgo::Sha256, HashAlgo::Sha384, HashAlgo::Sha512}) order.push_back(h);
    for (HashAlgo h : order)
        if (packet::hash_kind(h) && hash_bits(h) >= need && h != HashAlgo::Sha224) return h;
    return HashAlgo::Sha512;
}

cert::CertReport report_of(const cert::Tsk& tsk, std::uint32_t now) {
    cert::CheckContext ctx;
    return cert::check_cert(tsk, ctx, now);
}

}  // namespace

bool can_sign(const cert::Tsk& tsk, std::uint32_t now) { return !candidates(tsk, report_of(tsk, now)).empty(); }

SigningKey signing_key(const cert::Tsk& tsk, std::uint32_t now, const std::optional<SecretBytes>& passphrase) {
    const cert::CertReport rep = report_of(tsk, now);
    const std::vector<Candidate> keys = candidates(tsk, rep);
    const std::string name = internal::hex(tsk.fingerprint());
    if (keys.empty()) throw Error(Errc::Usage, 0, "key " + name + " has no usable secret signing key");
    const cert::Component& comp = *keys.front().comp;
    const packet::Key& k = *comp.key();
    if (cert::secret_kind(k) == cert::SecretKind::Encrypted && !passphrase)
        throw Error(Errc::Usage, 0, "no passphrase given for key " + internal::hex(k.fingerprint) +
                                        " (use --passphrase-file or --passphrase-fd)");
    const cert::SecretFields fields = cert::unprotect(k, comp.head.tag(), passphrase.value_or(SecretBytes{}));
    SigningKey out;
    out.material = keygen::material_from_key(k, fields, k.created, k.version);
    if (out.material.key.fingerprint != k.fingerprint)
        throw Error(Errc::Usage, 0, "key " + internal::hex(k.fingerprint) + " cannot be used for signing");
    out.primary_fpr = tsk.fingerprint();
    out.hash = pick_hash(k, rep);
    return out;
}

}  // namespace pgpkit::message
