// libFuzzer entry: GnuPG's trustdb.gpg records, its structure check and changes, and the
// ownertrust text format (trust/).
#include "tests/fuzz/trust_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgpkit::fuzz::trustdb_one(pgpkit::ByteView(data, size));
    return 0;
}
