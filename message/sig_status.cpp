// The status lines of a checked signature, in the order gpg 2.2 writes them
// (g10/mainproc.c check_sig_and_print; doc/DETAILS).

#include <ctime>

#include "armor/base64.h"
#include "crypto/hash.h"
#include "message/internal/checker.h"
#include "packet/names.h"

namespace pgpkit::message::internal {

namespace {

using packet::SubpacketType;

std::string num(unsigned v) { return std::to_string(v); }

std::string class_hex(packet::SigType t) {
    static constexpr char digits[] = "0123456789abcdef";
    const auto v = static_cast<unsigned>(t);
    return {digits[v >> 4], digits[v & 15]};
}

std::string date_of(std::uint32_t t) {
    const std::time_t tt = t;
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

/**
 * gpg's SIG_ID: SHA-1 over the public-key and hash algorithms, the creation time and the
 * signature's MPIs in OpenPGP form, in base64 without padding, then date and time.
 */
std::vector<std::string> sig_id(const packet::Signature& sig) {
    Bytes buf{static_cast<std::uint8_t>(sig.pk_algo), static_cast<std::uint8_t>(sig.hash_algo)};
    const std::uint32_t t = sig.created().value_or(0);
    for (int s = 24; s >= 0; s -= 8) buf.push_back(static_cast<std::uint8_t>(t >> s));
    for (const packet::AlgoField& f : sig.fields) {
        std::size_t skip = 0;
        while (skip < f.data.size() && f.data[skip] == 0) ++skip;
        const std::uint16_t bits = f.effective_bits();
        if (f.kind == packet::FieldKind::Mpi) {
            buf.push_back(static_cast<std::uint8_t>(bits >> 8));
            buf.push_back(static_cast<std::uint8_t>(bits));
        }
        buf.insert(buf.end(), f.data.begin() + static_cast<std::ptrdiff_t>(skip), f.data.end());
    }
    std::string id = armor::base64_encode(crypto::digest(crypto::HashKind::Sha1, buf));
    while (!id.empty() && id.back() == '=') id.pop_back();
    return {id, date_of(t), std::to_string(t)};
}

/** gpg's write_status_buffer: spaces, '%' and control characters escaped, `wrap` octets a line. */
void emit_wrapped(const StatusSink& sink, const char* keyword, ByteView data, std::size_t wrap) {
    for (std::size_t at = 0; at < data.size() || at == 0; at += wrap) {
        const std::size_t n = std::min(wrap, data.size() - at);
        const std::string piece(reinterpret_cast<const char*>(data.data()) + at, n);
        emit(sink, keyword, {status_escape(piece, true)});
        if (data.empty()) break;
    }
}

/**
 * POLICY_URL, then NOTATION_NAME/FLAGS/DATA of a good signature (hashed subpackets only):
 * gpg lists the notations last to first.
 */
void notations(const StatusSink& sink, const packet::Signature& sig) {
    for (const packet::Subpacket& s : sig.hashed)
        if (s.type() == SubpacketType::PolicyUri)
            emit(sink, "POLICY_URL", {status_escape(std::string(s.body.begin(), s.body.end()))});
    for (auto it = sig.hashed.rbegin(); it != sig.hashed.rend(); ++it) {
        const packet::Subpacket& s = *it;
        if (s.type() != SubpacketType::NotationData || s.body.size() < 8) continue;
        const bool human = (s.body[0] & 0x80) != 0;
        const std::size_t nl = (std::size_t{s.body[4]} << 8) | s.body[5];
        const std::size_t vl = (std::size_t{s.body[6]} << 8) | s.body[7];
        if (8 + nl + vl > s.body.size()) continue;
        const ByteView name(s.body.data() + 8, nl);
        const ByteView value(s.body.data() + 8 + nl, vl);
        emit_wrapped(sink, "NOTATION_NAME", name, SIZE_MAX);
        if (s.critical() || human) emit(sink, "NOTATION_FLAGS", {s.critical() ? "1" : "0", human ? "1" : "0"});
        emit_wrapped(sink, "NOTATION_DATA", value, human ? 50 : 250);
    }
}

void errsig(const StatusSink& sink, const SignatureReport& r, const packet::Signature& sig, const char* rc) {
    const std::optional<Bytes> f = sig.issuer_fingerprint();
    emit(sink, "ERRSIG",
         {r.keyid, num(static_cast<unsigned>(sig.pk_algo)), num(static_cast<unsigned>(sig.hash_algo)),
          class_hex(sig.sig_type), std::to_string(r.created), rc, f ? hex(*f) : "-"});
}

const char* good_keyword(const SignatureReport& r) {
    if (r.sig_expired) return "EXPSIG";
    if (r.key_expired) return "EXPKEYSIG";
    if (r.key_revoked) return "REVKEYSIG";
    return "GOODSIG";
}

}  // namespace

void report_status(const VerifyOptions& opt, const SignatureReport& r) {
    const StatusSink& sink = opt.status;
    if (!sink || !r.sig) return;
    const packet::Signature& sig = *r.sig;
    const packet::Subpacket* signer = sig.subpacket(SubpacketType::SignersUserId);
    if (signer) emit(sink, "NEWSIG", {status_escape(std::string(signer->body.begin(), signer->body.end()))});
    else emit(sink, "NEWSIG");
    if (r.key_fpr.empty()) {
        errsig(sink, r, sig, r.outcome == SigOutcome::NoKey ? "9" : "4");
        if (r.outcome == SigOutcome::NoKey) emit(sink, "NO_PUBKEY", {r.keyid});
        return;
    }
    const std::string considered = r.primary_fpr;
    emit(sink, "KEY_CONSIDERED", {considered, "0"});
    if (r.key_expired) emit(sink, "KEYEXPIRED", {std::to_string(r.key_expires.value_or(0))});
    if (r.outcome == SigOutcome::Error) {
        errsig(sink, r, sig, "4");
        return;
    }
    if (r.outcome == SigOutcome::Good) emit(sink, "SIG_ID", sig_id(sig));
    emit(sink, "KEY_CONSIDERED", {considered, "0"});
    const std::string uid = status_escape(r.primary_uid);
    if (r.outcome == SigOutcome::Bad) {
        emit(sink, "BADSIG", {r.keyid, uid});
        return;
    }
    emit(sink, good_keyword(r), {r.keyid, uid});
    notations(sink, sig);
    emit(sink, "VALIDSIG",
         {r.key_fpr, date_of(r.created), std::to_string(r.created), std::to_string(r.sig_expires.value_or(0)),
          num(sig.version), "0", num(static_cast<unsigned>(sig.pk_algo)), num(static_cast<unsigned>(sig.hash_algo)),
          class_hex(sig.sig_type), r.primary_fpr});
    if (r.key_revoked) {
        emit(sink, "KEY_CONSIDERED", {considered, "0"});
        emit(sink, "KEYREVOKED");
    }
    if (r.trust) {
        emit(sink, "KEY_CONSIDERED", {considered, "0"});
        emit(sink, trust_keyword(*r.trust), {"0", opt.trust_model});
    }
}

}  // namespace pgpkit::message::internal
