#pragma once
// The keys of the message tests: made once per test run with pgpkit gen-key --seed and
// imported into a home of their own.

#include <string>

namespace pgpkit::test {

/** A home with: Alice (ed25519, unprotected), Bob (ed25519 primary, ed25519 signing subkey,
    passphrase "bob secret"), Old (ed25519, expired 2021-01-01), Rsa (RSA 2048), Six (v6 Ed25519). */
struct MessageKeys {
    std::string home;
    std::string alice_fpr;
    std::string bob_fpr;
    std::string old_fpr;
    std::string rsa_fpr;
    std::string six_fpr;  ///< a v6 Ed25519 key
    /** Bob's public certificate alone, as a keyring file. */
    std::string bob_keyring;
};

const MessageKeys& message_keys();

/** pgpkit with arguments (already quoted as needed), in the keys' home. */
std::string pgpkit_cmd(const std::string& args);

}  // namespace pgpkit::test
