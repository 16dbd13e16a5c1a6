// keygen::BlockPool: the --jobs scheduler hands results out in file order, and with a
// seeded generator the keys do not depend on the number of workers.

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "keygen/params.h"
#include "keygen/pool.h"

namespace pgpkit {
namespace {

std::vector<keygen::KeyBlock> blocks_of(const std::string& text) {
    std::vector<keygen::KeyBlock> out;
    for (auto& item : keygen::parse_params(text, "pool.param"))
        if (auto* b = std::get_if<keygen::KeyBlock>(&item)) out.push_back(std::move(*b));
    return out;
}

std::vector<keygen::BlockResult> run_pool(const std::vector<keygen::KeyBlock>& blocks, unsigned jobs) {
    std::vector<const keygen::KeyBlock*> todo;
    for (const auto& b : blocks) todo.push_back(&b);
    const std::uint8_t seed[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    const crypto::Rng rng = crypto::Rng::seeded(seed);
    keygen::BlockPool pool(todo, rng, nullptr, {}, jobs);
    std::vector<keygen::BlockResult> out;
    for (std::size_t i = 0; i < todo.size(); ++i) out.push_back(pool.take(i));
    return out;
}

TEST(BlockPool, ResultsComeInFileOrderAndEqualAOneWorkerRun) {
    std::string text;
    for (const char* name : {"a", "b", "c", "d"})
        text += std::string("Key-Type: eddsa\nKey-Curve: ed25519\nName-Real: ") + name +
                "\nCreation-Date: 20200101T000000\n%no-protection\n%commit\n";
    text += "Key-Type: RSB\n%commit\n";  // a bad block: its error is its result
    const auto blocks = blocks_of(text);
    ASSERT_EQ(blocks.size(), 5u);
    const auto one = run_pool(blocks, 1);
    const auto two = run_pool(blocks, 3);
    ASSERT_EQ(one.size(), 5u);
    ASSERT_EQ(two.size(), 5u);
    for (std::size_t i = 0; i < 4; ++i) {
        ASSERT_TRUE(one[i].key && two[i].key) << i << ": " << one[i].error << two[i].error;
        EXPECT_EQ(one[i].key->public_key, two[i].key->public_key) << i;
    }
    EXPECT_NE(one[0].key->fingerprint, one[1].key->fingerprint);
    EXPECT_FALSE(one[4].key);
    EXPECT_FALSE(two[4].key);
    EXPECT_NE(two[4].error.find("RSB"), std::string::npos) << two[4].error;
}

}  // namespace
}  // namespace pgpkit
