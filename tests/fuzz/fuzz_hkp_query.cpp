// libFuzzer entry: /pks/lookup query strings (keyserver::parse_lookup).
#include "tests/fuzz/hkp_query_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::hkp_query_one(pgpkit::ByteView(data, size));
    return 0;
}
