// libFuzzer entry: decryption of arbitrary input with a fixed key and passphrase.
#include "tests/fuzz/decrypt_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::fuzz_decrypt_one(data, size);
    return 0;
}
