#include "keyring/show.h"

#include <ctime>
#include <utility>

#include "base/error.h"
#include "keyring/internal/issuers.h"
#include "keyring/keybox.h"

namespace pgpkit::keyring {

namespace {

using cert::Cert;
using packet::Packet;
using packet::Signature;

std::uint32_t clock_now() { return static_cast<std::uint32_t>(std::time(nullptr)); }

/** What one show_keys run reads and reports. */
class Shower {
public:
    Shower(Store* store, const std::string& name, const ShowOptions& opt, const ShowEvents& ev)
        : m_store(store), m_name(name), m_opt(opt), m_ev(ev) {
        if (!m_opt.now) m_opt.now = clock_now();
    }

    void on_cert(Cert&& c) {
        m_skipping = false;
        internal::IssuerKeys issuers;
        if (m_store) internal::load_issuers(*m_store, c, issuers);
        cert::VerifierCache cache;
        cert::CheckContext ctx;
        ctx.policy = m_opt.policy;
        ctx.others = &issuers.index;
        ctx.cache = &cache;
        Prepared p = prepare_cert(std::move(c), m_opt.import, ctx, m_opt.now);
        if (p.problem == Problem::V3Key) return;  // gpg 2.2 skips PGP 2 keys without a word
        ShownKey k{std::move(p.cert), p.problem, {}};
        for (auto& i : issuers.certs) k.issuers.push_back(std::move(*i));
        if (m_ev.key) m_ev.key(std::move(k));
    }

    void on_stray(const Packet& p, const std::string& why) {
        const auto* s = p.get<Signature>();
        if (s && !m_skipping && static_cast<packet::SigType>(s->sig_type) == packet::SigType::KeyRevocation) {
            revocation(p, *s);
            return;
        }
        const auto tag = static_cast<packet::Tag>(p.tag());
        if (tag == packet::Tag::PublicKey || tag == packet::Tag::SecretKey) {
            m_skipping = true;
            error(m_name + ": offset " + std::to_string(p.offset) + ": certificate skipped: " +
                  (p.findings.empty() ? why : p.findings.front().detail));
        }
    }

    void error(const std::string& line) {
        ++m_errors;
        if (m_ev.error) m_ev.error(line);
    }
    std::size_t errors() const noexcept { return m_errors; }

private:
    void revocation(const Packet& p, const Signature& s) {
        ShownRevocation r{p, cert::SigCheck{}, std::nullopt};
        r.check.crypto = cert::Verdict::NoKey;
        if (m_store)
            if (const auto fpr = internal::primary_of_issuer(*m_store, s))
                if (const auto stored = m_store->get(*fpr)) r.key = internal::parse_stored(stored->keyblock, *fpr);
        if (r.key) {
            cert::CheckContext ctx;
            ctx.policy = m_opt.policy;
            r.check = cert::check_signature(*r.key, r.key->primary, p, ctx);
            // gpg stops with "error reading FILE: Bad signature" and exits 2.
            if (!r.check.good())
                error(m_name + ": offset " + std::to_string(p.offset) + ": invalid revocation certificate of key " +
                      to_hex(r.key->key().keyid) + ": " +
                      (r.check.policy ? *r.check.policy : r.check.crypto_reason.empty() ? r.check.verdict_name()
                                                                                        : r.check.crypto_reason));
        }
        if (m_ev.revocation) m_ev.revocation(std::move(r));
    }

    Store* m_store;
    std::string m_name;
    ShowOptions m_opt;
    const ShowEvents& m_ev;
    bool m_skipping = false;  // after a primary key that did not parse, up to the next one
    std::size_t m_errors = 0;
};

}  // namespace

std::size_t show_keys(packet::Source& input, const std::string& name, Store* store, const ShowOptions& opt,
                      const ShowEvents& ev) {
    Shower sh(store, name, opt, ev);
    cert::ReadOptions ro;
    ro.parse = opt.parse;
    ro.raise_malformed = false;
    ro.deliver_partial = false;
    cert::ReadEvents re;
    re.cert = [&sh](Cert&& c) { sh.on_cert(std::move(c)); };
    re.stray = [&sh](const Packet& p, const std::string& why) { sh.on_stray(p, why); };
    try {
        const auto head = input.peek_view(12);
        if (head && is_keybox(*head)) {
            KeyboxCertEvents ke;
            ke.cert = [&re](Cert&& c, const KeyboxBlob&) { re.cert(std::move(c)); };
            ke.stray = re.stray;
            (void)read_keybox_certs(input, KeyboxOptions{}, ro, ke);
        } else {
            cert::read_certs(input, ro, re);
        }
    } catch (const Error& e) {
        if (e.kind() == Errc::Io) throw;
        sh.error(name + ": " + e.what());
    }
    return sh.errors();
}

}  // namespace pgpkit::keyring
