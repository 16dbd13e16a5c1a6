#pragma once
// gpg's wording of the human notes and names of decryption (message/ only).

#include <string>

#include "cert/cert.h"
#include "packet/key.h"
#include "packet/names.h"

namespace pgpkit::message::internal {

/** gpg's short cipher name (openpgp_cipher_algo_name): "AES256", "AES", "3DES", "CAST5", ... */
std::string gpg_cipher_name(packet::SymAlgo a);
/** gpg's short public-key name: "RSA", "ELG", "DSA", "ECDH", "ECDSA", "EDDSA", ... */
std::string gpg_pubkey_name(packet::PubkeyAlgo a);
/**
 * "encrypted with 2048-bit RSA key, ID <KEYID>, created <DATE>\n      \"<UID>\"" for a known
 * key, "encrypted with RSA key, ID <KEYID>" for an unknown one.
 */
std::string encrypted_with_note(packet::PubkeyAlgo algo, const std::string& keyid_hex, const cert::Cert* cert,
                                const packet::Key* key);

}  // namespace pgpkit::message::internal
