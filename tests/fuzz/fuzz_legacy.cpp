// libFuzzer entry: GnuPG 1.x's keyserver message format (keyserver/legacy_protocol.h).
#include "tests/fuzz/keyserver_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::legacy_one(pgpkit::ByteView(data, size));
    return 0;
}
