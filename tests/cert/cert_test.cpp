// The certificate model: assembly per RFC 9580 section 10.1, findings, streaming, and
// byte-exact write-back on real data.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "armor/input.h"
#include "cert/cert.h"
#include "cert/repair.h"
#include "packet/source.h"
#include "tests/support/env.h"

namespace pgpkit {
namespace {

using packet::Tag;
using cert::ComponentKind;

Bytes debian(const std::string& name) { return test::read_bytes("/usr/share/keyrings/" + name); }

Bytes alice() { return test::read_bytes(test::test_data_dir() + "/examples/alice.pub.asc"); }

/** Every top-level packet of `data` (binary or armored) written back as it was read. */
Bytes packet_stream(ByteView data) {
    packet::ParseOptions po;
    po.descend = false;
    po.keep_data = true;
    packet::MemorySource src(data);
    Bytes out;
    armor::for_each_packet(src, po, [&out](const armor::InputEvent& ev) {
        if (ev.kind == armor::InputEvent::PacketStart) packet::write_packet(*ev.packet, out);
    });
    return out;
}

/** The certificates of `data` written back, stray packets in place. */
Bytes certs_written_back(ByteView data, std::size_t& certs) {
    Bytes out;
    cert::ReadEvents ev;
    ev.cert = [&](cert::Cert&& c) {
        ++certs;
        const Bytes b = cert::write_cert(c);
        out.insert(out.end(), b.begin(), b.end());
    };
    ev.stray = [&](const packet::Packet& p, const std::string&) { packet::write_packet(p, out); };
    packet::MemorySource src(data);
    cert::read_certs(src, {}, ev);
    return out;
}

TEST(CertAssembly, ComponentsOfAnEd25519Certificate) {
    const auto certs = cert::read_all_certs(alice());
    ASSERT_EQ(certs.size(), 1u);
    const cert::Cert& c = certs[0];
    EXPECT_FALSE(c.secret());
    EXPECT_EQ(to_hex(c.fingerprint()), "632E0A30D17E8314AB0960C71C03E9D63742E956");
    ASSERT_EQ(c.of_kind(ComponentKind::UserId).size(), 1u);
    ASSERT_EQ(c.of_kind(ComponentKind::Subkey).size(), 1u);
    const Bytes uid = c.of_kind(ComponentKind::UserId)[0]->id_bytes();
    EXPECT_EQ(std::string(uid.begin(), uid.end()), "Alice Example <alice@example.org>");
    EXPECT_EQ(c.of_kind(ComponentKind::UserId)[0]->signatures().size(), 1u);
    EXPECT_TRUE(c.findings.empty());
    EXPECT_EQ(cert::algo_string(c.key()), "ed25519");
}

TEST(CertAssembly, SecretKeyIsATskAndItsPublicPartHasNoSecrets) {
    const auto certs =
        cert::read_all_certs(test::read_bytes(test::test_data_dir() + "/examples/alice.stub-primary.sec.asc"));
    ASSERT_EQ(certs.size(), 1u);
    EXPECT_TRUE(certs[0].secret());
    const cert::Cert pub = cert::public_part(certs[0]);
    EXPECT_FALSE(pub.secret());
    EXPECT_EQ(pub.fingerprint(), certs[0].fingerprint());
    for (const packet::Packet* p : cert::packets_of(pub)) {
        EXPECT_NE(p->tag(), Tag::SecretKey);
        EXPECT_NE(p->tag(), Tag::SecretSubkey);
    }
    // Written and read again, the public part is the same certificate.
    const auto again = cert::read_all_certs(cert::write_cert(pub));
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].fingerprint(), certs[0].fingerprint());
    EXPECT_EQ(again[0].components.size(), certs[0].components.size());
}

TEST(CertAssembly, MisplacedSignatureAndUnknownPacketAreKeptAndReported) {
    Bytes data = packet_stream(alice());
    // Append a user ID after the subkey, then a marker packet (tag 10, "PGP").
    const Bytes extra = {0xCD, 0x03, 'B', 'o', 'b', 0xCA, 0x03, 'P', 'G', 'P'};
    data.insert(data.end(), extra.begin(), extra.end());
    const auto certs = cert::read_all_certs(data);
    ASSERT_EQ(certs.size(), 1u);
    const auto& f = certs[0].findings;
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].detail, "user ID after a subkey");
    EXPECT_EQ(f[1].detail, "unexpected Marker packet (tag 10) in a certificate");
    EXPECT_EQ(f[1].offset, data.size() - 5);
    EXPECT_EQ(cert::write_cert(certs[0]), data);
}

