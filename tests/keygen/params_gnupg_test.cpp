// Unit tests of the places where the parameter parser follows GnuPG 2.2 rather than refusing:
// out-of-range key lengths are clamped with GnuPG's messages, and user IDs are put together
// from Name-Real, Name-Comment and Name-Email the way gpg does. The same cases run against
// gpg itself in tests/oracle/genkey_oracle_test.cpp.

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "keygen/params.h"

namespace pgpkit::keygen {
namespace {

struct Parsed {
    std::vector<Message> warnings;  ///< Kind::Warning messages, in order
    std::vector<KeyBlock> blocks;
    bool warnings_before_block = true;  ///< every warning comes before its block
};

Parsed parse(const std::string& text) {
    Parsed p;
    for (const Item& i : parse_params(text, "t.param")) {
        if (const auto* b = std::get_if<KeyBlock>(&i)) p.blocks.push_back(*b);
        else if (const auto& m = std::get<Message>(i); m.kind == Message::Kind::Warning) {
            p.warnings.push_back(m);
            if (!p.blocks.empty()) p.warnings_before_block = false;
        }
    }
    return p;
}

std::vector<std::string> texts(const std::vector<Message>& ms) {
    std::vector<std::string> out;
    for (const Message& m : ms) out.push_back(m.text);
    return out;
}

struct LengthCase {
    const char* type;
    const char* length;
    unsigned bits;
    std::vector<std::string> said;  ///< GnuPG 2.2.40's log lines, without "gpg: "
};

TEST(ParamsGnupg, PrimaryKeyLengthIsClampedAndRoundedAsGnupgDoes) {
    // Measured with gpg 2.2.40 --batch --gen-key (tests/oracle/genkey_oracle_test.cpp repeats
    // several of these against gpg).
    const std::vector<LengthCase> cases = {
        {"RSA", "1000", 3072, {"keysize invalid; using 3072 bits"}},
        {"RSA", "5000", 4096, {"keysize invalid; using 4096 bits"}},
        {"RSA", "100000", 4096, {"keysize invalid; using 4096 bits"}},
        {"RSA", "99999999999999999999", 4096, {"keysize invalid; using 4096 bits"}},
        {"RSA", "1025", 1056, {"keysize rounded up to 1056 bits"}},
        {"RSA", "1024", 1024, {}},
        {"RSA", "4096", 4096, {}},
        {"DSA", "700", 2048, {"keysize invalid; using 2048 bits"}},
        {"DSA", "4000", 3072, {"keysize invalid; using 3072 bits"}},
        {"DSA", "1000", 1024, {"keysize rounded up to 1024 bits"}},
        {"DSA", "769", 832, {"keysize rounded up to 832 bits"}},
        {"DSA", "1500", 2048, {"keysize rounded up to 1536 bits", "keysize rounded up to 2048 bits"}},
        {"DSA", "3000", 3072, {"keysize rounded up to 3008 bits", "keysize rounded up to 3072 bits"}},
        {"DSA", "768", 768, {}},
        {"DSA", "2048", 2048, {}},
    };
    for (const LengthCase& c : cases) {
        SCOPED_TRACE(std::string(c.type) + " " + c.length);
        Parsed p = parse(std::string("Key-Type: ") + c.type + "\nName-Real: a\nKey-Length: " + c.length + "\n");
        ASSERT_EQ(p.blocks.size(), 1u);
        ASSERT_FALSE(p.blocks[0].error) << *p.blocks[0].error;
        EXPECT_EQ(p.blocks[0].length, c.bits);
        std::vector<std::string> want;
        for (const std::string& s : c.said) want.push_back("t.param:3: " + s);
        EXPECT_EQ(texts(p.warnings), want);
        for (const Message& m : p.warnings) EXPECT_EQ(m.line, 3u);
        EXPECT_TRUE(p.warnings_before_block);
    }
}

TEST(ParamsGnupg, SubkeyLengthIsClampedAsGnupgDoes) {
    const std::string ed = "Key-Type: EdDSA\nKey-Curve: ed25519\nName-Real: a\n";
    const std::vector<LengthCase> cases = {
        {"ELG-E", "500", 3072, {"keysize invalid; using 3072 bits"}},
        {"ELG-E", "1000", 3072, {"keysize invalid; using 3072 bits"}},
        {"ELG-E", "5000", 4096, {"keysize invalid; using 4096 bits"}},
        {"ELG-E", "1025", 1056, {"keysize rounded up to 1056 bits"}},
        {"RSA", "800", 3072, {"keysize invalid; using 3072 bits"}},
    };
    for (const LengthCase& c : cases) {
        SCOPED_TRACE(std::string(c.type) + " " + c.length);
        Parsed p = parse(ed + "Subkey-Type: " + c.type + "\nSubkey-Length: " + c.length + "\n");
        ASSERT_EQ(p.blocks.size(), 1u);
        ASSERT_FALSE(p.blocks[0].error) << *p.blocks[0].error;
        ASSERT_EQ(p.blocks[0].subkeys.size(), 1u);
        EXPECT_EQ(p.blocks[0].subkeys[0].length, c.bits);
        std::vector<std::string> want;
        for (const std::string& s : c.said) want.push_back("t.param:5: " + s);
        EXPECT_EQ(texts(p.warnings), want);
    }
}

TEST(ParamsGnupg, EachSubkeyWarnsAtItsOwnLine) {
    Parsed p = parse("Key-Type: RSA\nKey-Length: 512\nName-Real: a\nSubkey-Type: RSA\nSubkey-Type: ELG-E\n"
                     "Subkey-Length: 9000\n");
    ASSERT_EQ(p.blocks.size(), 1u);
    ASSERT_FALSE(p.blocks[0].error) << *p.blocks[0].error;
    EXPECT_EQ(texts(p.warnings), (std::vector<std::string>{"t.param:2: keysize invalid; using 3072 bits",
                                                           "t.param:6: keysize invalid; using 4096 bits"}));
    EXPECT_EQ(p.blocks[0].subkeys[0].length, 3072u);  // not given: the default, silently
    EXPECT_EQ(p.blocks[0].subkeys[1].length, 4096u);
}

TEST(ParamsGnupg, DefaultsAndCurveKeysSayNothing) {
    Parsed p = parse("Key-Type: RSA\nName-Real: a\n%commit\nKey-Type: DSA\nName-Real: b\n%commit\n"
                     "Key-Type: EdDSA\nKey-Curve: ed25519\nKey-Length: 5000\nName-Real: c\n"
                     "Subkey-Type: ECDH\nSubkey-Curve: cv25519\nSubkey-Length: 1\n%commit\n"
                     "Key-Type: RSA\nKey-Length: 0\nName-Real: d\n");
    ASSERT_EQ(p.blocks.size(), 4u);
    for (const KeyBlock& b : p.blocks) EXPECT_FALSE(b.error) << *b.error;
    EXPECT_TRUE(p.warnings.empty()) << p.warnings[0].text;
    EXPECT_EQ(p.blocks[0].length, 3072u);
    EXPECT_EQ(p.blocks[1].length, 2048u);
    EXPECT_EQ(p.blocks[2].length, 256u);  // the curve's size (crypto::curve_bits), not Key-Length
    EXPECT_EQ(p.blocks[3].length, 3072u);
}

TEST(ParamsGnupg, ABlockThatIsNotMadeGivesNoLengthWarning) {
    // gpg says "keysize invalid" while it generates, so a refused block says nothing.
    Parsed p = parse("Key-Type: RSA\nKey-Length: 100\n%commit\n");
    ASSERT_EQ(p.blocks.size(), 1u);
    EXPECT_TRUE(p.blocks[0].error);
    EXPECT_TRUE(p.warnings.empty());
    // The next block starts clean: its warning names its own line only.
    p = parse("Key-Type: RSA\nKey-Length: 100\n%commit\nKey-Type: RSA\nKey-Length: 7000\nName-Real: b\n");
    ASSERT_EQ(p.blocks.size(), 2u);
    EXPECT_EQ(texts(p.warnings), std::vector<std::string>{"t.param:5: keysize invalid; using 4096 bits"});
}

TEST(ParamsGnupg, LengthsThatAreNotNumbersAreStillErrors) {
    // gpg reads "2k" as 2 (strtoul); pgpkit refuses what is not a number.
    for (const char* v : {"2k", "-5", "0x800", "2048 bits"}) {
        Parsed p = parse(std::string("Key-Type: RSA\nKey-Length: ") + v + "\nName-Real: a\n");
        ASSERT_EQ(p.blocks.size(), 1u);
        ASSERT_TRUE(p.blocks[0].error) << v;
        EXPECT_EQ(*p.blocks[0].error, std::string("t.param:2: invalid Key-Length \"") + v + "\"");
    }
}

TEST(ParamsGnupg, UserIdOfEveryNameCombinationIsGnupgs) {
    // gpg 2.2.40 --batch --gen-key, listed with --with-colons (the oracle test checks it).
    struct Case {
        const char* params;
        const char* uid;
    };
    const Case cases[] = {
        {"Name-Real: R\n", "R"},
        {"Name-Comment: c\n", " (c)"},
        {"Name-Email: e@x.org\n", "e@x.org"},
        {"Name-Real: R\nName-Comment: c\n", "R (c)"},
        {"Name-Real: R\nName-Email: e@x.org\n", "R <e@x.org>"},
        {"Name-Comment: c\nName-Email: e@x.org\n", " (c) <e@x.org>"},
        {"Name-Real: R\nName-Comment: c\nName-Email: e@x.org\n", "R (c) <e@x.org>"},
        // The order of the lines does not matter.
        {"Name-Email: e@x.org\nName-Comment: c\nName-Real: R\n", "R (c) <e@x.org>"},
    };
    for (const Case& c : cases) {
        Parsed p = parse(std::string("Key-Type: EdDSA\nKey-Curve: ed25519\n") + c.params);
        ASSERT_EQ(p.blocks.size(), 1u);
        ASSERT_FALSE(p.blocks[0].error) << *p.blocks[0].error;
        EXPECT_EQ(p.blocks[0].effective_user_id(), c.uid) << c.params;
    }
}

}  // namespace
}  // namespace pgpkit::keygen
