#include "keyring/key_cache.h"

#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "keyring/colons.h"
#include "packet/signature.h"

namespace pgpkit::keyring {

using cert::Cert;
using cert::ComponentReport;

namespace {

/** Every key of a certificate that parses: the primary key and its subkeys. */
template <class Fn>
void each_key(const Cert& c, Fn fn) {
    fn(c.key());
    for (const auto& comp : c.components)
        if (comp.kind == cert::ComponentKind::Subkey && comp.key()) fn(*comp.key());
}

/** The state of gpg's user ID cache and public key cache during one listing. */
class ListingCaches {
public:
    ListingCaches(const std::vector<Cert>& certs, const std::vector<Cert>& keyring) {
        for (const auto* set : {&certs, &keyring})
            for (const Cert& c : *set)
                each_key(c, [&](const packet::Key& k) { m_holder.emplace(cert::keyid_value(k.keyid), &c); });
    }

    /** A look-up that found `c` (finish_lookup caches the user ID of every key it holds). */
    void found(const Cert& c) {
        each_key(c, [&](const packet::Key& k) { m_uid.insert(cert::keyid_value(k.keyid)); });
    }

    /**
     * get_user_id(id) for a printed sig record: unknown to the user ID cache, the key is
     * read without a usage requirement (found whatever its state) and put in both caches.
     */
    void user_id_of(std::uint64_t id) {
        if (m_uid.count(id)) return;
        const auto it = m_holder.find(id);
        if (it == m_holder.end()) return;
        found(*it->second);
        m_pk.insert(id);
    }

    bool in_pk_cache(std::uint64_t id) const { return m_pk.count(id) != 0; }

private:
    std::unordered_map<std::uint64_t, const Cert*> m_holder;  ///< the first certificate holding a key ID
    std::unordered_set<std::uint64_t> m_uid;
    std::unordered_set<std::uint64_t> m_pk;
};

bool own_key(const Cert& c, std::uint64_t id) {
    bool own = false;
    each_key(c, [&](const packet::Key& k) { own |= cert::keyid_value(k.keyid) == id; });
    return own;
}

}  // namespace

void apply_listing_key_cache(const std::vector<Cert>& certs, std::vector<cert::CertReport>& reports,
                             const std::vector<Cert>& keyring, const cert::Policy& policy) {
    cert::KeyIndex all;  // what the public key cache hands out: any key, usable or not
    for (const Cert& c : certs) all.add(c, true);
    for (const Cert& c : keyring) all.add(c, true);
    cert::VerifierCache cache;
    cert::CheckContext ctx;
    ctx.others = &all;
    ctx.policy = policy;
    ctx.cache = &cache;
    ListingCaches caches(certs, keyring);
    for (std::size_t i = 0; i < certs.size() && i < reports.size(); ++i) {
        const Cert& c = certs[i];
        auto walk = [&](ComponentReport& r) {
            const auto packets = r.component->signatures();
            for (std::size_t k = 0; k < packets.size() && k < r.sigs.size(); ++k) {
                const auto* s = packets[k]->get<packet::Signature>();
                const auto issuer = s ? s->issuer_keyid() : std::nullopt;
                if (!issuer) continue;
                const std::uint64_t id = cert::keyid_value(*issuer);
                cert::SigCheck& check = r.sigs[k];
                if (!own_key(c, id)) {
                    if (check.crypto == cert::Verdict::NoKey && caches.in_pk_cache(id))
                        check = cert::check_signature(c, *r.component, *packets[k], ctx);
                    else if (check.issuer)
                        if (const Cert* owner = all.owner(check.issuer)) caches.found(*owner);
                }
                const char marker = check.marker();
                if (marker != '?' && marker != '%') caches.user_id_of(id);
            }
        };
        cert::CertReport& rep = reports[i];
        walk(rep.primary);
        for (const std::size_t idx : listing_order(rep)) walk(rep.components[idx]);
    }
}

}  // namespace pgpkit::keyring
