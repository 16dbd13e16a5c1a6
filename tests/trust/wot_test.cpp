// Web-of-trust validity on a small web made once by gpg 2.2 (tests/data/trust/
// make-small-web.sh); the expected letters are what gpg 2.2.40 listed for it.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "cert/cert.h"
#include "tests/support/env.h"
#include "trust/wot.h"

namespace pgpkit::trust {
namespace {

// 2026-01-01: after every signature of the web, which was made in 2024.
constexpr std::uint32_t kNow = 1767225600;

struct Web {
    std::vector<cert::Cert> certs;
    std::map<std::string, std::size_t> by_name;  ///< "root", "a", ... -> index
    std::vector<std::pair<Bytes, std::uint8_t>> ownertrust;

    Web() {
        certs = cert::read_all_certs(test::read_bytes(test::test_data_dir() + "/trust/small-web.pgp"));
        for (std::size_t i = 0; i < certs.size(); ++i) {
            const Bytes id = certs[i].components.at(0).id_bytes();
            const std::string uid(id.begin(), id.end());
            by_name[uid.substr(0, uid.find(' '))] = i;
        }
        ownertrust = {{fpr("root"), 6}, {fpr("a"), 5}, {fpr("b"), 4}};
    }
    const Bytes& fpr(const std::string& n) const { return certs.at(by_name.at(n)).fingerprint(); }
    WotResult run(const WotOptions& opt = {}) const {
        return compute_validity(certs, ownertrust_from(ownertrust), opt, kNow);
    }
    /** "name:letter" for every key, in name order. */
    std::string letters(const WotResult& r) const {
        std::string s;
        for (const auto& [n, i] : by_name) s += n + ":" + r.keys[i].user_ids.at(0).letter + " ";
        return s;
    }
};

TEST(Wot, SmallWebMatchesGpgDefaults) {
    const Web w;
    ASSERT_EQ(w.certs.size(), 8u);
    const WotResult r = w.run();
    EXPECT_EQ(w.letters(r), "a:f b:f c:m d:- e1:f e2:- root:u t:f ");
    EXPECT_EQ(r.keys[w.by_name.at("root")].letter, 'u');
    EXPECT_EQ(r.keys[w.by_name.at("c")].validity, Validity::Marginal);
    EXPECT_EQ(r.keys[w.by_name.at("c")].user_ids[0].marginal_count, 1u);
    // gpg's log: depth 0: 1 valid, 2 signed; depth 1: 2 valid (2 full); depth 2: 2 valid.
    ASSERT_GE(r.depths.size(), 3u);
    EXPECT_EQ(r.depths[0].valid, 1u);
    EXPECT_EQ(r.depths[0].signed_keys, 2u);
    EXPECT_EQ(r.depths[0].ownertrust[6], 1u);
    EXPECT_EQ(r.depths[1].valid, 2u);
    EXPECT_EQ(r.depths[1].ownertrust[5], 2u);
    EXPECT_EQ(r.depths[2].valid, 2u);
}

TEST(Wot, MinCertLevelOneCountsPersonaCertifications) {
    const Web w;
    WotOptions opt;
    opt.min_cert_level = 1;
    EXPECT_EQ(w.letters(w.run(opt)), "a:f b:f c:m d:f e1:f e2:- root:u t:f ");
}

TEST(Wot, MarginalsNeededOneMakesOneMarginalEnough) {
    const Web w;
    WotOptions opt;
    opt.marginals_needed = 1;
    EXPECT_EQ(w.letters(w.run(opt)).substr(0, 8), "a:f b:f ");
    EXPECT_EQ(w.run(opt).keys[w.by_name.at("c")].user_ids[0].letter, 'f');
}

TEST(Wot, ClassicModelIgnoresTrustSignatures) {
    const Web w;
    WotOptions opt;
    opt.model = WotModel::Classic;
    EXPECT_EQ(w.letters(w.run(opt)), "a:f b:f c:m d:- e1:q e2:q root:u t:f ");
}

TEST(Wot, TrustSignatureRaisesOwnertrustAndCarriesItsScope) {
    const Web w;
    const WotResult r = w.run();
    const KeyValidity& t = r.keys[w.by_name.at("t")];
    EXPECT_EQ(t.min_ownertrust, Validity::Full);
    EXPECT_EQ(t.ownertrust, 0);
    EXPECT_EQ(ownertrust_letter(t), 'f');
    EXPECT_EQ(t.grant.depth, 0);
    EXPECT_EQ(t.grant.amount, 120);
    ASSERT_TRUE(t.grant.regexp.has_value());
    EXPECT_EQ(*t.grant.regexp, "<[^>]+[@.]example\\.org>$");
    // e2 is outside the scope: its certification by t does not exist for the web.
    const UserIdValidity& e2 = r.keys[w.by_name.at("e2")].user_ids[0];
    EXPECT_FALSE(e2.has_record);
    EXPECT_TRUE(e2.counted.empty());
}

TEST(Wot, DepthLimitStopsTheChain) {
    const Web w;
    WotOptions opt;
    opt.max_cert_depth = 1;
    EXPECT_EQ(w.letters(w.run(opt)), "a:f b:- c:- d:- e1:- e2:- root:u t:f ");
    opt.max_cert_depth = 2;
    EXPECT_EQ(w.letters(w.run(opt)), "a:f b:f c:- d:- e1:f e2:- root:u t:f ");
}

TEST(Wot, ExplainWalksToTheUltimateKey) {
    const Web w;
    const WotResult r = w.run();
    const std::size_t c = w.by_name.at("c");
    const auto path = explain(r, c, 0);
    ASSERT_EQ(path.size(), 3u);
    EXPECT_EQ(path[0].cert, c);
    EXPECT_EQ(path[0].by.signer, w.by_name.at("b"));
    EXPECT_EQ(path[0].by.signer_trust, Validity::Marginal);
    EXPECT_EQ(path[1].cert, w.by_name.at("b"));
    EXPECT_EQ(path[1].by.signer, w.by_name.at("a"));
    EXPECT_EQ(path[2].by.signer, w.by_name.at("root"));
    EXPECT_EQ(path[2].by.signer_trust, Validity::Ultimate);
    EXPECT_EQ(path[2].by.depth, 0u);
    // The certification named is the one on c's user ID made by b.
    const auto sigs = w.certs[c].components[0].signatures();
    ASSERT_LT(path[0].by.signature, sigs.size());
    const auto* s = sigs[path[0].by.signature]->get<packet::Signature>();
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->issuer_keyid(), w.certs[w.by_name.at("b")].key().keyid);
    EXPECT_TRUE(explain(r, w.by_name.at("root"), 0).empty());
    EXPECT_TRUE(explain(r, w.by_name.at("d"), 0).empty());
}

TEST(Wot, NoUltimateKeyLeavesEverythingUnknown) {
    Web w;
    w.ownertrust.clear();
    const WotResult r = w.run();
    EXPECT_EQ(w.letters(r), "a:- b:- c:- d:- e1:- e2:- root:- t:- ");
    EXPECT_TRUE(r.depths.empty());
    EXPECT_EQ(r.signatures_checked, 0u);
}

TEST(Wot, TrustedKeyOptionMakesAKeyUltimate) {
    Web w;
    w.ownertrust.erase(w.ownertrust.begin());  // root's
    WotOptions opt;
    opt.trusted_keys.push_back(w.fpr("root"));
    const WotResult r = w.run(opt);
    EXPECT_TRUE(r.keys[w.by_name.at("root")].ultimate);
    EXPECT_EQ(w.letters(r), "a:f b:f c:m d:- e1:f e2:- root:u t:f ");
}

TEST(Wot, AlwaysAndDirectModels) {
    const Web w;
    WotOptions opt;
    opt.model = WotModel::Always;
    EXPECT_EQ(w.letters(w.run(opt)), "a:- b:- c:- d:- e1:- e2:- root:- t:- ");
    opt.model = WotModel::Direct;
    EXPECT_EQ(w.letters(w.run(opt)), "a:f b:m c:- d:- e1:- e2:- root:u t:- ");
}

TEST(Wot, ThreadsDoNotChangeTheResult) {
    const Web w;
    WotOptions one, four;
    four.jobs = 4;
    const WotResult a = w.run(one), b = w.run(four);
    EXPECT_EQ(w.letters(a), w.letters(b));
    EXPECT_EQ(a.signatures_checked, b.signatures_checked);
    EXPECT_GT(a.signatures_checked, 0u);
}

TEST(Wot, NextCheckIsZeroWithoutExpiries) {
    const Web w;
    EXPECT_EQ(w.run().next_check, 0u);
}

TEST(WotRegexp, SanitizeKeepsTheStandardFrameAndEscapesOperators) {
    EXPECT_EQ(sanitize_regexp("<[^>]+[@.]example\\.org>$"), "<[^>]+[@.]example\\.org>$");
    EXPECT_EQ(sanitize_regexp("example.org"), "example.org");
    EXPECT_EQ(sanitize_regexp("a|b(c)*"), "a\\|b\\(c\\)\\*");
    EXPECT_EQ(sanitize_regexp("^x$"), "\\^x\\$");
    EXPECT_EQ(sanitize_regexp("\\("), "\\(");
}

TEST(WotRegexp, MatchesCaseInsensitivelyAnywhere) {
    EXPECT_TRUE(regexp_matches("<[^>]+[@.]example\\.org>$", "Alice <alice@EXAMPLE.org>"));
    EXPECT_TRUE(regexp_matches("<[^>]+[@.]example\\.org>$", "Bob <bob@mail.example.org>"));
    EXPECT_FALSE(regexp_matches("<[^>]+[@.]example\\.org>$", "Eve <eve@example.org.evil>"));
    EXPECT_FALSE(regexp_matches("<[^>]+[@.]example\\.org>$", "Eve <eve@otherexample.org>"));
    EXPECT_TRUE(regexp_matches("example.org", "x <x@exampleXorg.net>"));  // '.' stays an operator
    EXPECT_FALSE(regexp_matches("a|b", "a"));  // '|' is escaped
    EXPECT_TRUE(regexp_matches("a|b", "xa|by"));
}

TEST(WotTru, RecordFlagsAndFields) {
    TrustDbState db;
    db.created = 1700000000;
    db.next_check = 0;
    WotOptions opt;
    EXPECT_EQ(tru_record(db, opt, 1700000100), "tru::1:1700000000:0:3:1:5");
    db.next_check = 1700000050;
    opt.marginals_needed = 2;
    opt.min_cert_level = 1;
    EXPECT_EQ(tru_record(db, opt, 1700000100), "tru:oml:1:1700000000:1700000050:3:1:5");
    opt = {};
    opt.model = WotModel::Always;
    db.next_check = 0;
    EXPECT_EQ(tru_record(db, opt, 1700000100), "tru:t:1:1700000000:0:3:1:5");
    db.model = WotModel::Always;
    EXPECT_EQ(tru_record(db, opt, 1700000100), "tru::3:1700000000:0");
}

TEST(WotNames, LettersAndNames) {
    EXPECT_EQ(validity_letter(Validity::Undefined), 'q');
    EXPECT_EQ(validity_letter(static_cast<Validity>(9)), '?');
    EXPECT_STREQ(validity_name(Validity::Full), "full");
    EXPECT_STREQ(wot_model_name(WotModel::Classic), "classic");
}

}  // namespace
}  // namespace pgpkit::trust
