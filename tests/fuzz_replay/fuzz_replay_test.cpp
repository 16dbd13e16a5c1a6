// Replays every input the fuzzers found under tests/data/fuzz/<target>/ through the same
// checks (tests/fuzz/targets.h), under the sanitizers of the build. A target without
// findings has a directory holding only README.md: its test runs and passes.

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/fuzz/decrypt_targets.h"
#include "tests/fuzz/keyring_targets.h"
#include "tests/fuzz/import_targets.h"
#include "tests/fuzz/hkp_query_targets.h"
#include "tests/fuzz/keyserver_targets.h"
#include "tests/fuzz/message_targets.h"
#include "tests/fuzz/targets.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

/** Runs every file (but README.md) of tests/data/<area>/<target>/ through check. */
std::size_t replay_dir(const std::string& area, const std::string& target, void (*check)(ByteView)) {
    const std::filesystem::path dir = test_data_dir() + "/" + area + "/" + target;
    EXPECT_TRUE(std::filesystem::is_directory(dir)) << dir;
    if (!std::filesystem::is_directory(dir)) return 0;
    std::size_t n = 0;
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
        if (!f.is_regular_file() || f.path().filename() == "README.md") continue;
        SCOPED_TRACE(f.path().string());
        Bytes data = read_bytes(f.path());
        check(data);
        ++n;
    }
    return n;
}

std::size_t replay(const std::string& target, void (*check)(ByteView)) {
    return replay_dir("fuzz", target, check);
}

/** The kept corpus of a target (scripts/fuzz.sh FUZZ_KEEP=1): the inputs that reached
    coverage the seeds do not; each must still pass the target's checks. */
std::size_t replay_corpus(const std::string& target, void (*check)(ByteView)) {
    return replay_dir("fuzz-corpus", target, check);
}

TEST(FuzzReplay, ParseFindingsStayFixed) { EXPECT_GE(replay("fuzz_parse", fuzz::parse_one), 1u); }
TEST(FuzzReplay, DumpFindingsStayFixed) { replay("fuzz_dump", fuzz::dump_one); }
TEST(FuzzReplay, DearmorFindingsStayFixed) { replay("fuzz_dearmor", fuzz::dearmor_one); }
TEST(FuzzReplay, DecompressFindingsStayFixed) { replay("fuzz_decompress", fuzz::decompress_one); }
TEST(FuzzReplay, KeygenParamsFindingsStayFixed) {
    replay("fuzz_keygen_params", fuzz::keygen_params_one);
}
TEST(FuzzReplay, WritebackFindingsStayFixed) { replay("fuzz_writeback", fuzz::writeback_one); }
TEST(FuzzReplay, CertFindingsStayFixed) { replay("fuzz_cert", fuzz::cert_one); }
TEST(FuzzReplay, KeySpecFindingsStayFixed) { replay("fuzz_key_spec", fuzz::key_spec_one); }
TEST(FuzzReplay, HkpQueryFindingsStayFixed) { replay("fuzz_hkp_query", fuzz::hkp_query_one); }
TEST(FuzzReplay, KeyboxFindingsStayFixed) { replay("fuzz_keybox", fuzz::keybox_one); }
TEST(FuzzReplay, DecryptFindingsStayFixed) {
    replay("fuzz_decrypt", [](ByteView in) { fuzz::fuzz_decrypt_one(in.data(), in.size()); });
}
TEST(FuzzReplay, ImportFindingsStayFixed) { replay("fuzz_import", fuzz::import_one); }
TEST(FuzzReplay, MessageFindingsStayFixed) { replay("fuzz_message", fuzz::message_one); }
TEST(FuzzReplay, MessageSeedsVerifyAgainstTheFixedKey) {
    // tests/data/message/fuzz-key-*: the seeds of fuzz_message, each a good signature.
    const std::vector<std::string> inline_forms = {"inline.pgp", "inline.asc", "cleartext.asc"};
    std::uint64_t out = 0;
    const message::VerifyOptions opt = fuzz::message_options(out);
    for (const std::string& name : inline_forms) {
        const Bytes b = read_bytes(test_data_dir() + "/message/fuzz-key-" + name);
        packet::MemorySource src(b);
        EXPECT_TRUE(message::verify_message(src, opt).all_good()) << name;
        fuzz::message_one(b);
    }
    for (const std::string name : {"detached.sig", "text-detached.sig"}) {
        const Bytes b = read_bytes(test_data_dir() + "/message/fuzz-key-" + name);
        packet::MemorySource sig(b);
        packet::MemorySource data(fuzz::message_fixed_data());
        EXPECT_TRUE(message::verify_detached(sig, data, opt).all_good()) << name;
        fuzz::message_one(b);
    }
}
TEST(FuzzReplay, MrIndexFindingsStayFixed) { replay("fuzz_mr_index", fuzz::mr_index_one); }
TEST(FuzzReplay, LegacyFindingsStayFixed) { replay("fuzz_legacy", fuzz::legacy_one); }
TEST(FuzzReplay, VksFindingsStayFixed) { replay("fuzz_vks", fuzz::vks_one); }
TEST(FuzzReplay, MrIndexChecksHoldOnSamples) {
    // tests/data/keyserver/*.mr: the seeds of fuzz_mr_index.
    std::size_t n = 0;
    for (const auto& f : std::filesystem::directory_iterator(test_data_dir() + "/keyserver")) {
        if (f.path().extension() != ".mr") continue;
        SCOPED_TRACE(f.path().string());
        fuzz::mr_index_one(read_bytes(f.path()));
        ++n;
    }
    EXPECT_GE(n, 3u);
}
// The cert corpus reaches the import code too (no corpus of its own is kept yet).
TEST(FuzzCorpusReplay, ImportOnCertCorpus) { EXPECT_GE(replay_corpus("fuzz_cert", fuzz::import_one), 1u); }
TEST(FuzzReplay, KeyboxChecksHoldOnGpgKeyboxes) {
    // tests/data/keyring/*.kbx, written by gpg: the seeds of fuzz_keybox.
    std::size_t n = 0;
    for (const auto& f : std::filesystem::directory_iterator(test_data_dir() + "/keyring")) {
        if (f.path().extension() != ".kbx") continue;
        SCOPED_TRACE(f.path().string());
        const Bytes data = read_bytes(f.path());
        ASSERT_TRUE(keyring::is_keybox(data));
        ASSERT_GE(keyring::read_keybox(data).size(), 2u);
        fuzz::keybox_one(data);
        ++n;
    }
    EXPECT_GE(n, 2u);
}
TEST(FuzzReplay, CertOnEveryParseFinding) {
    // Inputs that once broke the packet layer go through certificate assembly too.
    EXPECT_GE(replay("fuzz_parse", fuzz::cert_one), 1u);
}

