#include "cli/listing_text.h"

#include "base/bytes.h"
#include "base/time.h"
#include "cert/verify.h"

namespace pgpkit::cli {

std::string usage_tag(const cert::Usage& u) {
    std::string s;
    if (u.sign) s += 'S';
    if (u.certify) s += 'C';
    if (u.encrypt) s += 'E';
    if (u.authenticate) s += 'A';
    return s.empty() ? "" : " [" + s + "]";
}

std::string validity_tag(const cert::Validity& v, bool show_invalid) {
    switch (v.state) {
    case cert::ValidityState::Revoked: return " [revoked: " + format_date(v.revoked_at.value_or(0)) + "]";
    case cert::ValidityState::Expired: return " [expired: " + format_date(v.expires.value_or(0)) + "]";
    case cert::ValidityState::Invalid:
        if (show_invalid) return " [invalid: " + v.reason + "]";
        [[fallthrough]];
    case cert::ValidityState::Valid: return v.expires ? " [expires: " + format_date(*v.expires) + "]" : "";
    }
    return "";
}

const char* uid_tag(char letter) noexcept {
    switch (letter) {
    case 'r': return "[ revoked]";
    case 'e': return "[ expired]";
    case 'i': return "[ invalid]";
    default: return "[ unknown]";
    }
}

char state_letter(cert::ValidityState s) noexcept {
    switch (s) {
    case cert::ValidityState::Revoked: return 'r';
    case cert::ValidityState::Expired: return 'e';
    case cert::ValidityState::Invalid: return 'i';
    case cert::ValidityState::Valid: return '-';
    }
    return '-';
}

std::string sig_line_head(const packet::Signature& s, char marker, std::uint32_t now) {
    const cert::SigFlags f = cert::signature_flags(s, now);
    const auto cls = static_cast<unsigned>(s.sig_type);
    std::string line = cert::is_revocation(s.sig_type) ? "rev" : "sig";
    line += marker;
    line += cls > 0x10 && cls <= 0x13 ? static_cast<char>('0' + cls - 0x10) : ' ';
    line += ' ';
    line += f.exportable ? ' ' : 'L';
    line += f.revocable ? ' ' : 'R';
    line += f.policy_url ? 'P' : ' ';
    line += f.notation ? 'N' : ' ';
    line += f.expired ? 'X' : ' ';
    line += f.trust_depth > 9 ? 'T' : f.trust_depth ? static_cast<char>('0' + f.trust_depth) : ' ';
    const auto id = s.issuer_keyid();
    line += ' ' + (id ? to_hex(*id) : std::string(16, '0')) + ' ' + format_date(s.created().value_or(0)) + "  ";
    return line;
}

}  // namespace pgpkit::cli
