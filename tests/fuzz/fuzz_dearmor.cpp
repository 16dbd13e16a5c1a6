// libFuzzer entry: dearmor every block, then parse it.
#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::dearmor_one(pgpkit::ByteView(data, size));
    return 0;
}
