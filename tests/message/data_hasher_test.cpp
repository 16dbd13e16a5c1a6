// Incremental hashing of signed data: text canonicalisation does not depend on how the
// data is cut into pieces, and matches packet::data_digest.

#include <gtest/gtest.h>

#include <string>

#include "message/data_hasher.h"
#include "packet/sig_hash.h"

namespace pgpkit::test {
namespace {

using packet::SigType;

packet::Signature sig_of(SigType t) {
    packet::Signature s;
    s.sig_type = t;
    s.hash_algo = packet::HashAlgo::Sha256;
    return s;
}

Bytes hashed_in_pieces(const std::string& data, SigType t, std::size_t piece) {
    message::DataHasher h(packet::HashAlgo::Sha256, t, {});
    for (std::size_t i = 0; i < data.size(); i += piece) h.update(as_bytes(std::string_view(data).substr(i, piece)));
    return h.finish(sig_of(t));
}

TEST(MessageDataHasher, TextDigestIsTheSameForEveryPieceSize) {
    const std::string data = "one\ntwo\r\nthree\rfour\n\n\r\nend";
    const Bytes whole = packet::data_digest(sig_of(SigType::Text), as_bytes(data));
    for (std::size_t piece : {1u, 2u, 3u, 5u, 64u}) EXPECT_EQ(hashed_in_pieces(data, SigType::Text, piece), whole) << piece;
}

TEST(MessageDataHasher, TextDigestIgnoresLineEndFormButBinaryDoesNot) {
    EXPECT_EQ(hashed_in_pieces("a\nb\n", SigType::Text, 1), hashed_in_pieces("a\r\nb\r\n", SigType::Text, 3));
    EXPECT_NE(hashed_in_pieces("a\nb\n", SigType::Binary, 1), hashed_in_pieces("a\r\nb\r\n", SigType::Binary, 3));
    EXPECT_EQ(hashed_in_pieces("a\nb\n", SigType::Binary, 1),
              packet::data_digest(sig_of(SigType::Binary), as_bytes(std::string("a\nb\n"))));
}

TEST(MessageDataHasher, UnknownHashAlgorithmIsAUsageError) {
    EXPECT_THROW(message::DataHasher(static_cast<packet::HashAlgo>(99), SigType::Binary, {}), Error);
}

}  // namespace
}  // namespace pgpkit::test
