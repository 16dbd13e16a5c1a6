// The vector suite of message/vectors.h (issue 15): reproducible from its seed, the seed
// reaches every key, each group stands alone, the manifest has a row per file.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "base/error.h"
#include "message/vectors.h"

namespace pgpkit::message {
namespace {

SecretBytes seed_of(std::string_view s) { return SecretBytes(s.begin(), s.end()); }

std::vector<VectorFile> suite(std::string_view seed, std::optional<VectorGroup> only = std::nullopt) {
    VectorOptions o;
    o.seed = seed_of(seed);
    o.only = only;
    return make_vectors(o);
}

std::set<std::string> fingerprints(const std::vector<VectorFile>& files) {
    std::set<std::string> out;
    for (const VectorFile& f : files) out.insert(f.fingerprints.begin(), f.fingerprints.end());
    return out;
}

TEST(Vectors, SameSeedGivesSameBytes) {
    const auto a = suite("0123456789abcdef-same");
    const auto b = suite("0123456789abcdef-same");
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].name, b[i].name);
        EXPECT_TRUE(a[i].data == b[i].data) << a[i].name << " differs between two runs with one seed";
        EXPECT_EQ(a[i].fingerprints, b[i].fingerprints) << a[i].name;
    }
    EXPECT_EQ(manifest_tsv(a, {}), manifest_tsv(b, {}));
}

TEST(Vectors, DifferentSeedGivesDifferentKeys) {
    const auto a = suite("0123456789abcdef-one", VectorGroup::Keys);
    const auto b = suite("0123456789abcdef-two", VectorGroup::Keys);
    const auto fa = fingerprints(a), fb = fingerprints(b);
    ASSERT_GE(fa.size(), 2 * 26u);  // every key has a primary and a subkey
    for (const std::string& f : fa) EXPECT_EQ(fb.count(f), 0u) << f << " made from two seeds";
    const auto la = suite("0123456789abcdef-one", VectorGroup::Legacy);
    const auto lb = suite("0123456789abcdef-two", VectorGroup::Legacy);
    for (const std::string& f : fingerprints(la)) EXPECT_EQ(fingerprints(lb).count(f), 0u) << f;
}

TEST(Vectors, OnlyGroupGivesThatGroupsFilesOfTheWholeSuite) {
    const auto all = suite("0123456789abcdef-only");
    std::map<std::string, const VectorFile*> by_name;
    for (const VectorFile& f : all) by_name[f.name] = &f;
    for (VectorGroup g : {VectorGroup::Keys, VectorGroup::Framing, VectorGroup::Legacy, VectorGroup::Negatives}) {
        const auto part = suite("0123456789abcdef-only", g);
        ASSERT_FALSE(part.empty()) << vector_group_name(g);
        for (const VectorFile& f : part) {
            EXPECT_EQ(f.group, g) << f.name;
            ASSERT_TRUE(by_name.count(f.name)) << f.name;
            EXPECT_TRUE(by_name[f.name]->data == f.data) << f.name << " differs with --only";
        }
    }
}

TEST(Vectors, EveryFileHasAUniqueNameAndAFilledRow) {
    const auto all = suite("0123456789abcdef-rows");
    std::set<std::string> names;
    std::set<VectorGroup> groups;
    std::size_t rejects = 0;
    for (const VectorFile& f : all) {
        EXPECT_TRUE(names.insert(f.name).second) << "duplicate " << f.name;
        EXPECT_FALSE(f.holds.empty()) << f.name;
        EXPECT_FALSE(f.packets.empty()) << f.name;
        EXPECT_FALSE(f.data.empty()) << f.name;
        EXPECT_EQ(f.keyids.size(), f.fingerprints.size()) << f.name;
        EXPECT_EQ(f.accept, f.packets.find('!') == std::string::npos) << f.name << ": " << f.packets;
        groups.insert(f.group);
        rejects += !f.accept;
    }
    EXPECT_EQ(groups.size(), 4u);
    EXPECT_GE(rejects, 10u);
    const std::string tsv = manifest_tsv(all, {});
    EXPECT_EQ(static_cast<std::size_t>(std::count(tsv.begin(), tsv.end(), '\n')), all.size() + 1);
}

TEST(Vectors, V3RsaKeyIdIsTheLowSixtyFourBitsOfTheModulus) {
    for (const VectorFile& f : suite("0123456789abcdef-v3", VectorGroup::Legacy)) {
        if (f.name != "legacy-v3-rsa.pub.pgp") continue;
        // Old CTB of a public key (tag 6) with a one- or two-octet length, then version 3,
        // creation time, validity days, algorithm 1 and the MPI n.
        const SecretBytes& d = f.data;
        ASSERT_GT(d.size(), 16u);
        ASSERT_EQ(d[0] & 0xFC, 0x98);
        const std::size_t h = (d[0] & 3) == 0 ? 2 : 3;
        EXPECT_EQ(d[h], 3);
        EXPECT_EQ(d[h + 7], 1);
        const std::size_t n_end = h + 10 + ((d[h + 8] << 8 | d[h + 9]) + 7) / 8;
        ASSERT_LE(n_end, d.size());
        const Bytes low(d.begin() + static_cast<std::ptrdiff_t>(n_end) - 8, d.begin() + static_cast<std::ptrdiff_t>(n_end));
        EXPECT_EQ(f.keyids.at(0), to_hex(low));
        return;
    }
    FAIL() << "no legacy-v3-rsa.pub.pgp in the legacy group";
}

TEST(Vectors, ShortSeedAndUnknownGroupAreRefused) {
    VectorOptions o;
    o.seed = seed_of("short");
    EXPECT_THROW((void)make_vectors(o), Error);
    EXPECT_THROW((void)parse_vector_group("everything"), Error);
    EXPECT_EQ(parse_vector_group("framing"), VectorGroup::Framing);
}

}  // namespace
}  // namespace pgpkit::message
