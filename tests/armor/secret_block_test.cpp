// Armored secret keys (issue 9): decoded blocks are wiping memory, and a PRIVATE KEY
// BLOCK decodes, and streams into key packets, to exactly the secret key's octets.

#include <gtest/gtest.h>

#include <type_traits>

#include "armor/armor.h"
#include "armor/input.h"
#include "base/secret.h"
#include "packet/key.h"
#include "packet/packet.h"
#include "packet/source.h"

namespace pgpkit::armor {
namespace {

static_assert(std::is_same_v<decltype(Block::data), SecretBytes>);

/** Two v4 Ed25519 secret key packets (usage 0, with checksum), the second a subkey. */
Bytes secret_keys() {
    Bytes out;
    for (std::uint8_t tag : {0xC5, 0xC7}) {
        Bytes body{4, 0x65, 0x00, 0x00, 0x00, 27};
        for (int i = 0; i < 32; ++i) body.push_back(static_cast<std::uint8_t>(tag + i));  // public
        body.push_back(0);                                                             // usage 0
        unsigned sum = 0;
        for (int i = 0; i < 32; ++i) {
            body.push_back(static_cast<std::uint8_t>(0x90 ^ (tag + 3 * i)));
            sum += body.back();
        }
        body.push_back(static_cast<std::uint8_t>(sum >> 8));
        body.push_back(static_cast<std::uint8_t>(sum));
        out.push_back(tag);
        out.push_back(static_cast<std::uint8_t>(body.size()));
        out.insert(out.end(), body.begin(), body.end());
    }
    return out;
}

TEST(SecretBlock, PrivateKeyBlockDecodesToTheSecretKeyOctets) {
    const Bytes bin = secret_keys();
    const std::string text = encode_text(bin, "PRIVATE KEY BLOCK", {});
    const std::vector<Block> blocks = decode_all(as_bytes(text));
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(blocks[0].label, "PRIVATE KEY BLOCK");
    EXPECT_EQ(Bytes(blocks[0].data.begin(), blocks[0].data.end()), bin);
}

TEST(SecretBlock, StreamedPrivateKeyBlockGivesKeysWithTheirSecretFields) {
    const Bytes bin = secret_keys();
    // Short body lines: each packet spans several lines of the block.
    EncodeOptions eo;
    eo.line_length = 16;
    const std::string text = encode_text(bin, "PRIVATE KEY BLOCK", {}, eo);
    packet::MemorySource src(as_bytes(text));
    std::vector<packet::Packet> got;
    std::string label;
    for_each_packet(src, packet::ParseOptions{}, [&](const InputEvent& ev) {
        if (ev.kind == InputEvent::Armor) label = ev.armor_label;
        if (ev.kind == InputEvent::PacketStart) got.push_back(*ev.packet);
    });
    EXPECT_EQ(label, "PRIVATE KEY BLOCK");
    ASSERT_EQ(got.size(), 2u);
    for (const packet::Packet& p : got) {
        const packet::Key* k = p.get<packet::Key>();
        ASSERT_TRUE(k && k->secret);
        ASSERT_EQ(k->secret->fields.size(), 1u);
        EXPECT_EQ(k->secret->fields[0].data.size(), 32u);
    }
    const SecretBytes back = packet::write_packets_secret(got);
    EXPECT_EQ(Bytes(back.begin(), back.end()), bin);
}

}  // namespace
}  // namespace pgpkit::armor
