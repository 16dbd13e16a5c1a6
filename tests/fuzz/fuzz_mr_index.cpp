// libFuzzer entry: the HKP machine-readable index (keyserver::parse_mr_index and its writer).
#include "tests/fuzz/keyserver_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::mr_index_one(pgpkit::ByteView(data, size));
    return 0;
}
