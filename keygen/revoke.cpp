#include "keygen/revoke.h"

#include <algorithm>
#include <array>
#include <utility>

#include "armor/armor.h"
#include "base/error.h"
#include "cert/secret_key.h"
#include "keygen/signature_builder.h"
#include "packet/packet.h"
#include "packet/sig_hash.h"

namespace pgpkit::keygen {

namespace {

constexpr std::array<std::pair<std::string_view, RevocationReason>, 4> reason_names{{
    {"unspecified", RevocationReason::Unspecified},
    {"superseded", RevocationReason::Superseded},
    {"compromised", RevocationReason::Compromised},
    {"retired", RevocationReason::Retired},
}};

std::string hex_upper(ByteView b) {
    static constexpr char d[] = "0123456789ABCDEF";
    std::string s;
    for (std::uint8_t x : b) (s += d[x >> 4]) += d[x & 15];
    return s;
}

}  // namespace

std::optional<RevocationReason> revocation_reason(std::string_view name) noexcept {
    for (const auto& [n, r] : reason_names)
        if (n == name) return r;
    return std::nullopt;
}

Bytes key_revocation(const KeyMaterial& signer, const packet::Key& target, const RevocationRequest& req,
                     crypto::Rng& rng) {
    packet::Signature s = start_signature(signer, packet::SigType::KeyRevocation, req.now, rng);
    Bytes reason{static_cast<std::uint8_t>(req.reason)};
    reason.insert(reason.end(), req.comment.begin(), req.comment.end());
    s.hashed.push_back(subpacket(packet::SubpacketType::ReasonForRevocation, std::move(reason)));
    finish_signature(s, signer, packet::direct_key_digest(s, target), rng);
    packet::Packet p;
    p.header.tag = packet::Tag::Signature;
    p.body = std::move(s);
    Bytes out;
    packet::write_packet_canonical(p, out);
    return out;
}

namespace {

/** The primary key's material of `tsk`, unlocked with `passphrase` when protected. */
KeyMaterial primary_material(const cert::Tsk& tsk, const std::optional<SecretBytes>& passphrase) {
    const packet::Key& k = tsk.key();
    const std::string name = hex_upper(k.fingerprint);
    switch (cert::secret_kind(k)) {
    case cert::SecretKind::Cleartext: break;
    case cert::SecretKind::Encrypted:
        if (!passphrase)
            throw Error(Errc::Usage, 0,
                        "no passphrase given for key " + name + " (use --passphrase-file or --passphrase-fd)");
        break;
    default: throw Error(Errc::Usage, 0, "the secret primary key of " + name + " is not available");
    }
    const cert::SecretFields fields = cert::unprotect(k, tsk.primary.head.tag(), passphrase.value_or(SecretBytes{}));
    KeyMaterial m = material_from_key(k, fields, k.created, k.version);
    if (m.key.fingerprint != k.fingerprint)
        throw Error(Errc::Usage, 0, "the secret primary key of " + name + " does not match its public key");
    return m;
}

/** Whether direct-key signature `s` names `fpr` as designated revoker. */
bool sig_names_revoker(const packet::Signature& s, ByteView fpr) {
    if (s.sig_type != packet::SigType::DirectKey) return false;
    for (const packet::Subpacket& p : s.hashed) {
        if (p.type() != packet::SubpacketType::RevocationKey || p.body.size() <= 2) continue;
        const ByteView named = ByteView(p.body).subspan(2);
        if (std::equal(named.begin(), named.end(), fpr.begin(), fpr.end())) return true;
    }
    return false;
}

}  // namespace

bool names_revoker(const cert::Cert& target, ByteView fingerprint) {
    for (const packet::Packet* p : target.primary.signatures())
        if (const auto* s = p->get<packet::Signature>(); s && sig_names_revoker(*s, fingerprint)) return true;
    return false;
}

Bytes designated_revocation(const cert::Cert& target, const cert::Tsk& revoker,
                            const std::optional<SecretBytes>& passphrase, const RevocationRequest& req,
                            crypto::Rng& rng) {
    const Bytes& fpr = revoker.key().fingerprint;
    if (!names_revoker(target, fpr))
        throw Error(Errc::Usage, 0, "key " + hex_upper(fpr) + " is not a designated revoker of " +
                                        hex_upper(target.key().fingerprint));
    const KeyMaterial m = primary_material(revoker, passphrase);
    Bytes out;
    packet::write_packet_canonical(cert::public_part(target).primary.head, out);  // never a secret key
    const Bytes rev = key_revocation(m, target.key(), req, rng);
    out.insert(out.end(), rev.begin(), rev.end());
    for (const packet::Packet* p : target.primary.signatures())
        if (const auto* s = p->get<packet::Signature>(); s && sig_names_revoker(*s, fpr))
            packet::write_packet_canonical(*p, out);
    // gpg takes no key without a user ID, so the first one comes along with its self-signatures.
    for (const cert::Component& c : target.components) {
        if (c.kind != cert::ComponentKind::UserId) continue;
        packet::write_packet_canonical(c.head, out);
        for (const packet::Packet* p : c.signatures())
            if (const auto* s = p->get<packet::Signature>(); s && s->issuer_keyid() == target.key().keyid)
                packet::write_packet_canonical(*p, out);
        break;
    }
    return out;
}

Bytes revoke_primary(const cert::Tsk& tsk, const std::optional<SecretBytes>& passphrase, const RevocationRequest& req,
                     crypto::Rng& rng) {
    return key_revocation(primary_material(tsk, passphrase), tsk.key(), req, rng);
}

std::string revocation_text(ByteView signature_packet, std::string_view key_lines, bool guarded) {
    std::string armored =
        armor::encode_text(signature_packet, "PUBLIC KEY BLOCK", {{"Comment", "This is a revocation certificate"}});
    if (!guarded) return armored;
    std::string out = "A revocation certificate of this OpenPGP key:\n\n";
    out += key_lines;
    if (!key_lines.empty() && key_lines.back() != '\n') out += '\n';
    out += "\nImporting and publishing it revokes the key for everyone, for good. Keep it for\n"
           "when the secret key is lost or compromised; while the secret key is at hand, a\n"
           "new revocation made then can say why (pgpkit gen-revoke --reason ...).\n\n"
           "The colon before the first line of the block below keeps it from being imported\n"
           "by accident: delete that colon before you import the certificate.\n\n:";
    out += armored;
    return out;
}

std::string revocation_key_lines(const cert::Cert& c) {
    std::string s = "  fingerprint " + hex_upper(c.key().fingerprint) + "\n";
    for (const cert::Component& comp : c.components) {
        if (comp.kind != cert::ComponentKind::UserId) continue;
        std::string uid(as_text(comp.id_bytes()));
        for (char& ch : uid)
            if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F) ch = '?';
        s += "  user ID     " + uid + "\n";
    }
    return s;
}

}  // namespace pgpkit::keygen
