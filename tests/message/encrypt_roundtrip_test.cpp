// Round trips through message::encrypt and message::decrypt per algorithm family, packet
// version, cipher and compression; the crypto/ data ciphers against one-shot references.

#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/data_cipher.h"
#include "crypto/protect.h"
#include "message/session_key.h"
#include "packet/parser.h"
#include "tests/message/message_keys.h"

namespace pgpkit::test {
namespace {

using message::EncryptOptions;
using packet::SymAlgo;

Bytes sample(std::size_t n) {
    Bytes b(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>((i * 131 + i / 7) & 0xFF);
    return b;
}

std::vector<packet::Tag> top_tags(const Bytes& msg) {
    std::vector<packet::Tag> t;
    for (const packet::Packet& p : packet::parse_all(msg)) t.push_back(p.tag());
    return t;
}

TEST(DataCipher, CfbStreamInPiecesMatchesOneShotForEveryCipher) {
    using C = crypto::CipherKind;
    for (C c : {C::Aes128, C::Aes192, C::Aes256, C::Idea, C::TripleDes, C::Cast5, C::Blowfish, C::Twofish,
                C::Camellia128, C::Camellia192, C::Camellia256}) {
        const Bytes key(crypto::cipher_key_size(c), 0x5A);
        const Bytes iv(crypto::cipher_block_size(c), 0);
        const Bytes plain = sample(1000);
        const Bytes whole = crypto::cfb_encrypt(c, key, iv, plain);
        Bytes pieces = plain;
        crypto::CfbStream enc(c, crypto::CfbStream::Direction::Encrypt, key);
        for (std::size_t at = 0, step = 1; at < pieces.size(); at += step, step = step * 2 + 1)
            enc.process(std::span(pieces).subspan(at, std::min(step, pieces.size() - at)));
        EXPECT_EQ(pieces, whole) << unsigned(c);
        crypto::CfbStream dec(c, crypto::CfbStream::Direction::Decrypt, key);
        for (std::size_t at = 0, step = 3; at < pieces.size(); at += step, step = step * 3 % 101 + 1)
            dec.process(std::span(pieces).subspan(at, std::min(step, pieces.size() - at)));
        EXPECT_EQ(pieces, plain) << unsigned(c);
        const Bytes with_iv = crypto::cfb_encrypt(c, key, Bytes(iv.size(), 0x77), plain);
        Bytes again = with_iv;
        crypto::CfbStream dec_iv(c, crypto::CfbStream::Direction::Decrypt, key, Bytes(iv.size(), 0x77));
        dec_iv.process(again);
        EXPECT_EQ(again, plain) << unsigned(c);
    }
}

TEST(DataCipher, AesKeyWrapMatchesRfc3394AndRefusesTampering) {
    Bytes kek(16), key(16);
    for (int i = 0; i < 16; ++i) kek[i] = static_cast<std::uint8_t>(i);
    for (int i = 0; i < 16; ++i) key[i] = static_cast<std::uint8_t>(i * 0x11);
    const Bytes wrapped = crypto::aes_key_wrap(kek, key);
    EXPECT_EQ(to_hex(wrapped), "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");  // RFC 3394 section 4.1
    const auto back = crypto::aes_key_unwrap(kek, wrapped);
    ASSERT_TRUE(back);
    EXPECT_TRUE(std::equal(back->begin(), back->end(), key.begin(), key.end()));
    Bytes bad = wrapped;
    bad[5] ^= 1;
    EXPECT_FALSE(crypto::aes_key_unwrap(kek, bad));
    EXPECT_FALSE(crypto::aes_key_unwrap(kek, ByteView(wrapped).first(12)));
}

TEST(SessionKeyText, RoundTripsAndRefusesMalformedForms) {
    const message::SessionKey sk = message::parse_session_key_text("9:" + std::string(64, 'A'));
    EXPECT_EQ(sk.algo, SymAlgo::Aes256);
    EXPECT_EQ(message::session_key_text(sk), "9:" + std::string(64, 'A'));
    for (const char* bad : {"", "9", ":AA", "9:", "9:ABC", "9:GG", "9:AAAA", "300:AA", "x:AA"})
        EXPECT_THROW((void)message::parse_session_key_text(bad), Error) << bad;
}

class FamilyRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(FamilyRoundTrip, EncryptsToTheSubkeyAndDecryptsWithTheSecretKey) {
    const cert::Cert& tsk = family_key(GetParam());
    EncryptOptions opt;
    opt.recipients = {recipient_of(tsk)};
    opt.filename = "f.txt";
    opt.date = message_test_time;
    const Bytes plain = sample(5000);
    const Encrypted e = encrypt_bytes(plain, opt);
    const bool v6 = std::string(GetParam()) == "v6";
    EXPECT_EQ(e.result.aead, v6);
    const auto tags = top_tags(e.data);
    ASSERT_EQ(tags.size(), 2u);
    EXPECT_EQ(tags[0], packet::Tag::Pkesk);
    const std::vector<packet::Packet> pkts = packet::parse_all(e.data);
    const auto pk = pkts[0].get<packet::Pkesk>();
    ASSERT_TRUE(pk);
    EXPECT_EQ(pk->version, v6 ? 6 : 3);
    EXPECT_NE(opt.recipients[0].key.fingerprint, tsk.fingerprint());  // the subkey, not the primary

    const Decrypted d = decrypt_bytes(e.data, {tsk}, std::nullopt);
    ASSERT_TRUE(d.result.ok()) << d.result.detail;
    EXPECT_EQ(d.plaintext, plain);
    EXPECT_EQ(d.result.literal_name, "f.txt");
    EXPECT_EQ(d.result.literal_date, message_test_time);
    const auto k = d.keywords();
    EXPECT_EQ(k.front(), "ENC_TO");
    EXPECT_NE(std::find(k.begin(), k.end(), "DECRYPTION_OKAY"), k.end());
    EXPECT_EQ(k.back(), "END_DECRYPTION");
}

INSTANTIATE_TEST_SUITE_P(Families, FamilyRoundTrip,
                         ::testing::Values("rsa", "dsaelg", "p256", "p384", "p521", "bp256", "bp512", "cv25519", "v6"));

TEST(SymmetricRoundTrip, EveryCipherWithSeipdV1) {
    for (SymAlgo a : {SymAlgo::Idea, SymAlgo::TripleDes, SymAlgo::Cast5, SymAlgo::Blowfish, SymAlgo::Aes128,
                      SymAlgo::Aes192, SymAlgo::Aes256, SymAlgo::Twofish, SymAlgo::Camellia128,
                      SymAlgo::Camellia192, SymAlgo::Camellia256}) {
        EncryptOptions opt;
        opt.passphrase = SecretBytes{'p', 'w'};
        opt.cipher = a;
        const Bytes plain = sample(777);
        const Encrypted e = encrypt_bytes(plain, opt);
        EXPECT_EQ(e.result.session_key.algo, a);
        const Decrypted d = decrypt_bytes(e.data, {}, "pw");
        ASSERT_TRUE(d.result.ok()) << unsigned(a) << " " << d.result.detail;
        EXPECT_EQ(d.plaintext, plain);
    }
}

TEST(SymmetricRoundTrip, SkeskV6WithEveryAeadModeAndSmallChunks) {
    for (packet::AeadAlgo m : {packet::AeadAlgo::Eax, packet::AeadAlgo::Ocb, packet::AeadAlgo::Gcm}) {
        for (std::size_t n : {std::size_t{0}, std::size_t{63}, std::size_t{64}, std::size_t{65}, std::size_t{1000}}) {
            EncryptOptions opt;
            opt.passphrase = SecretBytes{'p', 'w'};
            opt.aead = true;
            opt.aead_mode = m;
            opt.chunk_octet = 0;  // 64-octet chunks: every boundary case in a small message
            opt.compression = packet::CompressionAlgo::Uncompressed;
            const Bytes plain = sample(n);
            const Encrypted e = encrypt_bytes(plain, opt);
            const auto pkts = packet::parse_all(e.data);
            ASSERT_EQ(pkts.size(), 2u);
            EXPECT_EQ(pkts[0].get<packet::Skesk>()->version, 6);
            EXPECT_EQ(pkts[1].get<packet::Seipd>()->version, 2);
            const Decrypted d = decrypt_bytes(e.data, {}, "pw");
            ASSERT_TRUE(d.result.ok()) << unsigned(m) << " " << n << " " << d.result.detail;
            EXPECT_EQ(d.plaintext, plain);
        }
    }
}

TEST(SymmetricRoundTrip, EveryCompressionAndALargeMessage) {
    for (auto c : {packet::CompressionAlgo::Uncompressed, packet::CompressionAlgo::Zip, packet::CompressionAlgo::Zlib,
                   packet::CompressionAlgo::Bzip2}) {
        EncryptOptions opt;
        opt.passphrase = SecretBytes{'p', 'w'};
        opt.compression = c;
        opt.armor = c == packet::CompressionAlgo::Zlib;
        const Bytes plain = sample(300000);  // several partial-length chunks at each layer
        const Encrypted e = encrypt_bytes(plain, opt);
        EXPECT_EQ(e.result.compression, c);
        const Decrypted d = decrypt_bytes(e.data, {}, "pw");
        ASSERT_TRUE(d.result.ok()) << unsigned(c) << " " << d.result.detail;
        EXPECT_EQ(d.plaintext, plain);
    }
}

TEST(MixedRoundTrip, RecipientsAndPassphraseEachOpenTheMessage) {
    EncryptOptions opt;
    opt.recipients = {recipient_of(family_key("rsa")), recipient_of(family_key("cv25519"))};
    opt.passphrase = SecretBytes{'p', 'w'};
    const Bytes plain = sample(100);
    const Encrypted e = encrypt_bytes(plain, opt);
    EXPECT_EQ(top_tags(e.data).size(), 4u);  // two PKESKs, a SKESK, the SEIPD
    for (const cert::Cert* k : {&family_key("rsa"), &family_key("cv25519")}) {
        const Decrypted d = decrypt_bytes(e.data, {*k}, std::nullopt);
        ASSERT_TRUE(d.result.ok()) << d.result.detail;
        EXPECT_EQ(d.plaintext, plain);
    }
    const Decrypted p = decrypt_bytes(e.data, {}, "pw");
    ASSERT_TRUE(p.result.ok()) << p.result.detail;
    EXPECT_EQ(p.plaintext, plain);
    // The session key shown opens the message with no key and no passphrase.
    const Decrypted o = decrypt_bytes(e.data, {}, std::nullopt, e.result.session_key);
    ASSERT_TRUE(o.result.ok()) << o.result.detail;
    EXPECT_EQ(o.plaintext, plain);
}

TEST(MixedRoundTrip, V6RecipientAndV4RecipientGiveSeipdV1) {
    EncryptOptions opt;
    opt.recipients = {recipient_of(family_key("v6")), recipient_of(family_key("p256"))};
    const Encrypted e = encrypt_bytes(sample(10), opt);
    EXPECT_FALSE(e.result.aead);
    const Decrypted d = decrypt_bytes(e.data, {family_key("v6")}, std::nullopt);
    EXPECT_TRUE(d.result.ok()) << d.result.detail;
}

TEST(InnerConsumer, SeesTheDecryptedPacketStreamAndIntegrityIsStillChecked) {
    EncryptOptions opt;
    opt.passphrase = SecretBytes{'p', 'w'};
    opt.compression = packet::CompressionAlgo::Uncompressed;
    for (bool aead : {false, true}) {
        opt.aead = aead;
        Encrypted e = encrypt_bytes(sample(3000), opt);
        for (bool tamper : {false, true}) {
            if (tamper) e.data[e.data.size() - 5] ^= 4;
            Bytes first;
            message::DecryptOptions d;
            d.passphrase = SecretBytes{'p', 'w'};
            d.inner = [&](packet::Source& packets, message::ByteSink&) {
                first.resize(1);
                first.resize(packets.read_full(first));
            };
            Bytes out;
            message::BufferSink sink(out);
            packet::MemorySource in(e.data);
            const message::DecryptResult r = message::decrypt(in, sink, d);
            ASSERT_EQ(first.size(), 1u);
            EXPECT_EQ(first[0], 0xCB);  // a new-format literal data packet
            EXPECT_EQ(r.ok(), !tamper) << aead;
        }
    }
}

}  // namespace
}  // namespace pgpkit::test
