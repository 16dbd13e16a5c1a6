// The "legacy" group of the vector suite: version 3 keys (RFC 4880 section 5.5.2) framed
// with old CTBs, and GnuPG's S2K extension 101 stubs (modes 1001 gnu-dummy and 1002
// divert-to-card) in transferable secret keys, as gpg --export-secret-subkeys writes them.
#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "keygen/generate.h"
#include "keygen/material.h"
#include "keygen/protect.h"
#include "message/internal/vectors_build.h"
#include "packet/parser.h"
#include "packet/sig_hash.h"

namespace pgpkit::message::internal {

namespace {

using packet::CtbFormat;
using packet::LengthForm;
using packet::Tag;

/** An old-CTB packet with the shortest old length form. */
packet::Packet old_packet(Tag tag, packet::Body body) {
    packet::Packet p;
    p.header.format = CtbFormat::Old;
    p.header.tag = tag;
    p.body = std::move(body);
    const std::size_t n = packet::write_body(p.body).size();
    p.header.length = n;
    p.header.form = n < 256 ? LengthForm::OneOctet : n < 65536 ? LengthForm::TwoOctet : LengthForm::FourOctet;
    return p;
}

packet::Key public_only(const packet::Key& k) {
    packet::Key p = k;
    p.secret.reset();
    return p;
}

/** A v3 key of keygen's material: the same fields, a version 3 body with no validity limit. */
keygen::KeyMaterial v3_material(keygen::Algo algo, crypto::Rng& rng) {
    keygen::KeyMaterial m = keygen::generate_material(algo, 1024, std::nullopt, vectors_time, 4, rng, nullptr);
    m.key.version = 3;
    m.key.v3_validity_days = 0;
    keygen::leave_unprotected(m.key);  // the checksum of the cleartext secret fields
    return m;
}

/** v3 RSA: key, user ID and a v3 positive certification, public and secret. */
void add_v3_rsa(crypto::Rng& rng, std::vector<VectorFile>& out) {
    keygen::KeyMaterial m = v3_material(keygen::Algo::Rsa, rng);
    const packet::Key pub = public_only(m.key);
    std::string keyid, fpr;
    body_identity(packet::public_key_body(pub), keyid, fpr);
    const std::string uid = "pgpkit vector v3 rsa <v3-rsa@vectors.example>";

    packet::Signature sig;
    sig.version = 3;
    sig.sig_type = packet::SigType::PositiveCert;
    sig.v3_created = vectors_time;
    const Bytes& n = pub.fields.at(0).data;  // the key ID: the low 64 bits of n
    std::copy(n.end() - 8, n.end(), sig.v3_issuer.begin());
    sig.pk_algo = packet::PubkeyAlgo::Rsa;
    sig.hash_algo = packet::HashAlgo::Sha256;
    const Bytes digest = packet::certification_digest(sig, pub, as_bytes(uid));
    sig.left16 = {digest.at(0), digest.at(1)};
    sig.fields = keygen::sign_digest(m, sig.hash_algo, digest, rng);

    const packet::UserId user{Bytes(uid.begin(), uid.end())};
    const std::vector<packet::Packet> pub_packets = {old_packet(Tag::PublicKey, pub), old_packet(Tag::UserId, user),
                                                     old_packet(Tag::Signature, sig)};
    const std::vector<packet::Packet> sec_packets = {old_packet(Tag::SecretKey, m.key), old_packet(Tag::UserId, user),
                                                     old_packet(Tag::Signature, sig)};
    const Bytes pub_bytes = packet::write_packets(pub_packets);
    const SecretBytes sec_bytes = packet::write_packets_secret(sec_packets);
    for (int secret = 0; secret < 2; ++secret) {
        VectorFile f = secret ? vector_file("legacy-v3-rsa.sec.pgp", VectorGroup::Legacy,
                                            "v3 RSA 1024 secret key (unprotected), user ID, v3 certification; old CTBs;"
                                            " key ID = low 64 bits of n, fingerprint = MD5(n || e)",
                                            true, ByteView(sec_bytes.data(), sec_bytes.size()), "5 13 2")
                              : vector_file("legacy-v3-rsa.pub.pgp", VectorGroup::Legacy,
                                            "v3 RSA 1024 key, user ID, v3 certification; old CTBs;"
                                            " key ID = low 64 bits of n, fingerprint = MD5(n || e)",
                                            true, pub_bytes, "6 13 2");
        f.keyids = {keyid};
        f.fingerprints = {fpr};
        out.push_back(std::move(f));
    }
}

/** v3 Elgamal (algorithm 16): encryption only, so a key and a user ID without a self-signature. */
void add_v3_elgamal(crypto::Rng& rng, std::vector<VectorFile>& out) {
    const keygen::KeyMaterial m = v3_material(keygen::Algo::Elgamal, rng);
    const packet::Key pub = public_only(m.key);
    const std::string uid = "pgpkit vector v3 elgamal <v3-elg@vectors.example>";
    const Bytes data = packet::write_packets(
        {old_packet(Tag::PublicKey, pub), old_packet(Tag::UserId, packet::UserId{Bytes(uid.begin(), uid.end())})});
    VectorFile f = vector_file("legacy-v3-elgamal.pub.pgp", VectorGroup::Legacy,
                               "v3 Elgamal 1024 key and user ID (no self-signature: Elgamal cannot sign); old CTBs;"
                               " fingerprint = RIPEMD-160 over 0x99, length, body (GnuPG 1.0's v3 non-RSA rule)",
                               true, data, "6 13");
    key_identities(data, f);
    out.push_back(std::move(f));
}

/** A GNU extension stub of `mode` (1 = gnu-dummy, 2 = divert-to-card) in place of the secret part. */
void make_stub(packet::Key& k, std::uint8_t mode) {
    packet::SecretKeyMaterial s;
    s.usage = 255;
    s.sym_algo = packet::SymAlgo::Plaintext;
    packet::S2k s2k;
    s2k.type = packet::S2kType::Gnu;
    s2k.hash_algo = static_cast<packet::HashAlgo>(0);
    s2k.gnu_magic = {'G', 'N', 'U'};
    s2k.gnu_mode = mode;
    if (mode == 2) {
        s2k.has_serial = true;
        for (std::uint8_t i = 0; i < 16; ++i) s2k.card_serial.push_back(static_cast<std::uint8_t>(0xD2 + i));
    }
    s.s2k = std::move(s2k);
    k.secret = std::move(s);
}

void add_stubs(crypto::Rng& rng, std::vector<VectorFile>& out) {
    const std::string text =
        "%no-protection\nKey-Type: EDDSA\nKey-Curve: ed25519\nSubkey-Type: ECDH\n"
        "Subkey-Curve: cv25519\nName-Real: pgpkit vector stubs\nName-Email: stubs@vectors.example\n"
        "Creation-Date: seconds=" +
        std::to_string(vectors_time) + "\nExpire-Date: 0\n%commit\n";
    keygen::GenerateOptions go;
    go.now = vectors_time;
    const auto items = keygen::parse_params(text, "vectors");
    const keygen::GeneratedKey k = keygen::generate_key(std::get<keygen::KeyBlock>(items.at(0)), rng, nullptr, go);
    for (std::uint8_t mode : {std::uint8_t{1}, std::uint8_t{2}}) {
        packet::ParseOptions po;
        po.descend = false;
        std::vector<packet::Packet> pk = packet::parse_lossless(ByteView(k.secret_key.data(), k.secret_key.size()), po);
        for (packet::Packet& p : pk)
            if (p.tag() == Tag::SecretKey || (mode == 2 && p.tag() == Tag::SecretSubkey))
                make_stub(std::get<packet::Key>(p.body), mode);
        const SecretBytes data = packet::write_packets_canonical_secret(pk);
        VectorFile f = mode == 1 ? vector_file("legacy-gnu-dummy-1001.sec.pgp", VectorGroup::Legacy,
                                               "v4 Ed25519 secret key whose primary is a GNU S2K 101 mode 1001 stub"
                                               " (gnu-dummy); the Cv25519 subkey's secret is unprotected",
                                               true, ByteView(data.data(), data.size()), "5 13 2 7 2")
                                 : vector_file("legacy-divert-to-card-1002.sec.pgp", VectorGroup::Legacy,
                                               "v4 Ed25519 secret key, primary and subkey GNU S2K 101 mode 1002 stubs"
                                               " (divert-to-card, 16-octet card serial D2D3...E1)",
                                               true, ByteView(data.data(), data.size()), "5 13 2 7 2");
        key_identities(k.public_key, f);
        out.push_back(std::move(f));
    }
}

}  // namespace

void add_legacy_vectors(crypto::Rng& rng, std::vector<VectorFile>& out) {
    crypto::Rng r1 = rng.fork(1), r2 = rng.fork(2), r3 = rng.fork(3);
    add_v3_rsa(r1, out);
    add_v3_elgamal(r2, out);
    add_stubs(r3, out);
}

}  // namespace pgpkit::message::internal
