// libFuzzer entry: ZIP/ZLIB/BZip2 decompression under an output limit; octet 0 picks the
// algorithm and the read size.
#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::decompress_one(pgpkit::ByteView(data, size));
    return 0;
}
