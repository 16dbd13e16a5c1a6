// VKS uploads (keyserver/vks.h, HkpClient::vks_upload and vks_request_verify) against a
// stub that answers as keys.openpgp.org's Hagrid does.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "keyserver/hkp_client.h"
#include "keyserver/vks.h"
#include "tests/keyserver/stub_server.h"

namespace pgpkit::test {
namespace {

using keyserver::HkpClient;
using keyserver::Outcome;
using keyserver::VksAddress;

const char* kFpr = "45F7038ACD51FA9AD01BFF5A71290C550806E030";

// Hagrid's answer to an upload: the fingerprint, a token, each address's status.
std::string upload_answer(const std::string& status) {
    return std::string("{\"key_fpr\":\"") + kFpr + "\",\"status\":{\"ed25519@example.org\":\"" + status +
           "\",\"alice@example.org\":\"published\"},\"token\":\"t0k3n\"}";
}

keyserver::HttpOptions quick() {
    keyserver::HttpOptions o;
    o.retries = 0;
    return o;
}

TEST(Vks, UploadSendsJsonAndReadsTokenAndStatuses) {
    StubServer s([](const StubRequest&) { return http_reply(200, "application/json", upload_answer("unpublished")); });
    HkpClient c(s.url(), quick());
    const auto u = c.vks_upload("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nabc\n-----END PGP PUBLIC KEY BLOCK-----\n");
    ASSERT_TRUE(u.ok()) << u.message;
    EXPECT_EQ(u.fingerprint, kFpr);
    EXPECT_EQ(u.token, "t0k3n");
    EXPECT_EQ(u.addresses, (std::vector<VksAddress>{{"alice@example.org", "published"},
                                                     {"ed25519@example.org", "unpublished"}}));
    const auto q = s.requests().at(0);
    EXPECT_EQ(q.method, "POST");
    EXPECT_EQ(q.target, "/vks/v1/upload");
    const auto body = nlohmann::json::parse(q.body);
    EXPECT_EQ(body.at("keytext").get<std::string>().substr(0, 36), "-----BEGIN PGP PUBLIC KEY BLOCK-----");
}

TEST(Vks, RequestVerifySendsTokenAndAddresses) {
    StubServer s([](const StubRequest&) { return http_reply(200, "application/json", upload_answer("pending")); });
    HkpClient c(s.url(), quick());
    const auto v = c.vks_request_verify("t0k3n", {"ed25519@example.org"});
    ASSERT_TRUE(v.ok()) << v.message;
    EXPECT_EQ(v.addresses.at(1).status, "pending");
    const auto q = s.requests().at(0);
    EXPECT_EQ(q.target, "/vks/v1/request-verify");
    const auto body = nlohmann::json::parse(q.body);
    EXPECT_EQ(body.at("token"), "t0k3n");
    EXPECT_EQ(body.at("addresses"), nlohmann::json::array({"ed25519@example.org"}));
}

TEST(Vks, ErrorAnswersAndNonAnswersSayWhat) {
    StubServer s([](const StubRequest& q) {
        if (q.target == "/vks/v1/upload") return http_reply(400, "application/json", "{\"error\":\"No key uploaded.\"}");
        return http_reply(200, "text/html", "<html>a captive portal</html>");
    });
    HkpClient c(s.url(), quick());
    const auto u = c.vks_upload("x");
    EXPECT_EQ(u.outcome, Outcome::HttpError);
    EXPECT_EQ(u.message, "HTTP 400: No key uploaded.");
    const auto v = c.vks_request_verify("t", {"a@b"});
    EXPECT_EQ(v.outcome, Outcome::NotKeyserver);
    EXPECT_EQ(v.message, "VKS answer: not a JSON object");
}

TEST(Vks, ParseNamesWhatIsMissing) {
    keyserver::VksUpload u;
    auto why = [&](const std::string& json) -> std::string {
        try {
            keyserver::parse_vks_answer(json, u);
        } catch (const Error& e) {
            return e.detail();
        }
        return "accepted";
    };
    EXPECT_EQ(why("{\"token\":\"t\",\"status\":{}}"), "VKS answer: no string \"key_fpr\"");
    EXPECT_EQ(why("{\"key_fpr\":\"F\",\"token\":\"t\"}"), "VKS answer: no \"status\" object");
    EXPECT_EQ(why("{\"key_fpr\":\"F\",\"token\":\"t\",\"status\":{\"a@b\":1}}"),
              "VKS answer: the status of a@b is not a string");
    EXPECT_EQ(why("[1,2"), "VKS answer: not a JSON object");
    EXPECT_EQ(why("{\"key_fpr\":\"F\",\"token\":\"t\",\"status\":{}}"), "accepted");
    EXPECT_EQ(keyserver::vks_error_text("plain words\nmore"), "plain words");
}

}  // namespace
}  // namespace pgpkit::test
