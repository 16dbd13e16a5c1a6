// libFuzzer entry: certificate assembly, signature checks, validity, write-back.
#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::cert_one(pgpkit::ByteView(data, size));
    return 0;
}
