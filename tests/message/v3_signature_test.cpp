// Version 3 data signatures (RFC 4880 section 5.2.2), which pgpkit reads but does not
// write: made here with the Rsa key of the fixture and checked by verify_detached.

#include <gtest/gtest.h>

#include <string>

#include "cert/cert.h"
#include "keyring/store.h"
#include "message/data_hasher.h"
#include "message/sign.h"
#include "message/verify.h"
#include "packet/byte_writer.h"
#include "packet/header.h"
#include "tests/message/keys.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

Bytes hex_bytes(const std::string& h) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
    return out;
}

TEST(MessageV3Signature, AV3SignatureOverDataVerifies) {
    const MessageKeys& k = message_keys();
    keyring::Store store(keyring::Store::db_path_in(k.home));
    const Bytes fpr = hex_bytes(k.rsa_fpr);
    const auto secret = store.get_secret(fpr);
    ASSERT_TRUE(secret.has_value());
    const std::vector<cert::Cert> tsk = cert::read_all_certs(ByteView(secret->data(), secret->size()));
    ASSERT_EQ(tsk.size(), 1u);
    const std::uint32_t now = 1780000000u;
    const message::SigningKey key = message::signing_key(tsk[0], now, std::nullopt);

    packet::Signature sig;
    sig.version = 3;
    sig.sig_type = packet::SigType::Binary;
    sig.v3_created = now - 60;
    std::copy(key.material.key.keyid.begin(), key.material.key.keyid.end(), sig.v3_issuer.begin());
    sig.pk_algo = key.material.key.algo;
    sig.hash_algo = packet::HashAlgo::Sha256;
    const std::string data = "version three\n";
    message::DataHasher h(sig.hash_algo, sig.sig_type, {});
    h.update(as_bytes(data));
    const Bytes digest = h.finish(sig);
    sig.left16 = {digest[0], digest[1]};
    crypto::Rng rng = crypto::Rng::system();
    sig.fields = keygen::sign_digest(key.material, sig.hash_algo, digest, rng);
    Bytes body;
    packet::ByteWriter w(body);
    packet::write_signature(sig, w);
    Bytes packet_bytes;
    packet::write_canonical_header(packet::Tag::Signature, body.size(), packet_bytes);
    packet_bytes.insert(packet_bytes.end(), body.begin(), body.end());

    const std::vector<cert::Cert> certs{cert::public_part(tsk[0])};
    message::VerifyOptions opt;
    opt.keys = message::lookup_in(certs);
    opt.now = now;
    std::vector<std::string> status;
    opt.status = [&status](const StatusEvent& ev) { status.push_back(ev.keyword + (ev.args.size() > 4 ? " " + ev.args[4] : "")); };
    packet::MemorySource sigsrc(packet_bytes);
    packet::MemorySource datasrc(as_bytes(data));
    const message::VerifyResult r = message::verify_detached(sigsrc, datasrc, opt);
    ASSERT_EQ(r.sigs.size(), 1u);
    EXPECT_EQ(r.sigs[0].outcome, message::SigOutcome::Good) << r.sigs[0].reason;
    EXPECT_TRUE(r.all_good());
    EXPECT_NE(std::find(status.begin(), status.end(), "VALIDSIG 3"), status.end()) << "signature version 3";
    const std::string other = "version 3\n";
    packet::MemorySource sigsrc2(packet_bytes);
    packet::MemorySource datasrc2(as_bytes(other));
    EXPECT_EQ(message::verify_detached(sigsrc2, datasrc2, opt).sigs.at(0).outcome, message::SigOutcome::Bad);
}

}  // namespace
}  // namespace pgpkit::test
