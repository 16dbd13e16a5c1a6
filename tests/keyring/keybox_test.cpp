// GnuPG's keybox (pubring.kbx): gpg 2.2 writes one in a throwaway home, pgpkit reads it,
// and every keyblock and fingerprint is checked against gpg's own export and listing.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "base/error.h"
#include "crypto/hash.h"
#include "keyring/keybox.h"
#include "packet/names.h"
#include "packet/parser.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using keyring::KeyboxBlob;

constexpr std::size_t debian_slice = 50;

std::string gpg(const std::string& home) {
    return "GNUPGHOME=" + shell_quote(home) + " gpg --batch --no-tty --quiet --pinentry-mode loopback ";
}

RunResult must_run(const std::string& cmd) {
    RunResult r = run(cmd);
    EXPECT_EQ(r.exit_code, 0) << cmd << "\n" << r.err;
    return r;
}

struct StopReading {};

/** The first `n` certificates of a keyring file, each written back as it was read. */
Bytes first_certs(const std::string& path, std::size_t n) {
    Bytes out;
    std::size_t seen = 0;
    packet::FdSource src(path);
    cert::ReadEvents ev;
    ev.cert = [&](cert::Cert&& c) {
        const Bytes b = cert::write_cert(c);
        out.insert(out.end(), b.begin(), b.end());
        if (++seen == n) throw StopReading{};
    };
    try {
        cert::read_certs(src, {}, ev);
    } catch (const StopReading&) {
    }
    return out;
}

/** A gpg home with generated keys and a slice of Debian's keyring, made once per run. */
class KeyboxGpg : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_home = std::make_unique<TempDir>();
        const std::string g = gpg(s_home->path()) + "--passphrase '' --quick-gen-key ";
        must_run(g + "'Alice <alice@example.org>' future-default default never");
        must_run(g + "'Bob <bob@example.org>' rsa2048 default never");
        must_run(g + "'Carol <carol@example.org>' nistp256 default never");
        const std::string slice = s_home->file("debian-slice.gpg");
        write_bytes(slice, first_certs("/usr/share/keyrings/debian-keyring.gpg", debian_slice));
        must_run(gpg(s_home->path()) + "--import " + shell_quote(slice));
        s_kbx = read_bytes(s_home->file("pubring.kbx"));
    }
    static void TearDownTestSuite() {
        run("GNUPGHOME=" + shell_quote(s_home->path()) + " gpgconf --kill gpg-agent");
        s_home.reset();
    }

    static std::unique_ptr<TempDir> s_home;
    static Bytes s_kbx;
};
std::unique_ptr<TempDir> KeyboxGpg::s_home;
Bytes KeyboxGpg::s_kbx;

/** The keyblock's packets without GnuPG's ring-trust packets (tag 12), written back. */
Bytes without_trust(ByteView keyblock) {
    std::vector<packet::Packet> kept;
    for (auto& p : packet::parse_lossless(keyblock))
        if (static_cast<packet::Tag>(p.tag()) != packet::Tag::Trust) kept.push_back(std::move(p));
    return packet::write_packets(kept);
}

/** Fingerprints of each pub line with its sub lines, from gpg's colon listing. */
std::vector<std::vector<std::string>> gpg_fingerprints(const std::string& home) {
    std::vector<std::vector<std::string>> out;
    bool key_line = false;
    for (const auto& line : non_empty_lines(must_run(gpg(home) + "--with-colons --fingerprint").out)) {
        const auto f = split(line, ':');
        if (f[0] == "pub") out.emplace_back();
        if (f[0] == "pub" || f[0] == "sub") key_line = true;
        else if (f[0] == "fpr" && key_line && !out.empty() && f.size() > 9) out.back().push_back(f[9]), key_line = false;
        else key_line = false;
    }
    return out;
}

/** Rewrites a blob's SHA-1 after a test changed it. */
void refresh_checksum(Bytes& kbx, const KeyboxBlob& b) {
    const auto begin = kbx.begin() + static_cast<std::ptrdiff_t>(b.offset);
    const std::size_t hashed = b.keyblock_offset + b.keyblock.size();
    const Bytes sum = crypto::digest(crypto::HashKind::Sha1, ByteView(&*begin, hashed));
    std::copy(sum.begin(), sum.end(), begin + b.length - 20);
}

