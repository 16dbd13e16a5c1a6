#pragma once
// Keys and helpers shared by the message tests: keys generated in memory from GnuPG
// parameter text with a seeded generator, and one-call encrypt/decrypt wrappers.

#include <string>
#include <vector>

#include "base/status.h"
#include "cert/cert.h"
#include "message/decrypt.h"
#include "message/encrypt.h"

namespace pgpkit::test {

constexpr std::uint32_t message_test_time = 1767225600;  // 2026-01-01

/** A transferable secret key made from `params` (one block, %no-protection or Passphrase). */
cert::Cert make_tsk(const std::string& params, std::uint8_t seed);
/** The same key generated once per process, by name: rsa, dsaelg, p256, p384, bp256, cv25519, v6. */
const cert::Cert& family_key(const std::string& family);

/** The recipient `pick_recipient` chooses in `tsk` (fails the test if none). */
message::Recipient recipient_of(const cert::Cert& tsk);

struct Encrypted {
    Bytes data;
    message::EncryptResult result;
};
Encrypted encrypt_bytes(ByteView plaintext, message::EncryptOptions opt);

struct Decrypted {
    Bytes plaintext;
    message::DecryptResult result;
    std::vector<StatusEvent> status;
    std::vector<std::string> notes;
    /** Status keywords in order. */
    std::vector<std::string> keywords() const;
};
Decrypted decrypt_bytes(ByteView message, std::vector<cert::Cert> keys, std::optional<std::string> passphrase,
                        std::optional<message::SessionKey> override_key = std::nullopt);

}  // namespace pgpkit::test
