// libFuzzer entry: whole-stream parse with descent, describe, lossless round trip.
#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::parse_one(pgpkit::ByteView(data, size));
    return 0;
}
