// libFuzzer entry: gpg's import preparation, merge and clean (keyring/merge.h).
#include "tests/fuzz/import_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::import_one(pgpkit::ByteView(data, size));
    return 0;
}
