// Decryption that must not succeed: tampered ciphertext (MDC, AEAD tags), a missing MDC,
// the unprotected SED packet, wrong passphrases and keys, truncation and garbage.

#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/data_cipher.h"
#include "message/seipd.h"
#include "packet/header.h"
#include "packet/parser.h"
#include "tests/message/message_keys.h"

namespace pgpkit::test {
namespace {

using message::DecryptFailure;
using message::EncryptOptions;

Bytes text(std::size_t n) {
    Bytes b(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>('a' + i % 26);
    return b;
}

Encrypted symmetric(bool aead, packet::CompressionAlgo c = packet::CompressionAlgo::Uncompressed) {
    EncryptOptions opt;
    opt.passphrase = SecretBytes{'p', 'w'};
    opt.aead = aead;
    opt.compression = c;
    opt.chunk_octet = 2;
    return encrypt_bytes(text(4000), opt);
}

bool has(const Decrypted& d, const std::string& kw) {
    const auto k = d.keywords();
    return std::find(k.begin(), k.end(), kw) != k.end();
}

/** Decrypts, and counts a thrown error as the failure it is: success is the only wrong answer. */
bool never_succeeds(const Bytes& msg, const char* pass = "pw") {
    try {
        const Decrypted d = decrypt_bytes(msg, {}, pass);
        return !d.result.ok() && !has(d, "DECRYPTION_OKAY") && !has(d, "GOODMDC");
    } catch (const Error&) {
        return true;
    }
}

TEST(DecryptFailure, FlippedCiphertextOctetIsManipulationForSeipdV1AndV2) {
    for (bool aead : {false, true}) {
        for (auto c : {packet::CompressionAlgo::Uncompressed, packet::CompressionAlgo::Zlib}) {
            const Encrypted e = symmetric(aead, c);
            for (std::size_t back : {std::size_t{1}, std::size_t{10}, std::size_t{30}, e.data.size() / 2}) {
                Bytes bad = e.data;
                bad[bad.size() - back] ^= 0x01;
                const Decrypted d = decrypt_bytes(bad, {}, "pw");
                EXPECT_EQ(d.result.failure, DecryptFailure::Manipulated) << aead << " " << back;
                EXPECT_TRUE(has(d, "DECRYPTION_FAILED"));
                EXPECT_FALSE(has(d, "DECRYPTION_OKAY"));
                EXPECT_FALSE(has(d, "GOODMDC"));
                EXPECT_NE(std::find(d.notes.begin(), d.notes.end(), "WARNING: encrypted message has been manipulated!"),
                          d.notes.end());
            }
        }
    }
}

TEST(DecryptFailure, TruncatedMessagesNeverSucceed) {
    for (bool aead : {false, true}) {
        const Encrypted e = symmetric(aead);
        for (std::size_t cut : {std::size_t{1}, std::size_t{16}, std::size_t{22}, std::size_t{100}, e.data.size() - 5})
            EXPECT_TRUE(never_succeeds(Bytes(e.data.begin(), e.data.end() - static_cast<std::ptrdiff_t>(cut))))
                << aead << " " << cut;
    }
}

/** A SKESK v4 without ESK for "pw" and a data packet of `tag` around `body`. */
Bytes hand_made(packet::Tag tag, const Bytes& body) {
    crypto::Rng rng = crypto::Rng::system();
    message::SessionKey sk;
    const packet::Skesk s = message::make_skesk(SecretBytes{'p', 'w'}, packet::SymAlgo::Aes128, std::nullopt, {}, rng, &sk);
    Bytes b;
    packet::ByteWriter w(b);
    packet::write_skesk(s, w);
    Bytes out;
    packet::write_canonical_header(packet::Tag::Skesk, b.size(), out);
    out.insert(out.end(), b.begin(), b.end());
    // The plaintext: prefix (16 random octets, two repeated) and a literal packet "hi".
    Bytes plain(16, 0x33);
    plain.push_back(0x33);
    plain.push_back(0x33);
    const Bytes lit = {0xCB, 0x08, 'b', 0, 0, 0, 0, 0, 'h', 'i'};
    plain.insert(plain.end(), lit.begin(), lit.end());
    plain.insert(plain.end(), body.begin(), body.end());
    const SecretBytes& key = sk.key;
    Bytes ct = plain;
    if (tag == packet::Tag::Seipd) {
        crypto::CfbStream cfb(crypto::CipherKind::Aes128, crypto::CfbStream::Direction::Encrypt, key);
        cfb.process(ct);
        ct.insert(ct.begin(), 1);  // version 1
    } else {
        // SED: the prefix with a zero IV, then CFB resynchronised on the prefix ciphertext.
        crypto::CfbStream first(crypto::CipherKind::Aes128, crypto::CfbStream::Direction::Encrypt, key);
        first.process(std::span(ct).first(18));
        crypto::CfbStream rest(crypto::CipherKind::Aes128, crypto::CfbStream::Direction::Encrypt, key,
                               std::span(ct).subspan(2, 16));
        rest.process(std::span(ct).subspan(18));
    }
    packet::write_canonical_header(tag, ct.size(), out);
    out.insert(out.end(), ct.begin(), ct.end());
    return out;
}

TEST(DecryptFailure, SeipdV1WithoutMdcIsManipulation) {
    const Decrypted d = decrypt_bytes(hand_made(packet::Tag::Seipd, {}), {}, "pw");
    EXPECT_EQ(d.result.failure, DecryptFailure::Manipulated);
    EXPECT_FALSE(has(d, "DECRYPTION_OKAY"));
}

TEST(DecryptFailure, LegacySedPacketIsRefusedAndItsReaderResynchronises) {
    const Bytes msg = hand_made(packet::Tag::Sed, {});
    const Decrypted d = decrypt_bytes(msg, {}, "pw");
    EXPECT_EQ(d.result.failure, DecryptFailure::NotProtected);
    EXPECT_TRUE(d.plaintext.empty());  // nothing unauthenticated was released
    EXPECT_TRUE(has(d, "DECRYPTION_FAILED"));
    // The reader itself decrypts the resynchronised CFB (what a forced decryption would show).
    message::DecryptOptions opt;
    opt.passphrase = SecretBytes{'p', 'w'};
    packet::MemorySource in(msg);
    auto m = message::open_encrypted(in, opt);
    ASSERT_NE(m->packets(), nullptr);
    EXPECT_TRUE(m->unprotected());
    Bytes inner(64);
    inner.resize(m->packets()->read_full(inner));
    EXPECT_EQ(inner, (Bytes{0xCB, 0x08, 'b', 0, 0, 0, 0, 0, 'h', 'i'}));
}

TEST(DecryptFailure, WrongPassphraseIsBadSessionKey) {
    for (bool aead : {false, true}) {
        const Decrypted d = decrypt_bytes(symmetric(aead).data, {}, "wrong");
        EXPECT_NE(d.result.failure, DecryptFailure::None);
        EXPECT_TRUE(d.plaintext.empty());
        EXPECT_TRUE(has(d, "DECRYPTION_FAILED"));
    }
    const Decrypted v1 = decrypt_bytes(symmetric(false).data, {}, "wrong");
    EXPECT_EQ(v1.result.failure, DecryptFailure::BadSessionKey);
    EXPECT_EQ(v1.keywords(), (std::vector<std::string>{"NEED_PASSPHRASE_SYM", "BEGIN_DECRYPTION", "DECRYPTION_INFO",
                                                       "ERROR", "DECRYPTION_FAILED", "END_DECRYPTION"}));
}

TEST(DecryptFailure, NoSecretKeyGivesNoSeckeyAndNoSessionKey) {
    EncryptOptions opt;
    opt.recipients = {recipient_of(family_key("p256"))};
    const Encrypted e = encrypt_bytes(text(10), opt);
    const Decrypted d = decrypt_bytes(e.data, {family_key("cv25519")}, std::nullopt);
    EXPECT_EQ(d.result.failure, DecryptFailure::NoSessionKey);
    EXPECT_EQ(d.keywords(), (std::vector<std::string>{"ENC_TO", "NO_SECKEY", "BEGIN_DECRYPTION", "DECRYPTION_FAILED",
                                                      "END_DECRYPTION"}));
    EXPECT_EQ(d.notes.back(), "decryption failed: No secret key");
}

TEST(DecryptFailure, GarbageAndNonEncryptedInputThrowOneLine) {
    for (const Bytes& in : {Bytes{}, Bytes{0x00, 0x01}, Bytes{0xFF, 0xFF, 0xFF}, Bytes{0xCB, 0x03, 'b', 0, 0},
                            Bytes(100, 0xA3)}) {
        try {
            (void)decrypt_bytes(in, {}, "pw");
            ADD_FAILURE() << "no error for " << to_hex(in);
        } catch (const Error& e) {
            EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
        }
    }
}

}  // namespace
}  // namespace pgpkit::test
