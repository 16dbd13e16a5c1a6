// libFuzzer entry: messages (issue 14). Each input is verified as a signed message and as a
// detached signature (message/verify.h), and decrypted with a fixed key and passphrase
// (message/decrypt.h); fuzz_decrypt fuzzes decryption alone.
#include "tests/fuzz/decrypt_targets.h"
#include "tests/fuzz/message_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::message_one(pgpkit::ByteView(data, size));
    pgpkit::fuzz::fuzz_decrypt_one(data, size);
    return 0;
}
