// libFuzzer entry: key specifications as gpg takes them (keyring::parse_key_spec).
#include "tests/fuzz/keyring_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::key_spec_one(pgpkit::ByteView(data, size));
    return 0;
}
