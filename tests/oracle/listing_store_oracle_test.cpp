// list-keys and list-secret-keys over the store, and over a gpg keybox, against gpg 2.2.
//
// The same certificates go into a pgpkit store (through the library: StoreWriter::put and
// put_secret) and into a throwaway gpg home (gpg --import), in the same order: the public
// certificates of tests/data/cert, then keys gpg makes in the test (ed25519 + cv25519,
// rsa2048 + rsa2048, nistp256 + nistp256) with a certification of one by another, and
// their secret parts three ways: whole (sec, ssb), as gpg --export-secret-subkeys gives it
// (a stub primary: sec#) and the primary alone (a subkey without a secret part: ssb#);
// last a divert-to-card stub from shared/testdata, which gpg 2.2 imports as sec# too (the
// agent learns of a card key only from the card).
// The colon listings are compared record by record, tru left out.

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cert/cert.h"
#include "keyring/store.h"
#include "tests/oracle/listing_compare.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

std::string q(const std::string& s) { return shell_quote(s); }

std::string must(const std::string& cmd) {
    const RunResult r = run(cmd);
    if (r.exit_code != 0) throw std::runtime_error(cmd + " failed (" + std::to_string(r.exit_code) + "): " + r.err);
    return r.out;
}

/** The fingerprint of the first key a gpg listing shows. */
std::string first_fpr(const std::string& colons) {
    for (const auto& line : split(colons, '\n'))
        if (line.rfind("fpr:", 0) == 0) return split(line, ':').at(9);
    throw std::runtime_error("no fpr record in: " + colons);
}

/** The two homes with the same certificates, made once for the whole suite. */
struct Homes {
    TempDir dir;
    std::string maker = dir.file("maker");  // where gpg makes the keys
    std::string gnupg = dir.file("gnupg");  // what gpg lists
    std::string store = dir.file("pgpkit"); // what pgpkit lists
    std::vector<std::string> fprs;          // of the keys made here: alice, bob, carol

    std::string gpg(const std::string& home) const {
        return "gpg --homedir " + q(home) + " --batch --no-tty --pinentry-mode loopback --passphrase ''";
    }

    Homes() {
        must("mkdir -m 700 " + q(maker) + " " + q(gnupg) + " " + q(store));
        make_keys();
        Bytes data;
        for (const char* f : {"ed25519-sha512.pgp", "nistp256-sha256.pgp", "rsa2048-sha1.pgp", "dsa2048-sha256.pgp",
                              "brainpoolP256r1-sha512.pgp"}) {
            const Bytes b = read_bytes(test_data_dir() + "/cert/" + f);
            data.insert(data.end(), b.begin(), b.end());
        }
        write_bytes(dir.file("data.pgp"), data);
        must(gpg(maker) + " --export -o " + q(dir.file("made.pgp")) + " " + fprs[0] + " " + fprs[1] + " " + fprs[2]);
        must(gpg(maker) + " --export-secret-keys -o " + q(dir.file("alice.sec")) + " " + fprs[0]);
        must(gpg(maker) + " --export-secret-subkeys -o " + q(dir.file("bob.stub")) + " " + fprs[1]);
        must(gpg(maker) + " --export-secret-keys -o " + q(dir.file("carol.sec")) + " " + fprs[2] + "!");
        std::vector<std::string> order;
        for (const char* f : {"data.pgp", "made.pgp", "alice.sec", "bob.stub", "carol.sec"})
            order.push_back(dir.file(f));
        order.push_back(shared_testdata() + "/rnp/test_key_edge_cases/alice-s2k-101-2-card.pgp");
        for (const auto& f : order) must(gpg(gnupg) + " --import " + q(f));
        must(gpg(gnupg) + " --check-trustdb");
        fill_store(order);
    }
    ~Homes() {
        for (const auto* h : {&maker, &gnupg}) run("gpgconf --homedir " + q(*h) + " --kill all");
    }
    Homes(const Homes&) = delete;
    Homes& operator=(const Homes&) = delete;

