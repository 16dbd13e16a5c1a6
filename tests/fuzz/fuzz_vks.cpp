// libFuzzer entry: answers of VKS uploads (keyserver/vks.h).
#include "tests/fuzz/keyserver_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::vks_one(pgpkit::ByteView(data, size));
    return 0;
}