TEST(FuzzReplay, ParseFindingsAlsoWriteBack) {
    // The parse findings predate fuzz_writeback, which now holds the round-trip check.
    replay("fuzz_parse", fuzz::writeback_one);
}

TEST(FuzzCorpusReplay, Parse) { EXPECT_GE(replay_corpus("fuzz_parse", fuzz::parse_one), 1u); }
TEST(FuzzCorpusReplay, Message) { EXPECT_GE(replay_corpus("fuzz_message", fuzz::message_one), 1u); }
TEST(FuzzCorpusReplay, Dump) { EXPECT_GE(replay_corpus("fuzz_dump", fuzz::dump_one), 1u); }
TEST(FuzzCorpusReplay, Dearmor) { EXPECT_GE(replay_corpus("fuzz_dearmor", fuzz::dearmor_one), 1u); }
TEST(FuzzCorpusReplay, Decompress) {
    EXPECT_GE(replay_corpus("fuzz_decompress", fuzz::decompress_one), 1u);
}
TEST(FuzzCorpusReplay, KeygenParams) {
    EXPECT_GE(replay_corpus("fuzz_keygen_params", fuzz::keygen_params_one), 1u);
}
TEST(FuzzCorpusReplay, Cert) { EXPECT_GE(replay_corpus("fuzz_cert", fuzz::cert_one), 1u); }
TEST(FuzzCorpusReplay, CertOnParseAndWritebackCorpora) {
    // The packet targets' corpora are hostile input for certificate assembly too.
    EXPECT_GE(replay_corpus("fuzz_parse", fuzz::cert_one), 1u);
    EXPECT_GE(replay_corpus("fuzz_writeback", fuzz::cert_one), 1u);
}
TEST(FuzzCorpusReplay, KeySpec) { EXPECT_GE(replay_corpus("fuzz_key_spec", fuzz::key_spec_one), 1u); }
TEST(FuzzCorpusReplay, Keybox) { EXPECT_GE(replay_corpus("fuzz_keybox", fuzz::keybox_one), 1u); }
TEST(FuzzCorpusReplay, Writeback) {
    EXPECT_GE(replay_corpus("fuzz_writeback", fuzz::writeback_one), 1u);
}

TEST(Regression, V5PublicKeyOctetsAfterMaterialWriteBack) {
    // Found by fuzz_parse: octets after a v5 public key's declared material were dropped.
    Bytes in{0xC6, 0x0E, 5, 0, 0, 0, 1, 22, 0, 0, 0, 2, 1, 0xAB, 0xCD, 0xEF};
    auto packets = packet::parse_lossless(in);
    ASSERT_EQ(packets.size(), 1u);
    EXPECT_EQ(packet::write_packets(packets), in);
}

}  // namespace
}  // namespace pgpkit::test
