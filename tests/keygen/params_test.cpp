// Unit tests of the parameter-file parser (keygen/params.h): every control statement and
// keyword of GnuPG's unattended key generation format, including their errors.

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "keygen/params.h"

namespace pgpkit::keygen {
namespace {

std::vector<KeyBlock> blocks(const std::vector<Item>& items) {
    std::vector<KeyBlock> out;
    for (const Item& i : items)
        if (const auto* b = std::get_if<KeyBlock>(&i)) out.push_back(*b);
    return out;
}

std::vector<Message> messages(const std::vector<Item>& items) {
    std::vector<Message> out;
    for (const Item& i : items)
        if (const auto* m = std::get_if<Message>(&i)) out.push_back(*m);
    return out;
}

/** Parses one block that must be valid. */
KeyBlock one(const std::string& text) {
    auto b = blocks(parse_params(text, "t.param"));
    EXPECT_EQ(b.size(), 1u);
    if (b.empty()) return {};
    EXPECT_FALSE(b[0].error) << *b[0].error;
    return b[0];
}

/** Parses one block that must fail; returns its error. */
std::string error_of(const std::string& text) {
    auto b = blocks(parse_params(text, "t.param"));
    EXPECT_EQ(b.size(), 1u);
    if (b.empty() || !b[0].error) return "(no error)";
    return *b[0].error;
}

const std::string base = "Key-Type: RSA\nKey-Length: 2048\nName-Real: A\n";

TEST(Params, MinimalRsaBlock) {
    KeyBlock b = one(base);
    EXPECT_EQ(b.algo, Algo::Rsa);
    EXPECT_EQ(b.length, 2048u);
    EXPECT_EQ(b.effective_user_id(), "A");
    EXPECT_EQ(b.key_type_line, 1u);
    EXPECT_EQ(b.version, 4);
    ASSERT_TRUE(b.usage);
    EXPECT_TRUE(b.usage->cert);
    EXPECT_TRUE(b.usage->sign);
    EXPECT_TRUE(b.usage->encrypt);
}

TEST(Params, CommentsBlankLinesAndSurroundingSpaceAreIgnored) {
    KeyBlock b = one("# comment\n\n   \t\n  Key-Type :  DSA  \r\n\tName-Real:   Bob Smith   \n  # indented comment\n");
    EXPECT_EQ(b.algo, Algo::Dsa);
    EXPECT_EQ(b.length, 2048u);  // default
    EXPECT_EQ(b.name_real, "Bob Smith");
}

TEST(Params, KeywordsAreCaseInsensitive) {
    KeyBlock b = one("key-type: rsa\nKEY-LENGTH: 3072\nname-real: x\nNAME-EMAIL: x@example.org\n");
    EXPECT_EQ(b.length, 3072u);
    EXPECT_EQ(b.effective_user_id(), "x <x@example.org>");
}

TEST(Params, LineTooLongIsAnError) {
    std::string text = base + "Name-Comment: " + std::string(1100, 'c') + "\n";
    EXPECT_EQ(error_of(text), "t.param:4: line too long (more than 1022 octets)");
}

TEST(Params, LineOfExactlyMaxLengthIsAccepted) {
    std::string line = "Handle: ";
    line += std::string(max_line_length - line.size(), 'h');
    KeyBlock b = one(base + line + "\n");
    EXPECT_EQ(b.handle.size(), max_line_length - 8);
}

TEST(Params, UnknownKeywordNamesFileAndLine) {
    EXPECT_EQ(error_of(base + "Key-Colour: red\n"), "t.param:4: unknown keyword \"Key-Colour\"");
}

TEST(Params, MissingColonAndMissingArgument) {
    EXPECT_EQ(error_of(base + "Handle\n"), "t.param:4: missing colon");
    EXPECT_EQ(error_of(base + "Handle:   \n"), "t.param:4: missing argument for Handle");
}

TEST(Params, DuplicateKeywordIsAnError) {
    EXPECT_EQ(error_of(base + "Name-Real: B\n"), "t.param:4: Name-Real may only be given once per key");
}

TEST(Params, UnknownKeyTypeMatchesTheIssueExample) {
    auto b = blocks(parse_params("Key-Type: RSA\nName-Real: a\n%commit\n\n\n\nKey-Type: RSB\nName-Real: b\n", "keys.param"));
    ASSERT_EQ(b.size(), 2u);
    EXPECT_FALSE(b[0].error);
    ASSERT_TRUE(b[1].error);
    EXPECT_EQ(*b[1].error, "keys.param:7: unknown Key-Type \"RSB\"");
}

TEST(Params, KeyTypeByNumberAndName) {
    EXPECT_EQ(one("Key-Type: 1\nName-Real: a\n").algo, Algo::Rsa);
    EXPECT_EQ(one("Key-Type: 17\nName-Real: a\n").algo, Algo::Dsa);
    EXPECT_EQ(one("Key-Type: 19\nKey-Curve: nistp256\nName-Real: a\n").algo, Algo::Ecdsa);
    EXPECT_EQ(one("Key-Type: 22\nKey-Curve: ed25519\nName-Real: a\n").algo, Algo::EdDsa);
    EXPECT_EQ(one("Key-Type: eddsa\nKey-Curve: Ed25519\nName-Real: a\n").algo, Algo::EdDsa);
    EXPECT_EQ(error_of("Key-Type: 99\nName-Real: a\n"), "t.param:1: unknown Key-Type \"99\"");
}

TEST(Params, KeyTypeDefaultIsEd25519) {
    KeyBlock b = one("Key-Type: default\nSubkey-Type: default\nName-Real: a\n");
    EXPECT_EQ(b.algo, Algo::EdDsa);
    EXPECT_EQ(b.curve, crypto::Curve::Ed25519);
    EXPECT_EQ(b.usage, (Usage{true, false, false, true}));  // sign, cert: GnuPG 2.4's default
    ASSERT_EQ(b.subkeys.size(), 1u);
    EXPECT_EQ(b.subkeys[0].algo, Algo::Ecdh);
    EXPECT_EQ(b.subkeys[0].curve, crypto::Curve::Cv25519);
}

TEST(Params, EncryptionOnlyAlgorithmCannotBePrimary) {
    EXPECT_EQ(error_of("Key-Type: ELG-E\nName-Real: a\n"),
              "t.param:1: Key-Type ELG-E cannot certify, so it cannot be a primary key");
    EXPECT_EQ(error_of("Key-Type: ECDH\nKey-Curve: cv25519\nName-Real: a\n"),
              "t.param:1: Key-Type ECDH cannot certify, so it cannot be a primary key");
}

TEST(Params, KeyLengthSyntax) {
    // Out-of-range lengths are clamped as GnuPG does (params_gnupg_test.cpp).
    EXPECT_EQ(error_of("Key-Type: RSA\nKey-Length: 2k\nName-Real: a\n"), "t.param:2: invalid Key-Length \"2k\"");
    EXPECT_EQ(one("Key-Type: RSA\nName-Real: a\n").length, 3072u);
}

TEST(Params, KeyCurveNamesAndMismatches) {
    for (auto [name, curve] : std::vector<std::pair<std::string, crypto::Curve>>{
             {"nistp256", crypto::Curve::NistP256}, {"nistp384", crypto::Curve::NistP384},
             {"nistp521", crypto::Curve::NistP521}, {"brainpoolP256r1", crypto::Curve::BrainpoolP256r1},
             {"brainpoolP384r1", crypto::Curve::BrainpoolP384r1}, {"brainpoolP512r1", crypto::Curve::BrainpoolP512r1}}) {
        KeyBlock b = one("Key-Type: ECDSA\nKey-Curve: " + name + "\nName-Real: a\n");
        EXPECT_EQ(b.curve, curve) << name;
        EXPECT_EQ(b.length, crypto::curve_bits(curve)) << name;
    }
    EXPECT_EQ(error_of("Key-Type: ECDSA\nKey-Curve: nistp999\nName-Real: a\n"),
              "t.param:2: unknown Key-Curve \"nistp999\"");
    EXPECT_EQ(error_of("Key-Type: ECDSA\nKey-Curve: ed25519\nName-Real: a\n"),
              "t.param:1: Key-Curve does not fit Key-Type ECDSA");
    EXPECT_EQ(error_of("Key-Type: EdDSA\nKey-Curve: nistp256\nName-Real: a\n"),
              "t.param:1: Key-Curve does not fit Key-Type EdDSA");
    EXPECT_EQ(error_of("Key-Type: ECDSA\nName-Real: a\n"), "t.param:1: Key-Type ECDSA needs a Key-Curve");
}

TEST(Params, KeyUsageWords) {
    KeyBlock b = one("Key-Type: RSA\nKey-Usage: sign, auth\nName-Real: a\n");
    ASSERT_TRUE(b.usage);
    EXPECT_TRUE(b.usage->sign);
    EXPECT_TRUE(b.usage->auth);
    EXPECT_FALSE(b.usage->encrypt);
    EXPECT_TRUE(b.usage->cert);  // a primary key always certifies
    EXPECT_EQ(error_of("Key-Type: RSA\nKey-Usage: sign fly\nName-Real: a\n"),
              "t.param:2: invalid Key-Usage \"sign fly\" (want sign, encrypt, auth, cert)");
    EXPECT_EQ(error_of("Key-Type: DSA\nKey-Usage: encrypt\nName-Real: a\n"),
              "t.param:1: Key-Usage encrypt not possible with DSA");
}

TEST(Params, KeyVersion) {
    EXPECT_EQ(one(base + "Key-Version: 6\n").version, 6);
    EXPECT_EQ(one(base + "Key-Version: 5\n").version, 5);
    EXPECT_EQ(error_of(base + "Key-Version: 3\n"), "t.param:4: invalid Key-Version \"3\" (want 4, 5 or 6)");
}

TEST(Params, KeyGripIsKeptForTheStoreLookup) {
    const std::string grip = "0123456789ABCDEF0123456789ABCDEF01234567";
    KeyBlock b = one(base + "Key-Grip: " + grip + "\nSubkey-Type: RSA\nSubkey-Grip: " + grip + "\n");
    ASSERT_TRUE(b.grip);
    EXPECT_EQ(b.grip->line, 4u);
    EXPECT_EQ(b.grip->keyword, "Key-Grip");
    EXPECT_EQ(b.grip->grip[0], 0x01);
    EXPECT_EQ(b.grip->grip[19], 0x67);
    ASSERT_EQ(b.subkeys.size(), 1u);
    ASSERT_TRUE(b.subkeys[0].grip);
    EXPECT_EQ(b.subkeys[0].grip->line, 6u);
    EXPECT_EQ(error_of(base + "Subkey-Grip: " + grip + "\n"), "t.param:4: Subkey-Grip without a Subkey-Type before it");
    EXPECT_EQ(error_of(base + "Subkey-Type: RSA\nSubkey-Grip: " + grip + "\nSubkey-Grip: " + grip + "\n"),
              "t.param:6: Subkey-Grip may only be given once per subkey");
    EXPECT_EQ(error_of(base + "Keygrip: xyz\n"), "t.param:4: invalid Keygrip \"xyz\"");
}

TEST(Params, SeveralSubkeyGroupsEachMakeASubkeyInOrder) {
    KeyBlock b = one(base +
                     "Subkey-Type: ECDH\nSubkey-Curve: cv25519\n"
                     "Subkey-Type: EdDSA\nSubkey-Curve: ed25519\nSubkey-Usage: auth\nSubkey-Expire-Date: 1y\n"
                     "Subkey-Type: RSA\nSubkey-Length: 2048\nSubkey-Usage: encrypt\nSubkey-Version: 4\n");
    ASSERT_EQ(b.subkeys.size(), 3u);
    EXPECT_EQ(b.subkeys[0].algo, Algo::Ecdh);
    EXPECT_EQ(b.subkeys[0].line, 4u);
    EXPECT_TRUE(b.subkeys[0].usage->encrypt);
    EXPECT_EQ(b.subkeys[1].algo, Algo::EdDsa);
    EXPECT_TRUE(b.subkeys[1].usage->auth);
    EXPECT_FALSE(b.subkeys[1].usage->sign);
    ASSERT_TRUE(b.subkeys[1].expire);
    EXPECT_EQ(b.subkeys[1].expire->value, 365u * 86400);
    EXPECT_FALSE(b.subkeys[0].expire);
    EXPECT_EQ(b.subkeys[2].length, 2048u);
}

TEST(Params, SubkeyParameterErrors) {
    EXPECT_EQ(error_of(base + "Subkey-Length: 2048\n"), "t.param:4: Subkey-Length without a Subkey-Type before it");
    EXPECT_EQ(error_of(base + "Subkey-Type: RSA\nSubkey-Length: 2048\nSubkey-Length: 3072\n"),
              "t.param:6: Subkey-Length may only be given once per subkey");
    EXPECT_EQ(error_of(base + "Subkey-Type: RSB\n"), "t.param:4: unknown Subkey-Type \"RSB\"");
    EXPECT_EQ(error_of(base + "Subkey-Type: RSA\nSubkey-Usage: cert\n"),
              "t.param:5: Subkey-Usage cert: only the primary key certifies");
    EXPECT_EQ(error_of(base + "Subkey-Type: ELG-E\nSubkey-Usage: sign\n"),
              "t.param:4: Subkey-Usage sign/auth not possible with ELG-E");
    EXPECT_EQ(error_of(base + "Subkey-Type: ECDH\n"), "t.param:4: Subkey-Type ECDH needs a Subkey-Curve");
    EXPECT_EQ(error_of(base + "Subkey-Type: RSA\nSubkey-Curve: moon\n"), "t.param:5: unknown Subkey-Curve \"moon\"");
    EXPECT_EQ(error_of(base + "Subkey-Type: RSA\nSubkey-Expire-Date: soon\n"),
              "t.param:5: invalid Subkey-Expire-Date \"soon\"");
    EXPECT_EQ(error_of(base + "Subkey-Type: RSA\nSubkey-Version: 7\n"),
              "t.param:5: invalid Subkey-Version \"7\" (want 4, 5 or 6)");
    EXPECT_EQ(error_of(base + "Subkey-Type: RSA\nSubkey-Length: 1k\n"), "t.param:5: invalid Subkey-Length \"1k\"");
}

TEST(Params, UserIdFromNamesOrGivenWhole) {
    EXPECT_EQ(one("Key-Type: RSA\nName-Real: Joe Tester\nName-Comment: with stupid passphrase\n"
                  "Name-Email: joe@foo.bar\n")
                  .effective_user_id(),
              "Joe Tester (with stupid passphrase) <joe@foo.bar>");
    EXPECT_EQ(one("Key-Type: RSA\nName-Email: joe@foo.bar\n").effective_user_id(), "joe@foo.bar");
    EXPECT_EQ(one("Key-Type: RSA\nUser-Id: Whole <w@x.y>\nName-Real: ignored\n").effective_user_id(), "Whole <w@x.y>");
    EXPECT_EQ(error_of("Key-Type: RSA\n"), "t.param:1: no user ID: give User-Id or Name-Real / Name-Email");
}

TEST(Params, NameEmailAndCommentAreValidated) {
    EXPECT_EQ(error_of(base + "Name-Email: not-a-mail\n"), "t.param:4: invalid Name-Email \"not-a-mail\"");
    EXPECT_EQ(error_of(base + "Name-Email: a b@c.d\n"), "t.param:4: invalid Name-Email \"a b@c.d\"");
    EXPECT_EQ(error_of(base + "Name-Comment: (x)\n"), "t.param:4: invalid Name-Comment: no parentheses allowed");
}

TEST(Params, PassphraseIsKeptAsSecretBytes) {
    KeyBlock b = one(base + "Passphrase:   two words  \n");
    ASSERT_TRUE(b.passphrase);
    EXPECT_EQ(std::string(b.passphrase->begin(), b.passphrase->end()), "two words");
}

TEST(Params, ExpireDateForms) {
    using K = Expiry::Kind;
    EXPECT_EQ(parse_expiry("0"), (Expiry{K::Never, 0}));
    EXPECT_EQ(parse_expiry("none"), (Expiry{K::Never, 0}));
    EXPECT_EQ(parse_expiry("10"), (Expiry{K::Duration, 10u * 86400}));
    EXPECT_EQ(parse_expiry("10d"), (Expiry{K::Duration, 10u * 86400}));
    EXPECT_EQ(parse_expiry("2w"), (Expiry{K::Duration, 14u * 86400}));
    EXPECT_EQ(parse_expiry("3m"), (Expiry{K::Duration, 90u * 86400}));
    EXPECT_EQ(parse_expiry("2Y"), (Expiry{K::Duration, 730u * 86400}));
    EXPECT_EQ(parse_expiry("seconds=3600"), (Expiry{K::Duration, 3600}));
    EXPECT_EQ(parse_expiry("2030-01-01"), (Expiry{K::Absolute, 1893456000}));
    EXPECT_EQ(parse_expiry("20300101T120000"), (Expiry{K::Absolute, 1893499200}));
    EXPECT_EQ(parse_expiry("2030-01-01T12:00:00"), (Expiry{K::Absolute, 1893499200}));
    for (const char* bad : {"1x", "12dd", "2030-02-30", "2030-13-01", "seconds=x", "-5", "d"})
        EXPECT_FALSE(parse_expiry(bad)) << bad;
    EXPECT_EQ(error_of(base + "Expire-Date: tomorrow\n"), "t.param:4: invalid Expire-Date \"tomorrow\"");
}

TEST(Params, ExpirySecondsIsRelativeToCreation) {
    EXPECT_EQ(expiry_seconds(Expiry{}, 1000), 0u);
    EXPECT_EQ(expiry_seconds(Expiry{Expiry::Kind::Duration, 500}, 1000), 500u);
    EXPECT_EQ(expiry_seconds(Expiry{Expiry::Kind::Absolute, 1500}, 1000), 500u);
    EXPECT_FALSE(expiry_seconds(Expiry{Expiry::Kind::Absolute, 1000}, 1000));
    EXPECT_FALSE(expiry_seconds(Expiry{Expiry::Kind::Absolute, 10}, 1000));
}

TEST(Params, CreationDateForms) {
    EXPECT_EQ(parse_creation("seconds=1700000000"), 1700000000u);
    EXPECT_EQ(parse_creation("2026-01-01"), 1767225600u);
    EXPECT_EQ(parse_creation("20260101T000001"), 1767225601u);
    EXPECT_FALSE(parse_creation("yesterday"));
    EXPECT_FALSE(parse_creation("seconds=0"));
    EXPECT_EQ(one(base + "Creation-Date: 2026-01-01\n").creation, 1767225600u);
    EXPECT_EQ(error_of(base + "Creation-Date: 1.1.2026\n"), "t.param:4: invalid Creation-Date \"1.1.2026\"");
}

TEST(Params, PreferencesInSetprefSyntax) {
    auto p = std::get<Preferences>(parse_preferences("AES256 s8, H10 SHA256 ZLIB Z0 no-mdc ks-modify"));
    EXPECT_EQ(p.sym, (std::vector<std::uint8_t>{9, 8}));
    EXPECT_EQ(p.hash, (std::vector<std::uint8_t>{10, 8}));
    EXPECT_EQ(p.zip, (std::vector<std::uint8_t>{2, 0}));
    EXPECT_FALSE(p.mdc);
    EXPECT_TRUE(p.ks_modify);
    EXPECT_EQ(std::get<Preferences>(parse_preferences("default")), default_preferences());
    EXPECT_TRUE(std::get<Preferences>(parse_preferences("none")).sym.empty());
    EXPECT_EQ(std::get<std::string>(parse_preferences("AES256 ROT13")), "invalid item 'ROT13' in preference string");
    EXPECT_EQ(std::get<std::string>(parse_preferences("AES256 S9")),
              "item 'S9' is given more than once in preference string");
    EXPECT_EQ(error_of(base + "Preferences: FOO\n"), "t.param:4: invalid item 'FOO' in preference string");
    EXPECT_EQ(one(base).prefs, default_preferences());
}

TEST(Params, RevokerSyntax) {
    const std::string fpr = "9E968EC36736E326FBD76BF0C2275D29FF01434E";
    KeyBlock b = one(base + "Revoker: 1:" + fpr + " sensitive\n");
    ASSERT_EQ(b.revokers.size(), 1u);
    EXPECT_EQ(b.revokers[0].algo, 1);
    EXPECT_TRUE(b.revokers[0].sensitive);
    EXPECT_EQ(b.revokers[0].fingerprint.size(), 20u);
    EXPECT_EQ(b.revokers[0].fingerprint[0], 0x9E);
    EXPECT_FALSE(one(base + "Revoker: 17:" + fpr + "\n").revokers[0].sensitive);
    const std::string want = " (want algo:fingerprint [sensitive])";
    EXPECT_EQ(error_of(base + "Revoker: " + fpr + "\n"), "t.param:4: invalid Revoker \"" + fpr + "\"" + want);
    EXPECT_EQ(error_of(base + "Revoker: 1:ABCD\n"), "t.param:4: invalid Revoker \"1:ABCD\"" + want);
    EXPECT_EQ(error_of(base + "Revoker: 1:" + fpr + " loud\n"),
              "t.param:4: invalid Revoker \"1:" + fpr + " loud\"" + want);
}

TEST(Params, KeyserverAndHandle) {
    KeyBlock b = one(base + "Keyserver: hkps://keys.example.org\nHandle: my handle\n");
    EXPECT_EQ(b.keyserver, "hkps://keys.example.org");
    EXPECT_EQ(b.handle, "my handle");
}

TEST(Params, EchoIsReturnedInFileOrder) {
    auto items = parse_params("%echo first\n" + base + "%commit\n%echo   second  \n", "t.param");
    ASSERT_EQ(items.size(), 3u);
    ASSERT_TRUE(std::holds_alternative<Message>(items[0]));
    EXPECT_EQ(std::get<Message>(items[0]).text, "first");
    EXPECT_TRUE(std::holds_alternative<KeyBlock>(items[1]));
    EXPECT_EQ(std::get<Message>(items[2]).text, "second");
    EXPECT_EQ(std::get<Message>(items[2]).kind, Message::Kind::Echo);
}

TEST(Params, CommitEndsABlockAndNewKeyTypeCommitsToo) {
    auto b = blocks(parse_params(base + "%commit\n" + base + base, "t.param"));
    ASSERT_EQ(b.size(), 3u);
    EXPECT_EQ(b[0].line, 1u);
    EXPECT_EQ(b[1].line, 5u);
    EXPECT_EQ(b[2].line, 8u);
    for (const KeyBlock& k : b) EXPECT_FALSE(k.error);
}

TEST(Params, CommitWithoutBlockDoesNothing) {
    EXPECT_TRUE(parse_params("%commit\n%commit\n", "t.param").empty());
}

TEST(Params, ParametersBeforeKeyTypeFormABadBlock) {
    auto b = blocks(parse_params("Name-Real: early\n" + base, "t.param"));
    ASSERT_EQ(b.size(), 2u);
    ASSERT_TRUE(b[0].error);
    EXPECT_EQ(*b[0].error, "t.param:1: no Key-Type before these parameters");
    EXPECT_FALSE(b[1].error);
}

TEST(Params, ABadBlockDoesNotSpoilTheNext) {
    auto b = blocks(parse_params("Key-Type: RSA\nKey-Length: x\nHandle: one\n" + base + "Handle: two\n", "t.param"));
    ASSERT_EQ(b.size(), 2u);
    EXPECT_TRUE(b[0].error);
    EXPECT_EQ(b[0].handle, "one");  // the handle after the error is still known for KEY_NOT_CREATED
    EXPECT_FALSE(b[1].error);
    EXPECT_EQ(b[1].handle, "two");
}

TEST(Params, FirstErrorOfABlockWins) {
    EXPECT_EQ(error_of("Key-Type: RSA\nKey-Length: x\nBogus: 1\nName-Real: a\n"), "t.param:2: invalid Key-Length \"x\"");
}

TEST(Params, DryRunAndProtectionFlagsApplyFromTheirLineOn) {
    auto b = blocks(parse_params(base + "%commit\n%dry-run\n%no-protection\n%transient-key\n" + base, "t.param"));
    ASSERT_EQ(b.size(), 2u);
    EXPECT_FALSE(b[0].dry_run);
    EXPECT_FALSE(b[0].no_protection);
    EXPECT_FALSE(b[0].transient_key);
    EXPECT_TRUE(b[1].dry_run);
    EXPECT_TRUE(b[1].no_protection);
    EXPECT_TRUE(b[1].transient_key);
}

TEST(Params, ControlStatementsInsideABlockApplyAtItsCommit) {
    KeyBlock b = one(base + "%no-protection\n%pubring pub.pgp\n%secring sec.pgp\n");
    EXPECT_TRUE(b.no_protection);
    EXPECT_EQ(b.pubring, "pub.pgp");
    EXPECT_EQ(b.secring, "sec.pgp");
}

TEST(Params, PubringAndSecringStayForLaterBlocks) {
    auto b = blocks(parse_params("%pubring a.pub\n" + base + "%commit\n%pubring b.pub\n" + base, "t.param"));
    ASSERT_EQ(b.size(), 2u);
    EXPECT_EQ(b[0].pubring, "a.pub");
    EXPECT_EQ(b[1].pubring, "b.pub");
    EXPECT_TRUE(b[1].secring.empty());
}

TEST(Params, PubringWithoutFileNameIsAnError) {
    EXPECT_EQ(error_of(base + "%pubring\n"), "t.param:4: %pubring needs a file name");
}

TEST(Params, AskPassphraseIsAnObsoleteNotice) {
    for (const char* stmt : {"%ask-passphrase", "%no-ask-passphrase"}) {
        auto items = parse_params(std::string(stmt) + "\n" + base, "t.param");
        auto m = messages(items);
        ASSERT_EQ(m.size(), 1u);
        EXPECT_EQ(m[0].kind, Message::Kind::Notice);
        EXPECT_NE(m[0].text.find("obsolete"), std::string::npos);
        EXPECT_EQ(blocks(items).size(), 1u);
    }
}

TEST(Params, UnknownControlIsSkippedWithNotice) {
    auto m = messages(parse_params("%frobnicate now\n", "t.param"));
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].text, "t.param:1: skipping control '%frobnicate' (now)");
}

