// The "keys" group of the vector suite: a key of every algorithm keygen makes, as v4, v5
// (LibrePGP) and v6 (RFC 9580) where the version allows the algorithm, each with a detached
// signature and a message encrypted to it.
#include <string>
#include <variant>
#include <vector>

#include "base/error.h"
#include "cert/cert.h"
#include "keygen/generate.h"
#include "keygen/params.h"
#include "message/encrypt.h"
#include "message/encrypt_sink.h"
#include "message/internal/vectors_build.h"
#include "message/sign.h"
#include "packet/source.h"

namespace pgpkit::message::internal {

namespace {

/** A key kind: its name in file names and its parameter lines (GnuPG's language). */
struct KeyKind {
    const char* name;
    const char* params;
    bool v6;  ///< RFC 9580 allows it in a v6 key
};

// The smallest sizes keygen allows for the finite-field algorithms: vectors, not keys to use.
constexpr KeyKind kinds[] = {
    {"rsa1024", "Key-Type: RSA\nKey-Length: 1024\nSubkey-Type: RSA\nSubkey-Length: 1024\n", true},
    {"dsa1024-elg1024", "Key-Type: DSA\nKey-Length: 1024\nSubkey-Type: ELG\nSubkey-Length: 1024\n", false},
    {"nistp256", "Key-Type: ECDSA\nKey-Curve: nistp256\nSubkey-Type: ECDH\nSubkey-Curve: nistp256\n", true},
    {"nistp384", "Key-Type: ECDSA\nKey-Curve: nistp384\nSubkey-Type: ECDH\nSubkey-Curve: nistp384\n", true},
    {"nistp521", "Key-Type: ECDSA\nKey-Curve: nistp521\nSubkey-Type: ECDH\nSubkey-Curve: nistp521\n", true},
    {"brainpoolP256r1",
     "Key-Type: ECDSA\nKey-Curve: brainpoolP256r1\nSubkey-Type: ECDH\nSubkey-Curve: brainpoolP256r1\n", true},
    {"brainpoolP384r1",
     "Key-Type: ECDSA\nKey-Curve: brainpoolP384r1\nSubkey-Type: ECDH\nSubkey-Curve: brainpoolP384r1\n", true},
    {"brainpoolP512r1",
     "Key-Type: ECDSA\nKey-Curve: brainpoolP512r1\nSubkey-Type: ECDH\nSubkey-Curve: brainpoolP512r1\n", true},
    {"ed25519-cv25519", "Key-Type: EDDSA\nKey-Curve: ed25519\nSubkey-Type: ECDH\nSubkey-Curve: cv25519\n", true},
};

constexpr std::string_view signed_text = "pgpkit test vector: signed and encrypted data\n";

keygen::GeneratedKey generate(const KeyKind& kind, unsigned version, crypto::Rng& rng) {
    const std::string base = std::string(kind.name) + "-v" + std::to_string(version);
    const std::string text = std::string("%no-protection\n") + kind.params + "Key-Version: " + std::to_string(version) +
                             "\nName-Real: pgpkit vector " + base + "\nName-Email: " + base +
                             "@vectors.example\nCreation-Date: seconds=" + std::to_string(vectors_time) +
                             "\nExpire-Date: 0\n%commit\n";
    for (const keygen::Item& item : keygen::parse_params(text, "vectors")) {
        if (const auto* b = std::get_if<keygen::KeyBlock>(&item)) {
            keygen::GenerateOptions go;
            go.now = vectors_time;
            return keygen::generate_key(*b, rng, nullptr, go);
        }
    }
    throw Error(Errc::Usage, 0, "vectors: no key block for " + base);
}

Bytes detached_signature(const SecretBytes& secret, crypto::Rng& rng) {
    std::vector<cert::Cert> tsk = cert::read_all_certs(ByteView(secret.data(), secret.size()));
    std::vector<SigningKey> keys;
    keys.push_back(signing_key(tsk.at(0), vectors_time, std::nullopt));
    SignOptions so;
    so.mode = SignMode::Detached;
    so.now = vectors_time;
    packet::MemorySource data(as_bytes(signed_text));
    Bytes out;
    sign(data, keys, so, rng, [&](ByteView b) { out.insert(out.end(), b.begin(), b.end()); });
    return out;
}

Bytes encrypted_message(const Bytes& pub, crypto::Rng& rng) {
    std::vector<cert::Cert> certs = cert::read_all_certs(pub);
    auto pick = pick_recipient(certs.at(0), vectors_time);
    if (!std::holds_alternative<Recipient>(pick))
        throw Error(Errc::Usage, 0, "vectors: the key cannot be encrypted to");
    EncryptOptions eo;
    eo.recipients.push_back(std::get<Recipient>(std::move(pick)));
    eo.filename = "vector.txt";
    eo.date = vectors_time;
    packet::MemorySource data(as_bytes(signed_text));
    Bytes out;
    BufferSink sink(out);
    (void)encrypt(data, sink, eo, rng);
    return out;
}

void add_kind(const KeyKind& kind, unsigned version, crypto::Rng& rng, std::vector<VectorFile>& out) {
    const std::string base = std::string(kind.name) + "-v" + std::to_string(version);
    const keygen::GeneratedKey k = generate(kind, version, rng);
    const std::string direct = version == 6 ? " 2" : "";
    const std::string what = kind.name + std::string(" primary and subkey, version ") + std::to_string(version);

    VectorFile pub = vector_file("key-" + base + ".pub.pgp", VectorGroup::Keys, "certificate: " + what, true,
                                 k.public_key, "6" + direct + " 13 2 14 2");
    key_identities(k.public_key, pub);
    VectorFile sec =
        vector_file("key-" + base + ".sec.pgp", VectorGroup::Keys, "unprotected transferable secret key: " + what, true,
                    ByteView(k.secret_key.data(), k.secret_key.size()), "5" + direct + " 13 2 7 2");
    sec.keyids = pub.keyids;
    sec.fingerprints = pub.fingerprints;

    const Bytes sig = detached_signature(k.secret_key, rng);
    VectorFile s =
        vector_file("sig-" + base + ".sig", VectorGroup::Keys,
                    "detached binary signature by key-" + base + " (" + pub.keyids.at(0) + ")", true, sig, "2");
    const Bytes msg = encrypted_message(k.public_key, rng);
    VectorFile m =
        vector_file("msg-" + base + ".pgp", VectorGroup::Keys,
                    "message encrypted to key-" + base + " (subkey " + pub.keyids.at(1) + ")", true, msg, "1 18");
    out.push_back(std::move(pub));
    out.push_back(std::move(sec));
    out.push_back(std::move(s));
    out.push_back(std::move(m));
}

}  // namespace

void add_key_vectors(crypto::Rng& rng, std::vector<VectorFile>& out) {
    std::uint32_t index = 0;
    for (unsigned version : {4u, 5u, 6u}) {
        for (const KeyKind& kind : kinds) {
            if (version == 6 && !kind.v6) continue;
            crypto::Rng r = rng.fork(index++);
            add_kind(kind, version, r, out);
        }
    }
}

}  // namespace pgpkit::message::internal
