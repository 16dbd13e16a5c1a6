// gpg's human lines for checked signatures (verify_render.h).
#include "cli/verify_render.h"

#include <cstdio>
#include <ctime>

namespace pgpkit::cli {

using message::SigOutcome;
using message::SignatureReport;

void say(const std::string& line) { std::fprintf(stderr, "pgpkit: %s\n", line.c_str()); }

namespace {

std::string when(std::uint32_t t) {
    const std::time_t tt = t;
    std::tm tm{};
    localtime_r(&tt, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y %Z", &tm);
    return buf;
}

/** gpg's fingerprint in groups of four, two spaces in the middle. */
std::string grouped(const std::string& fpr) {
    std::string out;
    for (std::size_t i = 0; i < fpr.size(); i += 4) {
        if (i) out += i == fpr.size() / 2 ? "  " : " ";
        out += fpr.substr(i, 4);
    }
    return out;
}


void fingerprints(const SignatureReport& r) {
    std::fprintf(stderr, "Primary key fingerprint: %s\n", grouped(r.primary_fpr).c_str());
    if (r.subkey) std::fprintf(stderr, "     Subkey fingerprint: %s\n", grouped(r.key_fpr).c_str());
}

/** gpg's show_revocation_reason: the reason, capitalised, and the comment after it. */
void revocation(const std::string& reason) {
    const auto colon = reason.find(": ");
    std::string code = reason.substr(0, colon);
    if (!code.empty() && code[0] >= 'a' && code[0] <= 'z') code[0] = static_cast<char>(code[0] - 'a' + 'A');
    say("reason for revocation: " + code);
    if (colon != std::string::npos) say("revocation comment: " + reason.substr(colon + 2));
}

/** gpg's lines for a signature that verifies, in its order (g10/mainproc.c, g10/pkclist.c). */
void render_good(const SignatureReport& r) {
    // gpg: an expired key's validity reads "expired"; a revoked key keeps its validity.
    const std::string word = r.key_expired ? "expired"
                             : r.trust       ? message::trust_word(*r.trust)
                                             : "unknown";
    const char* head = r.sig_expired ? "Expired signature from" : "Good signature from";
    say(std::string(head) + " \"" + r.primary_uid + "\" [" + word + "]");
    for (const std::string& u : r.other_uids) say("                aka \"" + u + "\" [" + word + "]");
    if (r.sig)
        for (const packet::Subpacket& s : r.sig->hashed)
            if (s.type() == packet::SubpacketType::PolicyUri)
                say("Signature policy: " + std::string(s.body.begin(), s.body.end()));
    if (r.key_revoked) {
        say("WARNING: This key has been revoked by its owner!");
        say("         This could mean that the signature is forged.");
        revocation(r.revocation_reason);
    } else if (r.key_expired) {
        say("Note: This key has expired!");
        fingerprints(r);
    } else if (!r.trust || *r.trust == message::TrustLevel::Undefined || *r.trust == message::TrustLevel::Never) {
        say("WARNING: This key is not certified with a trusted signature!");
        say("         There is no indication that the signature belongs to the owner.");
        fingerprints(r);
    }
    if (r.sig_expired) say("Signature expired " + when(r.sig_expires.value_or(0)));
}

}  // namespace

void render(const SignatureReport& r) {
    say("Signature made " + when(r.created));
    say("               using " + r.algo_name + " key " + r.issuer);
    if (r.sig)
        if (const auto* s = r.sig->subpacket(packet::SubpacketType::SignersUserId))
            say("               issuer \"" + std::string(s->body.begin(), s->body.end()) + "\"");
    switch (r.outcome) {
    case SigOutcome::Good: render_good(r); break;
    case SigOutcome::Bad:
        say("BAD signature from \"" + r.primary_uid + "\" [" +
            (r.trust ? message::trust_word(*r.trust) : "unknown") + "]");
        break;
    case SigOutcome::NoKey: say("Can't check signature: No public key"); break;
    case SigOutcome::Error: say("Can't check signature: " + r.reason); break;
    }
}

}  // namespace pgpkit::cli
