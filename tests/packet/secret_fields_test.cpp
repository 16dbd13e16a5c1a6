// Secret fields of key packets live in wiping memory (issue 9): their types, and that
// parsing into them and writing them back (also into wiping memory) stays byte-exact.

#include <gtest/gtest.h>

#include <algorithm>
#include <type_traits>

#include "base/secret.h"
#include "packet/byte_writer.h"
#include "packet/fields.h"
#include "packet/key.h"
#include "packet/packet.h"
#include "packet/parser.h"

namespace pgpkit::packet {
namespace {

static_assert(std::is_same_v<decltype(SecretKeyMaterial::fields), SecretAlgoFields>);
static_assert(std::is_same_v<decltype(SecretAlgoField::data), SecretBytes>);
static_assert(std::is_same_v<decltype(AlgoField::data), Bytes>);
static_assert(std::is_same_v<decltype(Key::secret_opaque), SecretBytes>);
static_assert(std::is_same_v<decltype(parse_secret_fields(PubkeyAlgo::Rsa, std::declval<ByteReader&>())),
                             SecretAlgoFields>);
static_assert(std::is_same_v<decltype(write_packets_secret({})), SecretBytes>);
static_assert(std::is_same_v<decltype(write_packets_canonical_secret({})), SecretBytes>);

Bytes plain(const SecretBytes& s) { return Bytes(s.begin(), s.end()); }

Bytes filled(std::size_t n, std::uint8_t first) {
    Bytes b(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(first + i);
    return b;
}

/** A v4 Ed25519 (27) secret key body, usage 0, with `secret` and its checksum. */
Bytes ed25519_v4_body(const Bytes& secret, bool with_checksum = true) {
    Bytes b{4, 0x65, 0x00, 0x00, 0x00, 27};
    const Bytes pub = filled(32, 0x10);
    b.insert(b.end(), pub.begin(), pub.end());
    b.push_back(0);  // S2K usage 0
    b.insert(b.end(), secret.begin(), secret.end());
    if (with_checksum) {
        unsigned sum = 0;
        for (std::uint8_t x : secret) sum += x;
        b.push_back(static_cast<std::uint8_t>(sum >> 8));
        b.push_back(static_cast<std::uint8_t>(sum));
    }
    return b;
}

/** The secret packet `body` framed as a new-format Secret-Key packet. */
Bytes secret_key_packet(const Bytes& body) {
    Bytes p(2 + body.size());
    p[0] = 0xC5;
    p[1] = static_cast<std::uint8_t>(body.size());
    std::copy(body.begin(), body.end(), p.begin() + 2);
    return p;
}

TEST(SecretFields, CleartextSecretKeyParsesIntoWipingFieldsAndWritesBackExactly) {
    const Bytes secret = filled(32, 0xA0);
    const Bytes body = ed25519_v4_body(secret);
    const std::optional<Key> k = parse_key(body, 0, true);
    ASSERT_TRUE(k && k->secret);
    ASSERT_EQ(k->secret->fields.size(), 1u);
    EXPECT_EQ(k->secret->fields[0].name, "secret");
    EXPECT_EQ(k->secret->fields[0].kind, FieldKind::Fixed);
    EXPECT_EQ(plain(k->secret->fields[0].data), secret);
    EXPECT_TRUE(k->secret->checksum);
    EXPECT_TRUE(k->secret_opaque.empty());

    SecretBytes into_secret;
    ByteWriter ws(into_secret);
    write_key(*k, ws);
    EXPECT_TRUE(ws.is_secret());
    EXPECT_EQ(plain(into_secret), body);
    Bytes into_plain;
    ByteWriter wp(into_plain);
    write_key(*k, wp);
    EXPECT_FALSE(wp.is_secret());
    EXPECT_EQ(into_plain, body);
}

TEST(SecretFields, SecretParseGivesTheValuesThePublicParseGives) {
    // RSA secret fields d, p, q, u as MPIs: the same octets whichever storage reads them.
    Bytes in;
    for (std::uint8_t first : {0x81, 0x42, 0x23, 0x04}) {
        in.push_back(0x00);
        in.push_back(0x40);  // 64 bits
        const Bytes v = filled(8, first);
        in.insert(in.end(), v.begin(), v.end());
    }
    ByteReader a(in), b(in);
    const AlgoFields pub = parse_fields(FieldSet::SecretKey, PubkeyAlgo::Rsa, a);
    const SecretAlgoFields sec = parse_secret_fields(PubkeyAlgo::Rsa, b);
    ASSERT_EQ(pub.size(), 4u);
    ASSERT_EQ(sec.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(sec[i].name, pub[i].name);
        EXPECT_EQ(sec[i].mpi_bits, pub[i].mpi_bits);
        EXPECT_EQ(sec[i].effective_bits(), pub[i].effective_bits());
        EXPECT_EQ(plain(sec[i].data), pub[i].data);
    }
    EXPECT_EQ(sec[3].effective_bits(), 59u);  // 0x04 leads: 3 bits of the top octet
    EXPECT_EQ(fields_size(sec), in.size());
    SecretBytes back;
    ByteWriter w(back);
    write_fields(sec, w);
    EXPECT_EQ(plain(back), in);
}

TEST(SecretFields, UnknownAlgorithmSecretOfAV6KeyIsOneWipingRestField) {
    // v6, algorithm 99: 3 public octets delimited by the material length, usage 0, then
    // 5 octets of secret material pgpkit has no schema for.
    const Bytes body{6, 0x65, 0, 0, 0, 99, 0, 0, 0, 3, 0xAA, 0xBB, 0xCC, 0, 1, 2, 3, 4, 5};
    const std::optional<Key> k = parse_key(body, 0, true);
    ASSERT_TRUE(k && k->secret);
    ASSERT_EQ(k->secret->fields.size(), 1u);
    EXPECT_EQ(k->secret->fields[0].kind, FieldKind::Rest);
    EXPECT_EQ(plain(k->secret->fields[0].data), (Bytes{1, 2, 3, 4, 5}));
    SecretBytes out;
    ByteWriter w(out);
    write_key(*k, w);
    EXPECT_EQ(plain(out), body);
}

TEST(SecretFields, UnparsableSecretPartIsKeptOpaqueInWipingMemory) {
    // Usage 0 but only 10 of the 32 secret octets: the secret part stays opaque.
    const Bytes body = ed25519_v4_body(filled(10, 0x50), false);
    const std::optional<Key> k = parse_key(body, 0, true);
    ASSERT_TRUE(k);
    EXPECT_FALSE(k->secret);
    EXPECT_TRUE(k->malformed);
    EXPECT_EQ(plain(k->secret_opaque), Bytes(body.end() - 11, body.end()));  // usage octet + 10
    SecretBytes out;
    ByteWriter w(out);
    write_key(*k, w);
    EXPECT_EQ(plain(out), body);
}

TEST(SecretFields, SecretWritersGiveTheOctetsOfThePlainWriters) {
    Bytes in = secret_key_packet(ed25519_v4_body(filled(32, 0x33)));
    // Old-format framing and a second packet: the framing is copied as read.
    const Bytes second = secret_key_packet(ed25519_v4_body(filled(32, 0x77)));
    in.push_back(0x94);  // old format, tag 5, one-octet length
    in.insert(in.end(), second.begin() + 1, second.end());
    const std::vector<Packet> packets = parse_lossless(in);
    ASSERT_EQ(packets.size(), 2u);
    EXPECT_EQ(write_packets(packets), in);
    EXPECT_EQ(plain(write_packets_secret(packets)), in);
    EXPECT_EQ(plain(write_packets_canonical_secret(packets)), write_packets_canonical(packets));
    EXPECT_NE(write_packets_canonical(packets), in);  // the old-format CTB became new-format
    SecretBytes one;
    write_packet(packets[1], one);
    Bytes one_plain;
    write_packet(packets[1], one_plain);
    EXPECT_EQ(plain(one), one_plain);
}

}  // namespace
}  // namespace pgpkit::packet
