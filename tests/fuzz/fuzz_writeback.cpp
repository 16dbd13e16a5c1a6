// libFuzzer entry: parse -> write is byte-identical; canonical write -> parse gives the
// same fields.
#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::writeback_one(pgpkit::ByteView(data, size));
    return 0;
}
