// libFuzzer entry: `pgpkit dump` of arbitrary input as text, text --hex and JSON; the JSON
// must parse.
#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::dump_one(pgpkit::ByteView(data, size));
    return 0;
}