    void make_keys() {
        const std::string g = gpg(maker);
        const char* keys[][3] = {{"Alice <alice@oracle.test>", "ed25519", "cv25519"},
                                 {"Bob <bob@oracle.test>", "rsa2048", "rsa2048"},
                                 {"Carol <carol@oracle.test>", "nistp256", "nistp256"}};
        for (const auto& k : keys) {
            const std::string email = split(split(k[0], '<').at(1), '>').at(0);
            must(g + " --quick-gen-key " + q(k[0]) + " " + k[1] + " cert,sign never");
            fprs.push_back(first_fpr(must(g + " --with-colons --list-keys " + q("<" + email + ">"))));
            must(g + " --quick-add-key " + fprs.back() + " " + k[2] + " encr never");
        }
        // Alice certifies Bob: a third-party signature whose issuer the listings name, with
        // a notation whose value needs spk escaping.
        must(g + " -u " + fprs[0] + " --cert-notation " + q("note@oracle.test=50%: yes") + " --quick-sign-key " +
             fprs[1]);
    }

    /** The same files into the store: certificates with put, secret keys with put_secret. */
    void fill_store(const std::vector<std::string>& order) const {
        keyring::Store s(keyring::Store::db_path_in(store));
        keyring::StoreWriter w(s);
        for (const auto& f : order)
            for (const cert::Cert& c : cert::read_all_certs(read_bytes(f))) {
                if (!c.secret()) {
                    w.put(c);
                    continue;
                }
                if (!s.get(c.fingerprint())) w.put(cert::public_part(c));
                w.put_secret(c);
            }
        w.commit();
    }
};

Homes* homes = nullptr;
std::string setup_error;

class ListingStoreOracle : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (homes || !setup_error.empty()) return;
        try {
            homes = new Homes();
        } catch (const std::exception& e) {
            setup_error = std::string("gpg is a peer of the tests (scripts/bootstrap.sh): ") + e.what();
        }
    }
    static void TearDownTestSuite() {
        delete homes;
        homes = nullptr;
    }
    void SetUp() override { ASSERT_NE(homes, nullptr) << setup_error; }

    static std::string gpg_list(const std::string& what) {
        return must(homes->gpg(homes->gnupg) + " --with-colons --fixed-list-mode " + what);
    }
    static RunResult ours(const std::string& what) {
        return run(pgpkit_bin() + " " + what + " --home " + q(homes->store));
    }
};

TEST_F(ListingStoreOracle, StoreListKeysEqualsGpg) {
    for (const std::string opts : {"", " --with-sig-list", " --with-sig-check",
                                   " --with-fingerprint --with-fingerprint", " --with-keygrip", " --with-key-data",
                                   " --with-sig-list --list-options show-sig-subpackets"}) {
        const std::string g = gpg_list(opts + " --list-keys");
        const RunResult p = ours("list-keys --with-colons" + opts);
        ASSERT_EQ(p.exit_code, 0) << p.err;
        EXPECT_EQ(listing::record_diff(g, p.out), "") << "options:" << opts;
        EXPECT_GE(listing::records(p.out).size(), 30u) << "the store lists every certificate";
    }
}

TEST_F(ListingStoreOracle, StoreListSecretKeysEqualsGpg) {
    const std::string g = gpg_list("--list-secret-keys");
    const RunResult p = ours("list-secret-keys --with-colons");
    ASSERT_EQ(p.exit_code, 0) << p.err;
    EXPECT_EQ(listing::record_diff(g, p.out), "");
    const std::string opts = " --with-sig-check --list-options show-sig-subpackets=20";
    const RunResult n = ours("list-secret-keys --with-colons" + opts);
    ASSERT_EQ(n.exit_code, 0) << n.err;
    EXPECT_EQ(listing::record_diff(gpg_list(opts + " --list-secret-keys"), n.out), "");
    // Field 15 of each sec/ssb record: whole, stub primary, subkey without secret part,
    // card stub primary with two protected subkeys.
    std::string flags;
    for (const auto& r : listing::records(p.out))
        if (r.rfind("sec:", 0) == 0 || r.rfind("ssb:", 0) == 0) flags += split(r, ':').at(14) + " ";
    EXPECT_EQ(flags, "+ + # + + # # + + ");
}

TEST_F(ListingStoreOracle, SecretHumanListingMarksStubsAsGpg) {
    const RunResult g = run(homes->gpg(homes->gnupg) + " --list-secret-keys");
    ASSERT_EQ(g.exit_code, 0) << g.err;
    const RunResult p = ours("list-secret-keys");
    ASSERT_EQ(p.exit_code, 0) << p.err;
    // The first two lines name the keybox and the store: different files.
    auto body = [](const std::string& s) { return s.substr(s.find('\n', s.find('\n') + 1) + 1); };
    EXPECT_EQ(body(p.out), body(g.out));
    EXPECT_NE(p.out.find("\nsec#  rsa2048 "), std::string::npos) << p.out;
    EXPECT_NE(p.out.find("\nssb#  nistp256 "), std::string::npos) << p.out;
    EXPECT_NE(p.out.find("\nsec#  ed25519 2019-12-26 [SC]\n"), std::string::npos) << p.out;
}

