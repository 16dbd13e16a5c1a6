// pgpkit keyserver search/recv against Debian's SKS 1.1.6 on loopback (scripts/sks.sh, 14
// keys of tests/data/cert), side by side with gpg --search-keys/--recv-keys through
// dirmngr on the same server. SKS is started once for the suite and stopped at its end.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

bool port_free(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

std::string sks_script() { return test_data_dir() + "/../../scripts/sks.sh"; }

class SksOracle : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        work = new TempDir();
        std::string ring;
        for (const auto& f : std::filesystem::directory_iterator(test_data_dir() + "/cert")) {
            if (f.path().extension() != ".pgp") continue;
            const Bytes b = read_bytes(f.path());
            ring.append(b.begin(), b.end());
            ++keys;
        }
        write_bytes(work->file("ring.pgp"), ByteView(reinterpret_cast<const std::uint8_t*>(ring.data()), ring.size()));
        // SKS listens on PORT (HKP) and PORT-1 (recon); pick a free pair.
        for (port = 20000 + static_cast<int>(::getpid() % 20000); !(port_free(port) && port_free(port - 1)); port += 2) {
        }
        const auto r = run("bash " + shell_quote(sks_script()) + " start " + shell_quote(work->file("ring.pgp")) + " " +
                           shell_quote(work->file("sks")) + " " + std::to_string(port));
        started = r.exit_code == 0;
        start_log = r.err;
    }
    static void TearDownTestSuite() {
        run("bash " + shell_quote(sks_script()) + " stop " + shell_quote(work->file("sks")));
        delete work;
        work = nullptr;
    }
    void SetUp() override {
        ASSERT_TRUE(started) << "Debian's sks is a peer of the tests (scripts/bootstrap.sh): " << start_log;
    }

    static std::string url() { return "hkp://127.0.0.1:" + std::to_string(port); }

    /** A throwaway GNUPGHOME whose dirmngr uses the SKS of the suite. */
    struct GpgHome {
        TempDir dir;
        GpgHome() {
            const std::string conf = "keyserver " + url() + "\n";
            write_bytes(dir.file("dirmngr.conf"), ByteView(reinterpret_cast<const std::uint8_t*>(conf.data()), conf.size()));
        }
        ~GpgHome() { run("gpgconf --homedir " + shell_quote(dir.path()) + " --kill dirmngr"); }
        RunResult gpg(const std::string& args) const {
            return run("gpg --homedir " + shell_quote(dir.path()) + " --batch --no-tty " + args);
        }
    };

    static std::string pgpkit(const std::string& home, const std::string& args) {
        return pgpkit_bin() + " " + args + " --home " + shell_quote(home) + " --keyserver " + url();
    }

    static std::set<std::string> matches(const std::string& text, const std::string& re) {
        std::set<std::string> out;
        const std::regex r(re);
        for (auto it = std::sregex_iterator(text.begin(), text.end(), r); it != std::sregex_iterator(); ++it)
            out.insert((*it)[1]);
        return out;
    }

    static inline TempDir* work = nullptr;
    static inline int port = 0;
    static inline bool started = false;
    static inline std::string start_log;
    static inline int keys = 0;
};

TEST_F(SksOracle, SearchFindsWhatGpgFinds) {
    GpgHome g;
    TempDir home;
    // gpg --batch lists one page, then exits 2 as it cannot ask which to import.
    const auto theirs = g.gpg("--search-keys example.org");
    ASSERT_TRUE(theirs.exit_code == 0 || theirs.err.find("batchmode") != std::string::npos) << theirs.err;
    const auto ours = run(pgpkit(home.path(), "keyserver search example.org"));
    ASSERT_EQ(ours.exit_code, 0) << ours.err;
    const auto gpg_ids = matches(theirs.out + theirs.err, "key ([0-9A-F]{16}),");
    const auto our_ids = matches(ours.out, "key ([0-9A-F]{16}),");
    EXPECT_EQ(static_cast<int>(our_ids.size()), keys);
    EXPECT_GE(gpg_ids.size(), 5u);
    EXPECT_TRUE(std::includes(our_ids.begin(), our_ids.end(), gpg_ids.begin(), gpg_ids.end()));
    // A search with fewer results than a page: the same keys and listing lines as gpg's
    // (pgpkit adds a fingerprint line).
    const auto few_theirs = g.gpg("--search-keys sha256");
    const auto few_ours = run(pgpkit(home.path(), "keyserver search sha256"));
    ASSERT_EQ(few_ours.exit_code, 0) << few_ours.err;
    const auto gpg_lines = matches(few_theirs.out + few_theirs.err, "\n\t  ([^\n]+)");
    const auto our_lines = matches(few_ours.out, "\n\t  ([0-9][^\n]+)");
    EXPECT_EQ(gpg_lines.size(), 2u) << few_theirs.out << few_theirs.err;
    EXPECT_EQ(our_lines, gpg_lines);
}

TEST_F(SksOracle, SearchByAddressIsExactAndNoMatchIsExitOne) {
    TempDir home;
    const auto one = run(pgpkit(home.path(), "keyserver search --json ed25519@example.org"));
    ASSERT_EQ(one.exit_code, 0) << one.err;
    EXPECT_EQ(matches(one.out, "\"uid\": \"([^\"]+)\"").size(), 1u) << one.out;
    const auto none = run(pgpkit(home.path(), "keyserver search nobody-here@example.net"));
    EXPECT_EQ(none.exit_code, 1) << none.err;
    EXPECT_NE(none.err.find("no keys found"), std::string::npos) << none.err;
}

TEST_F(SksOracle, RecvImportsWhatGpgImports) {
    GpgHome g;
    TempDir home;
    const std::string ids = "45F7038ACD51FA9AD01BFF5A71290C550806E030 0x21BE2079";
    const auto theirs = g.gpg("--recv-keys " + ids);
    ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
    const auto ours = run(pgpkit(home.path(), "keyserver recv " + ids));
    ASSERT_EQ(ours.exit_code, 0) << ours.err;
    const auto gpg_fprs = matches(g.gpg("--with-colons --list-keys").out, "\nfpr:::::::::([0-9A-F]{40}):");
    const auto our_fprs = matches(run(pgpkit_bin() + " list-keys --with-colons --home " + shell_quote(home.path())).out,
                                  "\nfpr:::::::::([0-9A-F]{40}):");
    EXPECT_EQ(gpg_fprs.size(), 2u);
    EXPECT_EQ(our_fprs, gpg_fprs);
    const auto again = run(pgpkit(home.path(), "keyserver refresh"));
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(matches(again.out, ": (unchanged)").size(), 1u) << again.out;
}

TEST_F(SksOracle, MissingKeyIsNotFoundForBoth) {
    GpgHome g;
    TempDir home;
    const std::string id = "0x0123456789ABCDEF0123456789ABCDEF01234567";
    EXPECT_NE(g.gpg("--recv-keys " + id).exit_code, 0);
    const auto ours = run(pgpkit(home.path(), "keyserver recv " + id));
    EXPECT_EQ(ours.exit_code, 1);
    EXPECT_NE(ours.out.find("not on server"), std::string::npos) << ours.out;
}

TEST_F(SksOracle, TestSaysKeyserverEmptyAnswer) {
    TempDir home;
    const auto r = run(pgpkit_bin() + " keyserver test " + url() + " --home " + shell_quote(home.path()));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("keyserver, empty answer; protocols: hkp;"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace pgpkit::test
