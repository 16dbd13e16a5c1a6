#include "keygen/generate.h"

#include <string>

#include "cert/secret_key.h"
#include "keygen/material.h"
#include "keygen/signature_builder.h"
#include "base/error.h"
#include "packet/names.h"
#include "packet/packet.h"
#include "packet/sig_hash.h"

namespace pgpkit::keygen {

namespace {

using packet::HashAlgo;
using packet::SigType;
using packet::Signature;
using packet::Subpacket;
using sp = packet::SubpacketType;

std::uint8_t key_flags(const Usage& u) {
    return static_cast<std::uint8_t>((u.cert ? 0x01 : 0) | (u.sign ? 0x02 : 0) | (u.encrypt ? 0x0C : 0) |
                                     (u.auth ? 0x20 : 0));
}

packet::Packet make_packet(packet::Tag tag, packet::Body body) {
    packet::Packet p;
    p.header.tag = tag;
    p.body = std::move(body);
    return p;
}

std::uint32_t checked_expiry(const Expiry& e, std::uint32_t created, unsigned line, const std::string& file) {
    auto secs = expiry_seconds(e, created);
    if (!secs)
        throw Error(Errc::Usage, 0, file + ":" + std::to_string(line) + ": expiration date is not after the creation date");
    return *secs;
}

/** Key flags, expiration, preferences, features and keyserver subpackets of the primary key. */
void add_key_properties(Signature& s, const KeyBlock& b, std::uint32_t expires) {
    s.hashed.push_back(subpacket(sp::KeyFlags, {key_flags(*b.usage)}));
    if (expires) s.hashed.push_back(subpacket(sp::KeyExpirationTime, be32(expires)));
    if (!b.prefs.sym.empty()) s.hashed.push_back(subpacket(sp::PreferredSymmetric, b.prefs.sym));
    if (!b.prefs.hash.empty()) s.hashed.push_back(subpacket(sp::PreferredHash, b.prefs.hash));
    if (!b.prefs.zip.empty()) s.hashed.push_back(subpacket(sp::PreferredCompression, b.prefs.zip));
    // Features: SEIPD v1 (0x01); v5 keys announce v5 keys (0x04, LibrePGP), v6 keys SEIPD v2 (0x08).
    const std::uint8_t features = static_cast<std::uint8_t>((b.prefs.mdc ? 0x01 : 0) | (b.version == 5 ? 0x04 : 0) |
                                                            (b.version == 6 ? 0x08 : 0));
    if (features) s.hashed.push_back(subpacket(sp::Features, {features}));
    if (!b.prefs.ks_modify) s.hashed.push_back(subpacket(sp::KeyServerPreferences, {0x80}));
    if (!b.keyserver.empty())
        s.hashed.push_back(subpacket(sp::PreferredKeyServer, Bytes(b.keyserver.begin(), b.keyserver.end())));
}

/** The direct-key signature a v6 key must carry (RFC 9580 section 10.1.1), holding its properties. */
Signature v6_direct_signature(const KeyBlock& b, const KeyMaterial& primary, std::uint32_t created,
                              std::uint32_t expires, crypto::Rng& rng) {
    Signature s = start_signature(primary, SigType::DirectKey, created, rng);
    add_key_properties(s, b, expires);
    const Bytes digest = packet::direct_key_digest(s, primary.key);
    finish_signature(s, primary, digest, rng);
    return s;
}

Signature user_id_certification(const KeyBlock& b, const KeyMaterial& primary, const std::string& uid,
                                std::uint32_t created, std::uint32_t expires, bool first, crypto::Rng& rng) {
    Signature s = start_signature(primary, SigType::PositiveCert, created, rng);
    add_key_properties(s, b, expires);
    if (first) s.hashed.push_back(subpacket(sp::PrimaryUserId, {0x01}));
    const Bytes digest = packet::certification_digest(s, primary.key, as_bytes(uid));
    finish_signature(s, primary, digest, rng);
    return s;
}

/** Direct-key signature carrying the designated revokers (as GnuPG writes them). */
Signature revoker_signature(const KeyBlock& b, const KeyMaterial& primary, std::uint32_t created, crypto::Rng& rng) {
    Signature s = start_signature(primary, SigType::DirectKey, created, rng);
    for (const Revoker& r : b.revokers) {
        Bytes body{static_cast<std::uint8_t>(r.sensitive ? 0xC0 : 0x80), r.algo};
        body.insert(body.end(), r.fingerprint.begin(), r.fingerprint.end());
        s.hashed.push_back(subpacket(sp::RevocationKey, std::move(body)));
    }
    const Bytes digest = packet::direct_key_digest(s, primary.key);
    finish_signature(s, primary, digest, rng);
    return s;
}

Signature subkey_binding(const KeyMaterial& primary, const KeyMaterial& sub, const Usage& usage,
                         std::uint32_t created, std::uint32_t expires, crypto::Rng& rng) {
    Signature s = start_signature(primary, SigType::SubkeyBinding, created, rng);
    s.hashed.push_back(subpacket(sp::KeyFlags, {key_flags(usage)}));
    if (expires) s.hashed.push_back(subpacket(sp::KeyExpirationTime, be32(expires)));
    if (usage.sign) {
        // RFC 9580 section 5.2.1: a signing subkey proves it agrees to the binding.
        Signature back = start_signature(sub, SigType::PrimaryKeyBinding, created, rng);
        const Bytes back_digest = packet::subkey_binding_digest(back, primary.key, sub.key);
        finish_signature(back, sub, back_digest, rng);
        s.hashed.push_back(subpacket(sp::EmbeddedSignature, signature_body(back)));
    }
    const Bytes digest = packet::subkey_binding_digest(s, primary.key, sub.key);
    finish_signature(s, primary, digest, rng);
    return s;
}

/** The key without its secret part (the copy's secret fields are wiping memory, dropped at once). */
packet::Key public_part(const packet::Key& k) {
    packet::Key p = k;
    p.secret.reset();
    p.secret_opaque.clear();
    return p;
}

void protect(packet::Key& k, packet::Tag tag, const KeyBlock& b, crypto::Rng& rng, const GenerateOptions& o) {
    if (!b.passphrase || b.no_protection) return leave_unprotected(k);
    if (k.version == 6) protect_v6(k, tag, *b.passphrase, rng, o.argon2);
    else protect_v4(k, *b.passphrase, rng, o.s2k_coded_count);
}

const char* algo_name(Algo a) noexcept {
    switch (a) {
    case Algo::Rsa: return "RSA";
    case Algo::Elgamal: return "ELG";
    case Algo::Dsa: return "DSA";
    case Algo::Ecdh: return "ECDH";
    case Algo::Ecdsa: return "ECDSA";
    case Algo::EdDsa: return "EdDSA";
    }
    return "?";
}

/** Key material for a Key-Grip / Subkey-Grip from the block's secret keyrings. */
KeyMaterial material_from_store(const GripRef& g, Algo want, const KeyBlock& b, std::uint32_t created,
                                const GenerateOptions& o) {
    const std::string prefix = b.file + ":" + std::to_string(g.line) + ": " + g.keyword + " " + to_hex(g.grip) + ": ";
    std::vector<const KeyringFile*> files;
    std::string names;
    for (const KeyringFile& f : o.keyrings)
        if (f.for_all_blocks || (!b.secring.empty() && f.name == b.secring)) {
            files.push_back(&f);
            names += (names.empty() ? "" : ", ") + f.name;
        }
    if (files.empty())
        throw Error(Errc::Usage, 0, prefix + "no secret key with this keygrip (no secret keyring to look in: "
                                             "give %secring FILE or --secret-keyring FILE)");
    const std::optional<FoundKey> found = find_secret_key(g.grip, files);
    if (!found) throw Error(Errc::Usage, 0, prefix + "no secret key with this keygrip in " + names);
    const packet::Key& k = found->key;
    const auto have = keygen_algo(k.algo);
    if (have != want) {
        const std::string is =
            have ? algo_name(*have) : "of algorithm " + std::to_string(static_cast<unsigned>(k.algo));
        throw Error(Errc::Usage, 0, prefix + "the key in " + found->file + " is " + is + ", not " + algo_name(want) +
                                        " as the block's type says");
    }
    if (k.secret->is_protected() && !b.passphrase)
        throw Error(Errc::Usage, 0,
                    prefix + "the secret key in " + found->file + " is protected and the block has no Passphrase");
    cert::SecretFields fields;
    try {
        // Also for a cleartext key: cert::unprotect checks its checksum.
        fields = cert::unprotect(k, found->tag, b.passphrase ? *b.passphrase : SecretBytes{});
    } catch (const Error& e) {
        throw Error(Errc::Usage, 0, prefix + "cannot unlock the secret key in " + found->file + ": " + e.detail());
    }
    return material_from_key(k, fields, created, b.version);
}

}  // namespace

GeneratedKey generate_key(const KeyBlock& b, crypto::Rng& rng, ProgressSink* sink, const GenerateOptions& o) {
    if (b.error) throw Error(Errc::Usage, 0, *b.error);
    auto at = [&](unsigned line) { return b.file + ":" + std::to_string(line) + ": "; };
    if (b.version < 4 || b.version > 6)
        throw Error(Errc::Usage, 0, at(b.key_type_line) + "Key-Version " + std::to_string(b.version) +
                                        " is not implemented (only 4, 5 and 6)");
    for (const SubkeySpec& s : b.subkeys)
        if (s.version && s.version != b.version)
            throw Error(Errc::Usage, 0, at(s.line) + "Subkey-Version " + std::to_string(s.version) +
                                            " differs from Key-Version " + std::to_string(b.version) +
                                            " (pgpkit makes subkeys of the primary key's version)");
    if (b.version == 6) {
        auto no_v6 = [&](Algo a, unsigned line) {
            if (a == Algo::Dsa || a == Algo::Elgamal)
                throw Error(Errc::Usage, 0, at(line) + "RFC 9580 forbids DSA and Elgamal in v6 keys");
        };
        no_v6(b.algo, b.key_type_line);
        for (const SubkeySpec& s : b.subkeys) no_v6(s.algo, s.line);
        if (!b.revokers.empty())
            throw Error(Errc::Usage, 0, at(b.key_type_line) +
                                            "Revoker is not supported for v6 keys (the subpacket is deprecated in RFC 9580)");
    }
    const std::uint32_t created = b.creation.value_or(o.now);
    const std::uint32_t expires = checked_expiry(b.expire, created, b.key_type_line, b.file);
    std::vector<std::uint32_t> sub_expires;
    for (const SubkeySpec& s : b.subkeys)
        sub_expires.push_back(s.expire ? checked_expiry(*s.expire, created, s.line, b.file) : expires);

    KeyMaterial primary = b.grip ? material_from_store(*b.grip, b.algo, b, created, o)
                                 : generate_material(b.algo, b.length, b.curve, created, b.version, rng, sink);
    std::vector<KeyMaterial> subs;
    for (const SubkeySpec& s : b.subkeys)
        subs.push_back(s.grip ? material_from_store(*s.grip, s.algo, b, created, o)
                              : generate_material(s.algo, s.length, s.curve, created, b.version, rng, sink));

    std::vector<std::string> uids;
    if (const std::string first = b.effective_user_id(); !first.empty() || b.more_user_ids.empty()) uids.push_back(first);
    uids.insert(uids.end(), b.more_user_ids.begin(), b.more_user_ids.end());
    // A key without user IDs (allow_no_user_id) keeps its properties in a direct-key signature.
    if (b.allow_no_user_id && uids.size() == 1 && uids.front().empty()) uids.clear();
    std::vector<Signature> sub_sigs;
    std::optional<Signature> direct;
    if (b.version == 6 || uids.empty()) direct = v6_direct_signature(b, primary, created, expires, rng);
    else if (!b.revokers.empty()) direct = revoker_signature(b, primary, created, rng);
    std::vector<Signature> uid_sigs;
    for (std::size_t i = 0; i < uids.size(); ++i)
        uid_sigs.push_back(user_id_certification(b, primary, uids[i], created, expires, i == 0, rng));
    for (std::size_t i = 0; i < subs.size(); ++i)
        sub_sigs.push_back(subkey_binding(primary, subs[i], *b.subkeys[i].usage, created, sub_expires[i], rng));

    GeneratedKey out;
    out.fingerprint = primary.key.fingerprint;
    out.subkeys = subs.size();
    for (int secret = 0; secret < 2; ++secret) {
        std::vector<packet::Packet> pk;
        if (secret) {
            protect(primary.key, packet::Tag::SecretKey, b, rng, o);
            for (KeyMaterial& s : subs) protect(s.key, packet::Tag::SecretSubkey, b, rng, o);
        }
        using packet::Tag;
        pk.push_back(make_packet(secret ? Tag::SecretKey : Tag::PublicKey,
                                 secret ? primary.key : public_part(primary.key)));
        if (direct) pk.push_back(make_packet(Tag::Signature, *direct));
        for (std::size_t i = 0; i < uids.size(); ++i) {
            pk.push_back(make_packet(Tag::UserId, packet::UserId{Bytes(uids[i].begin(), uids[i].end())}));
            pk.push_back(make_packet(Tag::Signature, uid_sigs[i]));
        }
        for (std::size_t i = 0; i < subs.size(); ++i) {
            pk.push_back(make_packet(secret ? Tag::SecretSubkey : Tag::PublicSubkey,
                                     secret ? subs[i].key : public_part(subs[i].key)));
            pk.push_back(make_packet(Tag::Signature, sub_sigs[i]));
        }
        // The secret keyblock is written into wiping memory from the first octet on; the
        // packets' secret fields are SecretAlgoFields, wiped when pk goes.
        if (secret) out.secret_key = packet::write_packets_canonical_secret(pk);
        else out.public_key = packet::write_packets_canonical(pk);
    }
    return out;
}

}  // namespace pgpkit::keygen
