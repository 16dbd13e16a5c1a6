// Pipemode (GnuPG 1.x doc/DETAILS): operations in a stream, literal '@', protocol errors
// with their offsets, and the stream going on at the next "@<".

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cert/cert.h"
#include "message/pipemode.h"
#include "packet/source.h"
#include "tests/message/keys.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

std::string esc(const Bytes& b) {
    std::string out;
    for (std::uint8_t c : b) {
        out += static_cast<char>(c);
        if (c == '@') out += '@';
    }
    return out;
}

struct PipeRun {
    message::PipemodeResult result;
    std::vector<std::string> status;  ///< keywords only
    std::vector<std::string> errors;
};

class MessagePipemode : public ::testing::Test {
protected:
    std::vector<cert::Cert> certs = cert::read_all_certs(read_bytes(test_data_dir() + "/message/fuzz-key.pgp"));
    std::string sig = esc(read_bytes(test_data_dir() + "/message/fuzz-key-detached.sig"));
    std::string op(const std::string& text) { return "@B" + sig + "@t" + text + "@."; }

    PipeRun run_on(const std::string& input) {
        PipeRun r;
        message::VerifyOptions opt;
        opt.keys = message::lookup_in(certs);
        opt.now = 1767225600u + 86400u;
        opt.status = [&r](const StatusEvent& ev) { r.status.push_back(ev.keyword); };
        message::PipemodeHandlers h;
        h.error = [&r](const Error& e) { r.errors.push_back(e.what()); };
        packet::MemorySource src(as_bytes(input));
        r.result = message::run_pipemode(src, opt, h);
        return r;
    }
};

TEST_F(MessagePipemode, VerifiesEachOperationOfAStream) {
    ASSERT_EQ(certs.size(), 1u);
    const PipeRun r = run_on("@<" + op("fuzz data\n") + op("fuzz data!\n") + op("fuzz data\n") + "@>");
    EXPECT_TRUE(r.errors.empty()) << r.errors.at(0);
    EXPECT_EQ(r.result.operations, 3u);
    EXPECT_EQ(r.result.all_good, 2u);
    ASSERT_GE(r.status.size(), 2u);
    EXPECT_EQ(r.status.front(), "BEGIN_STREAM");
    EXPECT_EQ(r.status.back(), "END_STREAM");
    std::vector<std::string> verdicts;
    for (const std::string& s : r.status)
        if (s == "GOODSIG" || s == "BADSIG") verdicts.push_back(s);
    EXPECT_EQ(verdicts, (std::vector<std::string>{"GOODSIG", "BADSIG", "GOODSIG"}));
}

TEST_F(MessagePipemode, DoubledAtIsALiteralAtAndTheCliExitsByTheVerdicts) {
    const MessageKeys& k = message_keys();
    TempDir dir;
    write_bytes(dir.file("data"), as_bytes(std::string("mail a@b.example\n")));
    const RunResult s = run(pgpkit_cmd("sign --home " + shell_quote(k.home) + " -b -u " + k.alice_fpr + " -o " +
                                       shell_quote(dir.file("sig")) + " " + shell_quote(dir.file("data"))));
    ASSERT_EQ(s.exit_code, 0) << s.err;
    const std::string alice = esc(read_bytes(dir.file("sig")));
    const std::string verify = pgpkit_cmd("verify --pipemode --status-fd 1 --home " + shell_quote(k.home));
    RunResult r = run(verify, "@<@B" + alice + "@tmail a@@b.example\n@.@>");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("[GNUPG:] GOODSIG "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("[GNUPG:] END_STREAM"), std::string::npos) << r.out;
    r = run(verify, "@<@B" + alice + "@tmail a@b.example\n@.@>");
    EXPECT_EQ(r.exit_code, 2) << "\"@b\" is an unknown control";
    EXPECT_EQ(non_empty_lines(r.err).size(), 1u) << r.err;
    r = run(verify, "@<@B" + alice + "@tmail a@@b.example!\n@.@>");
    EXPECT_EQ(r.exit_code, 1) << r.err;
}

TEST_F(MessagePipemode, ProtocolErrorsNameTheOffsetAndTheNextStreamGoesOn) {
    const std::string first = "@<" + op("fuzz data\n") + "@>";
    const PipeRun r = run_on(first + "xy" + "@<" + op("fuzz data\n") + "@>" + "@<@Q" + "@<" + op("fuzz data\n") + "@>");
    ASSERT_EQ(r.errors.size(), 2u);
    EXPECT_NE(r.errors[0].find("data outside a stream"), std::string::npos) << r.errors[0];
    EXPECT_NE(r.errors[0].find("offset " + std::to_string(first.size())), std::string::npos) << r.errors[0];
    EXPECT_NE(r.errors[1].find("unknown control \"@Q\""), std::string::npos) << r.errors[1];
    EXPECT_EQ(r.result.operations, 3u);
    EXPECT_EQ(r.result.all_good, 3u);
    EXPECT_EQ(r.result.errors, 2u);
}

TEST_F(MessagePipemode, TruncatedStreamAndBadSignatureAreErrors) {
    PipeRun r = run_on("@<" + op("fuzz data\n"));
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_NE(r.errors[0].find("input ends inside a stream"), std::string::npos) << r.errors[0];
    r = run_on("@<@Bnot a signature@tfuzz data\n@." + op("fuzz data\n") + "@>");
    EXPECT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.result.all_good, 1u) << "the operation after a bad signature still runs";
    r = run_on("@<@B" + sig + "@tfuzz");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_NE(r.errors[0].find("inside signed text"), std::string::npos) << r.errors[0];
}

}  // namespace
}  // namespace pgpkit::test
