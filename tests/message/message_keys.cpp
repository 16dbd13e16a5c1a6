#include "tests/message/message_keys.h"

#include <gtest/gtest.h>

#include <map>

#include "keygen/generate.h"
#include "keygen/params.h"
#include "message/decrypt_keys.h"
#include "packet/source.h"

namespace pgpkit::test {

cert::Cert make_tsk(const std::string& params, std::uint8_t seed) {
    std::vector<keygen::KeyBlock> blocks;
    for (const keygen::Item& i : keygen::parse_params(params, "t.param"))
        if (const auto* b = std::get_if<keygen::KeyBlock>(&i)) blocks.push_back(*b);
    if (blocks.size() != 1 || blocks[0].error) throw std::runtime_error("bad test key parameters: " + params);
    std::vector<std::uint8_t> s(32, seed);
    crypto::Rng rng = crypto::Rng::seeded(s);
    keygen::GenerateOptions o;
    o.now = message_test_time - 86400;
    o.s2k_coded_count = 0x60;
    const keygen::GeneratedKey g = keygen::generate_key(blocks[0], rng, nullptr, o);
    auto certs = cert::read_all_certs(ByteView(g.secret_key.data(), g.secret_key.size()));
    if (certs.size() != 1) throw std::runtime_error("generated key did not parse");
    return std::move(certs[0]);
}

const cert::Cert& family_key(const std::string& family) {
    static std::map<std::string, cert::Cert> cache;
    auto it = cache.find(family);
    if (it != cache.end()) return it->second;
    static const std::map<std::string, std::string> params = {
        {"rsa", "Key-Type: RSA\nKey-Length: 1024\nSubkey-Type: RSA\nSubkey-Length: 1024\n"},
        {"dsaelg", "Key-Type: DSA\nKey-Length: 1024\nSubkey-Type: ELG-E\nSubkey-Length: 1024\n"},
        {"p256", "Key-Type: ECDSA\nKey-Curve: nistp256\nSubkey-Type: ECDH\nSubkey-Curve: nistp256\n"},
        {"p384", "Key-Type: ECDSA\nKey-Curve: nistp384\nSubkey-Type: ECDH\nSubkey-Curve: nistp384\n"},
        {"p521", "Key-Type: ECDSA\nKey-Curve: nistp521\nSubkey-Type: ECDH\nSubkey-Curve: nistp521\n"},
        {"bp256", "Key-Type: ECDSA\nKey-Curve: brainpoolP256r1\nSubkey-Type: ECDH\nSubkey-Curve: brainpoolP256r1\n"},
        {"bp512", "Key-Type: ECDSA\nKey-Curve: brainpoolP512r1\nSubkey-Type: ECDH\nSubkey-Curve: brainpoolP512r1\n"},
        {"cv25519", "Key-Type: EdDSA\nKey-Curve: ed25519\nSubkey-Type: ECDH\nSubkey-Curve: cv25519\n"},
        {"v6", "Key-Type: EdDSA\nKey-Curve: ed25519\nKey-Version: 6\nSubkey-Type: ECDH\nSubkey-Curve: cv25519\n"},
    };
    const std::string text = params.at(family) + "Name-Real: " + family + "\nName-Email: " + family +
                             "@message.test\n%no-protection\n";
    return cache.emplace(family, make_tsk(text, static_cast<std::uint8_t>(cache.size() + 1))).first->second;
}

message::Recipient recipient_of(const cert::Cert& tsk) {
    auto pick = message::pick_recipient(cert::public_part(tsk), message_test_time);
    if (auto* r = std::get_if<message::Recipient>(&pick)) return *r;
    ADD_FAILURE() << "no encryption key, reason " << unsigned(std::get<message::InvalidRecipient>(pick));
    return {};
}

Encrypted encrypt_bytes(ByteView plaintext, message::EncryptOptions opt) {
    Encrypted e;
    message::BufferSink out(e.data);
    packet::MemorySource in(plaintext);
    crypto::Rng rng = crypto::Rng::system();
    e.result = message::encrypt(in, out, opt, rng);
    return e;
}

std::vector<std::string> Decrypted::keywords() const {
    std::vector<std::string> k;
    for (const StatusEvent& e : status) k.push_back(e.keyword);
    return k;
}

Decrypted decrypt_bytes(ByteView message, std::vector<cert::Cert> keys, std::optional<std::string> passphrase,
                        std::optional<message::SessionKey> override_key) {
    Decrypted d;
    message::MemorySecretKeys source(std::move(keys));
    message::DecryptOptions opt;
    opt.keys = &source;
    if (passphrase) opt.passphrase = SecretBytes(passphrase->begin(), passphrase->end());
    opt.override_key = std::move(override_key);
    opt.status = [&](const StatusEvent& e) { d.status.push_back(e); };
    opt.notes = [&](const std::string& s) { d.notes.push_back(s); };
    message::BufferSink out(d.plaintext);
    packet::MemorySource in(message);
    d.result = message::decrypt(in, out, opt);
    return d;
}

}  // namespace pgpkit::test
