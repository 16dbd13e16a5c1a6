// Replays every input the fuzzers found under tests/data/fuzz/<entry>/ through the same
// checks (tests/fuzz/targets.h), under the sanitizers of the build.

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/fuzz/targets.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

std::size_t replay(const std::string& entry, void (*check)(ByteView)) {
    std::size_t n = 0;
    for (const auto& f : std::filesystem::directory_iterator(test_data_dir() + "/fuzz/" + entry)) {
        SCOPED_TRACE(f.path().string());
        Bytes data = read_bytes(f.path());
        check(data);
        ++n;
    }
    return n;
}

TEST(FuzzReplay, ParseFindingsStayFixed) { EXPECT_GE(replay("fuzz_parse", fuzz::parse_one), 1u); }

TEST(Regression, V5PublicKeyOctetsAfterMaterialWriteBack) {
    // Found by fuzz_parse: octets after a v5 public key's declared material were dropped.
    Bytes in{0xC6, 0x0E, 5, 0, 0, 0, 1, 22, 0, 0, 0, 2, 1, 0xAB, 0xCD, 0xEF};
    auto packets = packet::parse_lossless(in);
    ASSERT_EQ(packets.size(), 1u);
    EXPECT_EQ(packet::write_packets(packets), in);
}

}  // namespace
}  // namespace pgpkit::test