TEST(Params, ArbitraryInputNeverThrowsAndEveryBlockIsJudged) {
    // Lines stitched from keywords, values and junk, from a fixed seed (replayable).
    const std::vector<std::string> parts = {"Key-Type:", "Subkey-Type:", "Key-Length:", "Key-Curve:", "%commit",
                                            "%echo", "%pubring", "Name-Real:", "Expire-Date:", "Revoker:",
                                            "Preferences:", " RSA", " ed25519", " 99", " 2030-02-30", " 1:AB",
                                            " 4096", "\t", "#", ":", "\r", "\xff\xfe", std::string(1, '\0'), "\n"};
    std::uint32_t state = 12345;
    for (int round = 0; round < 500; ++round) {
        std::string text;
        for (int i = 0; i < 40; ++i) {
            state = state * 1103515245u + 12345u;
            text += parts[(state >> 16) % parts.size()];
        }
        std::vector<Item> items;
        ASSERT_NO_THROW(items = parse_params(text, "fuzz")) << "round " << round;
        for (const KeyBlock& b : blocks(items))
            if (!b.error) {
                EXPECT_FALSE(b.effective_user_id().empty()) << "round " << round;
            }
    }
}

TEST(Params, EmptyInputHasNoItems) {
    EXPECT_TRUE(parse_params("", "t.param").empty());
    EXPECT_TRUE(parse_params("# only a comment\n\n", "t.param").empty());
}

}  // namespace
}  // namespace pgpkit::keygen
