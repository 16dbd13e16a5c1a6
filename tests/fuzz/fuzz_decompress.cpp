// libFuzzer entry: ZIP/ZLIB/BZip2 decompression under output limits; first octet picks algorithm and read size.
#include "tests/fuzz/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::decompress_one(pgpkit::ByteView(data, size));
    return 0;
}
