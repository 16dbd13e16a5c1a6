// End-to-end tests of `pgpkit check-sigs` through the built executable: verdicts, exit
// codes, JSON, --keyring, --jobs and bad input.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

#include "cert/cert.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

std::string pgpkit(const std::string& args) { return shell_quote(pgpkit_bin()) + " " + args; }

std::string alice() { return test_data_dir() + "/examples/alice.pub.asc"; }

Bytes alice_binary() {
    RunResult r = run(pgpkit("dearmor " + shell_quote(alice())));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return Bytes(r.out.begin(), r.out.end());
}

/** Markers of every signature in a --json listing, in order. */
std::string markers(const nlohmann::json& certs) {
    std::string m;
    auto add = [&m](const nlohmann::json& sigs) {
        for (const auto& s : sigs) m += s["marker"].get<std::string>();
    };
    for (const auto& c : certs) {
        add(c["signatures"]);
        for (const auto& u : c["user_ids"]) add(u["signatures"]);
        for (const auto& s : c["subkeys"]) add(s["signatures"]);
    }
    return m;
}

TEST(CheckSigsCli, GoodCertificateListsGpgStyleAndExitsZero) {
    RunResult r = run(pgpkit("check-sigs " + shell_quote(alice())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("pub   ed25519 2026-11-22 [SC]\n      632E0A30D17E8314AB0960C71C03E9D63742E956\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("uid           [ unknown] Alice Example <alice@example.org>\n"
                         "sig!3        1C03E9D63742E956 2026-11-22  Alice Example <alice@example.org>\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("sub   cv25519 2026-11-22 [E]\n"), std::string::npos) << r.out;
    EXPECT_EQ(r.err, "pgpkit: 2 good signatures\n");
}

TEST(CheckSigsCli, TamperedSignatureIsBadAndExitsOne) {
    Bytes data = alice_binary();
    auto certs = cert::read_all_certs(data);
    ASSERT_EQ(certs.size(), 1u);
    // Flip the last octet of the user ID's self-signature: the MPI s no longer verifies.
    const packet::Packet& sig = certs[0].components[0].tail.at(0);
    const std::size_t last = sig.offset + sig.header.header_len + sig.header.length - 1;
    data.at(last) ^= 0x01;
    TempDir tmp;
    write_bytes(tmp.file("bad.pgp"), data);
    RunResult r = run(pgpkit("check-sigs " + shell_quote(tmp.file("bad.pgp"))));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.out.find("sig-3        1C03E9D63742E956"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("1 bad signature"), std::string::npos) << r.err;
    RunResult j = run(pgpkit("check-sigs --json " + shell_quote(tmp.file("bad.pgp"))));
    EXPECT_EQ(j.exit_code, 1);
    const auto doc = nlohmann::json::parse(j.out);
    EXPECT_EQ(markers(doc), "-!");
    const auto& s = doc[0]["user_ids"][0]["signatures"][0];
    EXPECT_EQ(s["crypto"], "bad");
    EXPECT_EQ(s["verdict"], "bad");
    EXPECT_EQ(s["self"], true);
    // The user ID lost its only self-signature.
    EXPECT_EQ(doc[0]["user_ids"][0]["validity"]["state"], "invalid");
}

TEST(CheckSigsCli, ThirdPartyIssuerIsFoundInAKeyringFile) {
    // debian-nonupload: the first certification whose issuer is another certificate of
    // the file; alone it cannot be checked, with the issuer's file as --keyring it is good.
    const auto certs = cert::read_all_certs(read_bytes("/usr/share/keyrings/debian-nonupload.gpg"));
    TempDir tmp;
    RunResult all = run(pgpkit("check-sigs --json /usr/share/keyrings/debian-nonupload.gpg"));
    const auto doc = nlohmann::json::parse(all.out);
    for (std::size_t i = 0; i < doc.size(); ++i)
        for (const auto& u : doc[i]["user_ids"])
            for (const auto& s : u["signatures"]) {
                if (s["self"] || s["marker"] != "!") continue;
                const std::string issuer = s["issuer_keyid"];
                for (const auto& other : certs) {
                    if (to_hex(other.key().keyid) != issuer) continue;
                    write_bytes(tmp.file("cert.pgp"), cert::write_cert(certs[i]));
                    write_bytes(tmp.file("issuer.pgp"), cert::write_cert(other));
                    RunResult alone = run(pgpkit("check-sigs --json " + shell_quote(tmp.file("cert.pgp"))));
                    const std::string before = markers(nlohmann::json::parse(alone.out));
                    EXPECT_NE(before.find('?'), std::string::npos);
                    EXPECT_EQ(alone.exit_code, 0) << "no key is not a bad signature";
                    RunResult with = run(pgpkit("check-sigs --json --keyring " + shell_quote(tmp.file("issuer.pgp")) +
                                                " " + shell_quote(tmp.file("cert.pgp"))));
                    // The same signatures; those by the issuer's key turn from ? to !.
                    const std::string m = markers(nlohmann::json::parse(with.out));
                    ASSERT_EQ(m.size(), before.size()) << m;
                    EXPECT_LT(std::count(m.begin(), m.end(), '?'), std::count(before.begin(), before.end(), '?')) << m;
                    return;
                }
            }
    FAIL() << "no third-party certification found in debian-nonupload.gpg";
}

TEST(CheckSigsCli, JobsGiveTheSameListing) {
    const std::string ring = "/usr/share/keyrings/debian-nonupload.gpg";
    RunResult one = run(pgpkit("check-sigs --jobs 1 " + ring));
    RunResult two = run(pgpkit("check-sigs --jobs 2 " + ring));
    ASSERT_EQ(one.exit_code, two.exit_code);
    EXPECT_GT(one.out.size(), 10000u);
    EXPECT_TRUE(one.out == two.out);
    EXPECT_EQ(one.err, two.err);
}

TEST(CheckSigsCli, TruncatedInputListsWhatParsedThenOneErrorLine) {
    const Bytes ring = read_bytes("/usr/share/keyrings/debian-role-keys.gpg");
    TempDir tmp;
    write_bytes(tmp.file("cut.pgp"), ByteView(ring).first(ring.size() / 2));
    RunResult r = run(pgpkit("check-sigs " + shell_quote(tmp.file("cut.pgp"))));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("pub   "), std::string::npos) << "certificates before the cut are listed";
    const auto lines = non_empty_lines(r.err);
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines.back().rfind("pgpkit: error: ", 0), 0u) << r.err;
    EXPECT_NE(lines.back().find(" at offset "), std::string::npos) << r.err;
    EXPECT_NE(lines.back().find("(packet "), std::string::npos) << r.err;
}

TEST(CheckSigsCli, NotOpenPgpIsBadInput) {
    TempDir tmp;
    write_bytes(tmp.file("x.txt"), as_bytes("hello\n"));
    RunResult r = run(pgpkit("check-sigs " + shell_quote(tmp.file("x.txt"))));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err.rfind("pgpkit: error: ", 0), 0u) << r.err;
}

}  // namespace
}  // namespace pgpkit::test