TEST(CertAssembly, PacketsBeforeTheFirstKeyAreReportedAsStrays) {
    const Bytes key = packet_stream(alice());
    Bytes data = {0xCD, 0x03, 'B', 'o', 'b'};
    data.insert(data.end(), key.begin(), key.end());
    std::vector<std::string> why;
    std::size_t certs = 0;
    cert::ReadEvents ev;
    ev.cert = [&](cert::Cert&&) { ++certs; };
    ev.stray = [&](const packet::Packet& p, const std::string& w) {
        EXPECT_EQ(p.offset, 0u);
        why.push_back(w);
    };
    packet::MemorySource src(data);
    cert::read_certs(src, {}, ev);
    EXPECT_EQ(certs, 1u);
    ASSERT_EQ(why.size(), 1u);
    EXPECT_EQ(why[0], "packet before the first primary key");
}

TEST(CertAssembly, AssembleRejectsASequenceWithoutPrimaryKey) {
    const auto uid = packet::parse_all(Bytes{0xCD, 0x03, 'B', 'o', 'b'});
    EXPECT_THROW((void)cert::assemble(uid), Error);
}

TEST(CertAssembly, TooManyPacketsPerCertificateIsALimit) {
    cert::ReadOptions opt;
    opt.max_packets_per_cert = 3;
    try {
        (void)cert::read_all_certs(alice(), opt);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::LimitExceeded);
    }
}

TEST(CertStream, TruncatedKeyringHandsOverTheCertificatesBeforeTheError) {
    const Bytes ring = debian("debian-role-keys.gpg");
    const Bytes cut(ring.begin(), ring.begin() + static_cast<std::ptrdiff_t>(ring.size() / 2));
    std::size_t certs = 0;
    cert::ReadEvents ev;
    ev.cert = [&](cert::Cert&&) { ++certs; };
    packet::MemorySource src(cut);
    try {
        cert::read_certs(src, {}, ev);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Truncated);
        EXPECT_GT(e.offset(), 0u);
    }
    EXPECT_GE(certs, 1u);
}

TEST(CertWriteBack, DebianKeyringsAreWrittenBackByteForByte) {
    for (const char* name : {"debian-role-keys.gpg", "debian-nonupload.gpg", "debian-maintainers.gpg"}) {
        const Bytes ring = debian(name);
        std::size_t certs = 0;
        const Bytes back = certs_written_back(ring, certs);
        EXPECT_GT(certs, 5u) << name;
        EXPECT_TRUE(back == ring) << name << ": write-back differs";
    }
}

TEST(CertWriteBack, SharedTestDataKeysAreWrittenBackAsRead) {
    std::ifstream manifest(test::shared_testdata() + "/MANIFEST.tsv");
    ASSERT_TRUE(manifest) << "MANIFEST.tsv missing";
    std::string line;
    std::getline(manifest, line);
    std::size_t files = 0, certs = 0;
    while (std::getline(manifest, line)) {
        const std::string file = line.substr(0, line.find('\t'));
        const Bytes data = test::read_bytes(test::shared_testdata() + "/" + file);
        Bytes expected;
        try {
            expected = packet_stream(data);
        } catch (const Error&) {
            continue;  // not OpenPGP, or malformed: the packet layer's tests cover those
        }
        std::size_t n = 0;
        Bytes back;
        try {
            back = certs_written_back(data, n);
        } catch (const Error& e) {
            ADD_FAILURE() << file << ": " << e.what();
            continue;
        }
        if (n == 0) continue;
        ++files;
        certs += n;
        EXPECT_TRUE(back == expected) << file << ": write-back differs";
    }
    EXPECT_GT(files, 50u);
    EXPECT_GT(certs, 100u);
}

}  // namespace
}  // namespace pgpkit

namespace pgpkit {
namespace {

TEST(CertRepair, OutOfOrderSelfSignaturesMoveToTheirComponents) {
    auto certs = cert::read_all_certs(
        test::read_bytes(test::shared_testdata() + "/sequoia/keys/dkg-sigs-out-of-order.pgp"));
    ASSERT_EQ(certs.size(), 1u);
    const std::size_t findings = certs[0].findings.size();
    const std::size_t moved = cert::repair_signature_order(certs[0]);
    EXPECT_EQ(moved, 24u);
    EXPECT_EQ(certs[0].findings.size(), findings + moved);
    EXPECT_EQ(cert::repair_signature_order(certs[0]), 0u) << "a repaired certificate is in order";
}

TEST(CertRepair, CertificatesInOrderAreLeftAsTheyWere) {
    const Bytes ring = test::read_bytes("/usr/share/keyrings/debian-nonupload.gpg");
    auto certs = cert::read_all_certs(ring);
    Bytes back;
    for (auto& c : certs) {
        EXPECT_EQ(cert::repair_signature_order(c), 0u) << to_hex(c.fingerprint());
        const Bytes b = cert::write_cert(c);
        back.insert(back.end(), b.begin(), b.end());
    }
    EXPECT_TRUE(back == ring);
}

}  // namespace
}  // namespace pgpkit
