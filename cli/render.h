#pragma once
// Renderers of packet descriptions for `pgpkit dump`: text (like gpg --list-packets with
// header details), JSON (DESIGN.md contract) and, in text, --hex byte columns.

#include <memory>

#include "cli/input.h"
#include "cli/output.h"
#include "packet/packet.h"

namespace pgpkit::cli {

struct RenderOptions {
    bool hex = false;      ///< show the bytes of each header and field
    bool mpis = false;     ///< show MPI and key values
    bool secrets = false;  ///< show secret values too (needs mpis)
};

/** Streams packets from a PacketParser (containers, then children, then EndOfContainer). */
class PacketRenderer {
public:
    virtual ~PacketRenderer() = default;
    virtual void begin() = 0;
    virtual void packet(const packet::Packet& p, bool opens_container) = 0;
    /** `end` carries the container's completed header. */
    virtual void end_container(const packet::Packet& end) = 0;
    /** Armor block information, before the packets of that block. */
    virtual void armor(std::string_view label, const std::vector<std::pair<std::string, std::string>>& headers) = 0;
    virtual void finish() = 0;
};

std::unique_ptr<PacketRenderer> make_text_renderer(Output& out, RenderOptions opt);
std::unique_ptr<PacketRenderer> make_json_renderer(Output& out, RenderOptions opt);

/**
 * Feeds every packet of `input` (binary or armored) to `r`, between the caller's
 * begin() and finish(). Throws pgpkit::Error like for_each_packet.
 */
void render_input(packet::Source& input, const InputOptions& opt, PacketRenderer& r);

}  // namespace pgpkit::cli