void put32(Bytes& d, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) d[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

/** The error reading `data` throws, which the test expects there to be. */
Error read_error(const Bytes& data, keyring::KeyboxOptions opt = {}) {
    try {
        (void)keyring::read_keybox_all_certs(data, opt);
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "no error";
    return Error(Errc::Usage, 0, "no error");
}

/** A source that cannot peek, so the reader copies every blob. */
class CopyingSource final : public packet::Source {
public:
    explicit CopyingSource(ByteView d) : m_inner(d) {}
    std::size_t read(std::span<std::uint8_t> buf) override {
        const std::size_t n = m_inner.read(buf.first(std::min<std::size_t>(buf.size(), 777)));
        m_offset += n;
        return n;
    }

private:
    packet::MemorySource m_inner;
};

TEST_F(KeyboxGpg, IsKeyboxSeesTheHeaderBlob) {
    EXPECT_TRUE(keyring::is_keybox(s_kbx));
    EXPECT_FALSE(keyring::is_keybox(read_bytes("/usr/share/keyrings/debian-keyring.gpg")));
    EXPECT_FALSE(keyring::is_keybox(ByteView(s_kbx).first(11)));
    keyring::KeyboxReader r(s_kbx);
    EXPECT_EQ(r.header().version, 1u);
    EXPECT_NE(r.header().created_at, 0u);
}

TEST_F(KeyboxGpg, EveryKeyblockIsGpgExportWithRingTrustPackets) {
    // gpg --export drops the ring-trust packets (tag 12) gpg keeps in the keybox; with
    // them taken out, each keyblock is byte-identical to the export of its key.
    const auto blobs = keyring::read_keybox(s_kbx);
    ASSERT_EQ(blobs.size(), 3 + debian_slice);
    std::size_t with_trust = 0;
    for (const auto& b : blobs) {
        const std::string fpr = to_hex(b.keys.at(0).fingerprint);
        SCOPED_TRACE(fpr);
        const RunResult exp = must_run(gpg(s_home->path()) + "--export " + fpr);
        const Bytes stripped = without_trust(b.keyblock);
        if (stripped.size() != b.keyblock.size()) ++with_trust;
        EXPECT_EQ(stripped, Bytes(exp.out.begin(), exp.out.end()));
        EXPECT_EQ(b.checksum, keyring::BlobChecksum::Sha1);
    }
    EXPECT_EQ(with_trust, blobs.size());
}

TEST_F(KeyboxGpg, FingerprintsMatchGpgColonListing) {
    const auto listed = gpg_fingerprints(s_home->path());
    const auto blobs = keyring::read_keybox(s_kbx);
    const auto certs = keyring::read_keybox_all_certs(s_kbx);
    ASSERT_EQ(listed.size(), blobs.size());
    ASSERT_EQ(certs.size(), blobs.size());
    for (std::size_t i = 0; i < blobs.size(); ++i) {
        std::vector<std::string> in_blob, in_cert{to_hex(certs[i].fingerprint())};
        for (const auto& k : blobs[i].keys) in_blob.push_back(to_hex(k.fingerprint));
        for (const auto* c : certs[i].of_kind(cert::ComponentKind::Subkey)) in_cert.push_back(to_hex(c->key()->fingerprint));
        EXPECT_EQ(in_blob, listed[i]) << "blob " << i;
        EXPECT_EQ(in_cert, listed[i]) << "cert " << i;
    }
}

TEST_F(KeyboxGpg, UserIdInformationPointsAtTheUserIds) {
    for (const auto& b : keyring::read_keybox(s_kbx)) {
        const auto certs = cert::read_all_certs(b.keyblock);
        ASSERT_EQ(certs.size(), 1u);
        const auto uids = certs[0].of_kind(cert::ComponentKind::UserId);
        ASSERT_EQ(b.user_ids.size(), uids.size());
        const ByteView blob(s_kbx.data() + b.offset, b.length);
        for (std::size_t i = 0; i < uids.size(); ++i)
            EXPECT_EQ(Bytes(blob.subspan(b.user_ids[i].offset, b.user_ids[i].length).begin(),
                            blob.subspan(b.user_ids[i].offset, b.user_ids[i].length).end()),
                      uids[i]->id_bytes());
        ASSERT_TRUE(b.ownertrust.has_value());
        EXPECT_NE(b.created_at, 0u);
        for (const auto& k : b.keys) {
            // gpg points a v4 key's key ID offset at the last 8 octets of its fingerprint.
            ASSERT_TRUE(k.key_id.has_value());
            EXPECT_TRUE(std::equal(k.key_id->begin(), k.key_id->end(), k.fingerprint.end() - 8));
        }
    }
}

TEST_F(KeyboxGpg, StreamedCopiedAndInMemoryReadsAgree) {
    const auto mem = keyring::read_keybox(s_kbx);
    packet::FdSource fd(s_home->file("pubring.kbx"));
    CopyingSource copying(s_kbx);
    for (packet::Source* src : {static_cast<packet::Source*>(&fd), static_cast<packet::Source*>(&copying)}) {
        keyring::KeyboxReader r(*src);
        std::size_t i = 0;
        while (auto b = r.next()) {
            ASSERT_LT(i, mem.size());
            EXPECT_EQ(b->offset, mem[i].offset);
            EXPECT_EQ(Bytes(b->keyblock.begin(), b->keyblock.end()), Bytes(mem[i].keyblock.begin(), mem[i].keyblock.end()));
            ++i;
        }
        EXPECT_EQ(i, mem.size());
        EXPECT_EQ(r.stats().openpgp, mem.size());
    }
}

TEST_F(KeyboxGpg, TruncatedFileNamesTheBlob) {
    const auto blobs = keyring::read_keybox(s_kbx);
    const KeyboxBlob& last = blobs.back();
    Bytes cut(s_kbx.begin(), s_kbx.begin() + static_cast<std::ptrdiff_t>(last.offset + 100));
    Error e = read_error(cut);
    EXPECT_EQ(e.kind(), Errc::Truncated);
    EXPECT_EQ(e.offset(), last.offset);
    EXPECT_NE(std::string(e.what()).find("the input ends after 100"), std::string::npos) << e.what();
    cut.resize(last.offset + 3);
    e = read_error(cut);
    EXPECT_EQ(e.kind(), Errc::Truncated);
    EXPECT_EQ(e.offset(), last.offset);
}

TEST_F(KeyboxGpg, CorruptChecksumIsAnErrorNamingTheBlob) {
    const KeyboxBlob b = keyring::read_keybox(s_kbx).at(1);
    Bytes bad = s_kbx;
    bad[b.offset + b.keyblock_offset + 10] ^= 0x01;
    Error e = read_error(bad);
    EXPECT_EQ(e.kind(), Errc::BadField);
    EXPECT_EQ(e.offset(), b.offset + b.length - 20);
    EXPECT_NE(std::string(e.what()).find("checksum mismatch in the OpenPGP blob at offset " + std::to_string(b.offset)),
              std::string::npos)
        << e.what();
    keyring::KeyboxOptions lax;
    lax.verify_checksum = false;
    EXPECT_EQ(keyring::read_keybox(bad, lax).at(1).checksum, keyring::BlobChecksum::Unchecked);
}

TEST_F(KeyboxGpg, BogusLengthsAreErrorsWithOffsets) {
    const KeyboxBlob b = keyring::read_keybox(s_kbx).at(2);
    Bytes bad = s_kbx;
    put32(bad, b.offset, 0xFFFFFFF0u);  // runs past the end: skipped as too large, then cut short
    Error e = read_error(bad);
    EXPECT_EQ(e.kind(), Errc::Truncated);
    EXPECT_EQ(e.offset(), b.offset);
    bad = s_kbx;
    put32(bad, b.offset, 3);
    e = read_error(bad);
    EXPECT_EQ(e.kind(), Errc::BadLength);
    EXPECT_EQ(e.offset(), b.offset);
    bad = s_kbx;
    put32(bad, b.offset + 12, b.length);  // keyblock length past the blob
    e = read_error(bad);
    EXPECT_EQ(e.kind(), Errc::BadLength);
    EXPECT_EQ(e.offset(), b.offset + 8);
    EXPECT_NE(std::string(e.what()).find("lies outside the OpenPGP blob"), std::string::npos) << e.what();
    bad = s_kbx;
    bad[b.offset + 16] = 0xFF;  // 65280 keys of 28 octets
    e = read_error(bad);
    EXPECT_EQ(e.kind(), Errc::BadLength);
    EXPECT_EQ(e.offset(), b.offset + 20);
    EXPECT_NE(std::string(e.what()).find("key information"), std::string::npos) << e.what();
}

TEST_F(KeyboxGpg, UserIdOffsetOutsideTheBlobIsAnError) {
    const KeyboxBlob b = keyring::read_keybox(s_kbx).at(0);
    // Key information of one record, an empty serial number, then the user ID table.
    const std::size_t uid_table = b.offset + 20 + b.keys.size() * 28 + 2;
    Bytes bad = s_kbx;
    put32(bad, uid_table + 4, b.length);
    Error e = read_error(bad);
    EXPECT_EQ(e.kind(), Errc::BadLength);
    EXPECT_EQ(e.offset(), uid_table + 4);
}

TEST_F(KeyboxGpg, DeletedX509AndEphemeralBlobsAreSkippedAndCounted) {
    const auto blobs = keyring::read_keybox(s_kbx);
    Bytes edited = s_kbx;
    edited[blobs[0].offset + 4] = 0;  // deleted (what gpg --delete-key leaves)
    edited[blobs[1].offset + 4] = 3;  // X.509
    edited[blobs[2].offset + 7] |= 2;  // ephemeral
    refresh_checksum(edited, blobs[2]);
    keyring::KeyboxStats st;
    const auto kept = keyring::read_keybox(edited, {}, &st);
    EXPECT_EQ(kept.size(), blobs.size() - 3);
    EXPECT_EQ(st.empty, 1u);
    EXPECT_EQ(st.x509, 1u);
    EXPECT_EQ(st.ephemeral, 1u);
    EXPECT_EQ(st.openpgp, kept.size());
    keyring::KeyboxOptions all;
    all.skip_ephemeral = false;
    const auto with_eph = keyring::read_keybox(edited, all);
    ASSERT_EQ(with_eph.size(), blobs.size() - 2);
    EXPECT_TRUE(with_eph[0].ephemeral());
    EXPECT_EQ(with_eph[0].offset, blobs[2].offset);
}

TEST_F(KeyboxGpg, KeyblockErrorsCarryKeyboxOffsets) {
    const KeyboxBlob b = keyring::read_keybox(s_kbx).at(0);
    Bytes bad = s_kbx;
    // Cut the first packet's one-octet old-format length so it runs past the keyblock.
    bad[b.offset + b.keyblock_offset + 1] = 0xFF;
    refresh_checksum(bad, b);
    Error e = read_error(bad);
    EXPECT_GE(e.offset(), b.offset + b.keyblock_offset);
    EXPECT_LT(e.offset(), b.offset + b.length);
    EXPECT_NE(std::string(e.what()).find("keybox blob at offset " + std::to_string(b.offset)), std::string::npos)
        << e.what();
}

TEST(Keybox, InputWithoutHeaderBlobIsNotAKeybox) {
    const Bytes ring = read_bytes("/usr/share/keyrings/debian-archive-keyring.gpg");
    Error e = read_error(ring);
    EXPECT_EQ(e.kind(), Errc::BadHeader);
    EXPECT_EQ(e.offset(), 0u);
    e = read_error({});
    EXPECT_EQ(e.kind(), Errc::BadHeader);
}

TEST(Keybox, CommittedSampleHasADeletedBlob) {
    // tests/data/keyring/deleted-middle.kbx (tests/data/README.md): three keys, the
    // middle one deleted with gpg --delete-key.
    const Bytes kbx = read_bytes(test_data_dir() + "/keyring/deleted-middle.kbx");
    keyring::KeyboxStats st;
    const auto blobs = keyring::read_keybox(kbx, {}, &st);
    EXPECT_EQ(blobs.size(), 2u);
    EXPECT_EQ(st.empty, 1u);
    const auto certs = keyring::read_keybox_all_certs(kbx);
    ASSERT_EQ(certs.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(certs[i].fingerprint(), blobs[i].keys.at(0).fingerprint);
}

}  // namespace
}  // namespace pgpkit::test
