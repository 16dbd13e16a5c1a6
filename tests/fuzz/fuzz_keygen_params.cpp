// libFuzzer entry: keygen parameter-file parser (parse only: no key generation, no files).
#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::keygen_params_one(pgpkit::ByteView(data, size));
    return 0;
}