TEST_F(ListingStoreOracle, PatternsFindWhatGpgFinds) {
    const std::string bob = homes->fprs[1], carol_sub_id = "<carol@oracle.test>";
    for (const std::string& pat : {std::string("<bob@oracle.test>"), bob.substr(24), std::string("Carol"),
                                   std::string("=Alice <alice@oracle.test>"), std::string("@oracle.test")}) {
        // Bob's certification by Alice is named with Alice's user ID, found through the index.
        const std::string g = gpg_list("--with-sig-list --list-keys " + q(pat));
        const RunResult p = ours("list-keys --with-colons --with-sig-list " + q(pat));
        ASSERT_EQ(p.exit_code, 0) << p.err;
        EXPECT_EQ(listing::record_diff(g, p.out), "") << "pattern " << pat;
    }
    const std::string g = gpg_list("--list-secret-keys " + q(carol_sub_id));
    const RunResult p = ours("list-secret-keys --with-colons " + q(carol_sub_id));
    ASSERT_EQ(p.exit_code, 0) << p.err;
    EXPECT_EQ(listing::record_diff(g, p.out), "");
}

TEST_F(ListingStoreOracle, UnknownPatternIsAnErrorAsInGpg) {
    const RunResult g = run(homes->gpg(homes->gnupg) + " --list-keys nobody@nowhere.test");
    const RunResult p = ours("list-keys nobody@nowhere.test");
    EXPECT_EQ(g.exit_code, 2) << g.err;
    EXPECT_EQ(p.exit_code, g.exit_code) << p.err;
    EXPECT_EQ(p.out, "");
}

TEST_F(ListingStoreOracle, KeyboxListKeysEqualsGpg) {
    for (const std::string opts :
         {"", " --with-sig-list", " --with-sig-check", " --with-fingerprint --with-fingerprint"}) {
        const std::string g = gpg_list(opts + " --list-keys");
        const RunResult p = run(pgpkit_bin() + " list-keys --with-colons" + opts + " --keyring " +
                                q(homes->gnupg + "/pubring.kbx"));
        ASSERT_EQ(p.exit_code, 0) << p.err;
        EXPECT_EQ(listing::record_diff(g, p.out), "") << "options:" << opts;
    }
}

TEST_F(ListingStoreOracle, KeyboxHasNoSecretKeys) {
    // gpg keeps secret parts in the agent; a keybox lists none.
    const RunResult p = run(pgpkit_bin() + " list-secret-keys --with-colons --keyring " +
                            q(homes->gnupg + "/pubring.kbx"));
    ASSERT_EQ(p.exit_code, 0) << p.err;
    EXPECT_EQ(p.out, "");
}

TEST_F(ListingStoreOracle, CheckSigsLooksUpIssuersInAKeybox) {
    // Bob's certificate alone: Alice's certification has no issuer key; with gpg's keybox
    // as --keyring it is checked good and named, as gpg --check-sigs does.
    const std::string bob = homes->dir.file("bob.pgp");
    must(homes->gpg(homes->gnupg) + " --export -o " + q(bob) + " " + homes->fprs[1]);
    const std::string alice_kid = homes->fprs[0].substr(24);
    auto line_of = [&](const std::string& out) {
        for (const auto& l : split(out, '\n'))
            if (l.find(" " + alice_kid + " ") != std::string::npos) return l;
        return std::string("(no line with ") + alice_kid + ")";
    };
    const RunResult alone = run(pgpkit_bin() + " check-sigs " + q(bob));
    EXPECT_EQ(line_of(alone.out).substr(0, 4), "sig?") << alone.out;
    const RunResult with =
        run(pgpkit_bin() + " check-sigs --keyring " + q(homes->gnupg + "/pubring.kbx") + " " + q(bob));
    EXPECT_EQ(with.exit_code, 0) << with.err;
    const std::string l = line_of(with.out);
    EXPECT_EQ(l.substr(0, 4), "sig!") << with.out;
    EXPECT_EQ(l.substr(l.size() - 27), "  Alice <alice@oracle.test>") << with.out;
    const std::string g = gpg_list("--check-sigs " + homes->fprs[1]);
    EXPECT_NE(g.find("sig:!::22:" + alice_kid + ":"), std::string::npos) << g;
}

}  // namespace
}  // namespace pgpkit::test
