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
    // gpg's expirestr_from_pk: a subkey expired with its primary key but no expiry of its own.
    case cert::ValidityState::Expired:
        return " [expired: " + (v.expires.value_or(0) ? format_date(*v.expires) : std::string("never     ")) + "]";
    case cert::ValidityState::Invalid:
        if (show_invalid) return " [invalid: " + v.reason + "]";
        if (v.revoked_at) return " [revoked: " + format_date(*v.revoked_at) + "]";  // no binding, revoked
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
    case 'q': return "[  undef ]";
    case 'n': return "[  never ]";
    case 'm': return "[marginal]";
    case 'f': return "[  full  ]";
    case 'u': return "[ultimate]";
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

namespace {

void put_hex(std::string& out, unsigned char b) {
    static const char* const digits = "0123456789abcdef";
    out += "\\x";
    out += digits[b >> 4];
    out += digits[b & 15];
}

void put_ascii(std::string& out, unsigned char b) {
    if (b >= 0x20 && b != 0x7f) {
        out += static_cast<char>(b);
        return;
    }
    const char* named = b == '\n' ? "\\n" : b == '\r' ? "\\r" : b == '\f' ? "\\f" : b == '\v' ? "\\v"
                      : b == '\b' ? "\\b" : b == 0 ? "\\0" : nullptr;
    if (named) out += named;
    else put_hex(out, b);
}

/** Continuation bytes a lead byte announces (gpg accepts the old 5- and 6-byte forms); -1: none. */
int continuations(unsigned char b) {
    if ((b & 0xe0) == 0xc0) return 1;
    if ((b & 0xf0) == 0xe0) return 2;
    if ((b & 0xf8) == 0xf0) return 3;
    if ((b & 0xfc) == 0xf8) return 4;
    if ((b & 0xfe) == 0xfc) return 5;
    return -1;
}

}  // namespace

std::string native_text(std::string_view utf8) {
    std::string out, seq;
    int left = 0;
    bool resync = false;
    for (const char ch : utf8) {
        const auto b = static_cast<unsigned char>(ch);
        if (resync) {
            if (!(b < 0x80 || (b >= 0xc0 && b <= 0xfd))) {
                put_hex(out, b);
                continue;
            }
            resync = false;
        }
        if (left == 0) {
            if (b < 0x80) {
                put_ascii(out, b);
            } else if (const int n = continuations(b); n > 0) {
                left = n;
                seq.assign(1, ch);
            } else {
                put_hex(out, b);
                resync = true;
            }
        } else if (b < 0x80 || b >= 0xc0) {
            for (const char s : seq) put_hex(out, static_cast<unsigned char>(s));
            put_hex(out, b);
            left = 0;
            resync = true;
        } else {
            seq += ch;
            if (--left == 0) out += seq;
        }
    }
    return out;
}

}  // namespace pgpkit::cli
