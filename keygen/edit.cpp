#include "keygen/edit.h"

#include <algorithm>

#include "base/error.h"
#include "cert/secret_key.h"
#include "keygen/revoke.h"
#include "keygen/signature_builder.h"
#include "packet/parser.h"
#include "packet/sig_hash.h"

namespace pgpkit::keygen {

namespace {

using packet::SigType;

bool has_secret_material(const packet::Key& k) {
    const cert::SecretKind s = cert::secret_kind(k);
    return s == cert::SecretKind::Cleartext || s == cert::SecretKind::Encrypted;
}

cert::SecretFields unlock_fields(const packet::Key& key, packet::Tag tag, const std::vector<SecretBytes>& passphrases) {
    if (cert::secret_kind(key) == cert::SecretKind::Cleartext) return cert::unprotect(key, tag, SecretBytes{});
    if (cert::secret_kind(key) != cert::SecretKind::Encrypted)
        throw Error(Errc::Usage, 0, "key " + to_hex(key.fingerprint) + " has no secret material here");
    for (const SecretBytes& p : passphrases) {
        try {
            return cert::unprotect(key, tag, p);
        } catch (const Error& e) {
            if (e.kind() != Errc::BadPassphrase) throw;
        }
    }
    throw Error(Errc::BadPassphrase, 0,
                (passphrases.empty() ? "no passphrase for key " : "wrong passphrase for key ") + to_hex(key.fingerprint));
}

packet::Packet make_packet(packet::Tag tag, packet::Body body) {
    packet::Packet p;
    p.header.tag = tag;
    p.body = std::move(body);
    return p;
}

}  // namespace

KeyMaterial unlock_key(const packet::Key& key, packet::Tag tag, const std::vector<SecretBytes>& passphrases) {
    const cert::SecretFields fields = unlock_fields(key, tag, passphrases);
    KeyMaterial m = material_from_key(key, fields, key.created, key.version);
    if (m.key.fingerprint != key.fingerprint)
        throw Error(Errc::Usage, 0, "key " + to_hex(key.fingerprint) + " cannot be rebuilt for signing");
    return m;
}

KeyMaterial unlock_primary(const cert::Tsk& tsk, const std::vector<SecretBytes>& passphrases) {
    return unlock_key(tsk.key(), tsk.primary.head.tag(), passphrases);
}

bool has_user_id(const cert::Cert& c, const std::string& user_id) {
    const Bytes want(user_id.begin(), user_id.end());
    for (const cert::Component* u : c.of_kind(cert::ComponentKind::UserId))
        if (u->id_bytes() == want) return true;
    return false;
}

void certify_user_id(cert::Cert& target, const std::string& user_id, const KeyMaterial& signer, std::uint32_t now,
                     crypto::Rng& rng) {
    packet::Signature s = start_signature(signer, SigType::GenericCert, now, rng);
    const Bytes digest = packet::certification_digest(s, target.key(), as_bytes(user_id));
    finish_signature(s, signer, digest, rng);
    packet::Packet sig = make_packet(packet::Tag::Signature, std::move(s));
    const Bytes want(user_id.begin(), user_id.end());
    for (cert::Component& c : target.components)
        if (c.kind == cert::ComponentKind::UserId && c.id_bytes() == want) return c.tail.push_back(std::move(sig));
    cert::Component uid;
    uid.kind = cert::ComponentKind::UserId;
    uid.head = make_packet(packet::Tag::UserId, packet::UserId{want});
    uid.tail.push_back(std::move(sig));
    auto after = std::find_if(target.components.rbegin(), target.components.rend(), [](const cert::Component& c) {
        return c.kind == cert::ComponentKind::UserId || c.kind == cert::ComponentKind::UserAttribute;
    });
    target.components.insert(after.base(), std::move(uid));
}

cert::Cert revocation_certificate(const cert::Tsk& tsk, const KeyMaterial& primary, std::uint32_t now,
                                  crypto::Rng& rng, std::uint8_t reason, const std::string& comment) {
    cert::Cert out = cert::public_part(tsk);
    RevocationRequest req;
    req.reason = static_cast<RevocationReason>(reason);
    req.comment = comment;
    req.now = now;
    const Bytes sig = key_revocation(primary, out.key(), req, rng);
    std::vector<packet::Packet> packets = packet::parse_all(sig);
    out.primary.tail.insert(out.primary.tail.begin(), std::make_move_iterator(packets.begin()),
                            std::make_move_iterator(packets.end()));
    return out;
}

cert::Tsk change_passphrase(const cert::Tsk& tsk, const std::vector<SecretBytes>& old,
                            const std::optional<SecretBytes>& fresh, crypto::Rng& rng, const Argon2Params& argon2) {
    cert::Tsk out = tsk;
    auto redo = [&](cert::Component& c) {
        const packet::Key* k = c.key();
        if (!k || !has_secret_material(*k)) return;
        const packet::Tag tag = c.head.tag();
        KeyMaterial m = material_from_key(*k, unlock_fields(*k, tag, old), k->created, k->version);
        if (m.key.fingerprint != k->fingerprint)
            throw Error(Errc::Usage, 0, "key " + to_hex(k->fingerprint) + " cannot be rebuilt");
        if (!fresh || fresh->empty()) leave_unprotected(m.key);
        else if (m.key.version == 6) protect_v6(m.key, tag, *fresh, rng, argon2);
        else protect_v4(m.key, *fresh, rng);
        c.head = make_packet(tag, std::move(m.key));
    };
    redo(out.primary);
    for (cert::Component& c : out.components)
        if (c.kind == cert::ComponentKind::Subkey) redo(c);
    return out;
}

}  // namespace pgpkit::keygen
