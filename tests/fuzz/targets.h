#pragma once
// The checks behind the libFuzzer entry points, shared with the GoogleTest that replays
// every input under tests/data/fuzz/ (HOUSE-STYLE rule 27). Each returns normally for
// any input; a broken invariant aborts.

#include <cstdint>
#include <cstdlib>

#include "armor/armor.h"
#include "packet/describe.h"
#include "packet/parser.h"

namespace pgpkit::fuzz {

class NullSink final : public packet::FieldSink {
public:
    void number(std::string_view, std::uint64_t, ByteView) override {}
    void named(std::string_view, std::uint64_t, std::string_view, ByteView) override {}
    void text(std::string_view, std::string_view, ByteView) override {}
    void hex(std::string_view, ByteView, ByteView) override {}
    void boolean(std::string_view, bool, ByteView) override {}
    void time(std::string_view, std::uint32_t, ByteView) override {}
    void mpi(std::string_view, std::uint16_t, ByteView, bool, ByteView) override {}
    void length_of(std::string_view, std::uint64_t, ByteView) override {}
    void begin_object(std::string_view) override {}
    void end_object() override {}
    void begin_list(std::string_view) override {}
    void end_list() override {}
};

/** Stream-parse with descent and describe every packet; then parse -> write == input. */
inline void parse_one(ByteView in) {
    packet::ParseOptions opt;
    opt.limits.decompression.max_output = std::uint64_t{64} << 20;
    try {
        packet::MemorySource src(in);
        packet::PacketParser parser(src, opt);
        NullSink sink;
        while (auto p = parser.next()) packet::describe(*p, sink);
    } catch (const Error&) {
    }
    try {
        auto tree = packet::parse_lossless(in, opt);
        if (packet::write_packets(tree) != Bytes(in.begin(), in.end())) std::abort();
        auto again = packet::parse_lossless(packet::write_packets_canonical(tree), opt);
        (void)again;
    } catch (const Error&) {
    }
}

/** Dearmor every block, then parse what came out. */
inline void dearmor_one(ByteView in) {
    try {
        for (const auto& block : armor::decode_all(in)) parse_one(block.data);
    } catch (const Error&) {
    }
}

}  // namespace pgpkit::fuzz
