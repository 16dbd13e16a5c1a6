// libFuzzer entry: GnuPG's keybox format (keyring::KeyboxReader, read_keybox_certs).
#include "tests/fuzz/keyring_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::keybox_one(pgpkit::ByteView(data, size));
    return 0;
}
