#include "message/internal/decrypt_notes.h"

#include "base/time.h"
#include "packet/fields.h"

namespace pgpkit::message::internal {

std::string gpg_cipher_name(packet::SymAlgo a) {
    using S = packet::SymAlgo;
    switch (a) {
    case S::Idea: return "IDEA";
    case S::TripleDes: return "3DES";
    case S::Cast5: return "CAST5";
    case S::Blowfish: return "BLOWFISH";
    case S::Aes128: return "AES";
    case S::Aes192: return "AES192";
    case S::Aes256: return "AES256";
    case S::Twofish: return "TWOFISH";
    case S::Camellia128: return "CAMELLIA128";
    case S::Camellia192: return "CAMELLIA192";
    case S::Camellia256: return "CAMELLIA256";
    default: return "?";
    }
}

std::string gpg_pubkey_name(packet::PubkeyAlgo a) {
    using P = packet::PubkeyAlgo;
    switch (a) {
    case P::Rsa: case P::RsaEncryptOnly: case P::RsaSignOnly: return "RSA";
    case P::Elgamal: case P::ElgamalSignEncrypt: return "ELG";
    case P::Dsa: return "DSA";
    case P::Ecdh: return "ECDH";
    case P::Ecdsa: return "ECDSA";
    case P::EdDsaLegacy: return "EDDSA";
    case P::X25519: return "X25519";
    case P::X448: return "X448";
    default: return "?";
    }
}

std::string encrypted_with_note(packet::PubkeyAlgo algo, const std::string& keyid_hex, const cert::Cert* cert,
                                const packet::Key* key) {
    if (!key) return "encrypted with " + gpg_pubkey_name(algo) + " key, ID " + keyid_hex;
    std::string s = "encrypted with " + std::to_string(packet::key_bits(key->algo, key->fields)) + "-bit " +
                    gpg_pubkey_name(key->algo) + " key, ID " + keyid_hex + ", created " + format_date(key->created);
    if (cert) {
        for (const cert::Component* c : cert->of_kind(cert::ComponentKind::UserId)) {
            const Bytes id = c->id_bytes();
            s += "\n      \"" + std::string(id.begin(), id.end()) + "\"";
            break;
        }
    }
    return s;
}

}  // namespace pgpkit::message::internal
