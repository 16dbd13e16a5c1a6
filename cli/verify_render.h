#pragma once
// gpg's human lines for checked signatures (g10/mainproc.c, g10/pkclist.c), with "pgpkit:"
// for "gpg:", and the trust model's validity of signers: shared by verify and decrypt.

#include <cstdint>
#include <optional>
#include <string>

#include "cli/listing_sources.h"
#include "cli/trust_options.h"
#include "message/verify.h"

namespace pgpkit::cli {

/** One line "pgpkit: LINE" on stderr. */
void say(const std::string& line);

/** The lines gpg prints for one checked signature. */
void render(const message::SignatureReport& r);

/** Validity in the trust model, computed once over every certificate when a trustdb holds ownertrust. */
class TrustOracle {
public:
    TrustOracle(const KeySourceOptions& src, const TrustCliOptions& trust, std::uint32_t now)
        : m_src(src), m_trust_opt(trust), m_now(now) {}

    message::TrustLevel operator()(const cert::Cert& c) {
        if (!m_done) compute();
        if (!m_trust) return message::TrustLevel::Undefined;
        const trust::KeyValidity* v = m_trust->find(c.fingerprint());
        if (!v) return message::TrustLevel::Undefined;
        if (v->ultimate) return message::TrustLevel::Ultimate;
        switch (v->validity) {
        case trust::Validity::Ultimate: return message::TrustLevel::Ultimate;
        case trust::Validity::Full: return message::TrustLevel::Fully;
        case trust::Validity::Marginal: return message::TrustLevel::Marginal;
        case trust::Validity::Never: return message::TrustLevel::Never;
        default: return message::TrustLevel::Undefined;
        }
    }

private:
    void compute() {
        m_done = true;
        const std::optional<trust::Trustdb> db = listing_trustdb(m_trust_opt, m_src.home);
        if (!listing_uses_trust(m_trust_opt, db)) return;
        keyring::Sources sources = listing_sources(m_src);
        std::vector<cert::Cert> all;
        sources.for_each(read_options(m_src), [&](keyring::SourcedCert&& c) {
            all.push_back(std::move(c.cert));
            return true;
        });
        m_trust = listing_trust(m_trust_opt, db, all, m_now, 1);
    }

    const KeySourceOptions& m_src;
    const TrustCliOptions& m_trust_opt;
    std::uint32_t m_now;
    bool m_done = false;
    std::optional<ListingTrust> m_trust;
};

}  // namespace pgpkit::cli
