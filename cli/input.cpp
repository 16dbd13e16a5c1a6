#include "cli/input.h"

#include <CLI/CLI.hpp>


namespace pgpkit::cli {

void add_input_options(CLI::App& cmd, InputOptions& opt) {
    packet::ParseOptions& p = opt.parse;
    cmd.add_flag("--strict", p.strict, "Reject non-conformant input (findings become errors)");
    cmd.add_flag("--gnupg-chunked", p.gnupg_chunked,
                 "Read old-format indeterminate lengths as GnuPG's chunked encoding (doc/DETAILS)");
    cmd.add_flag("!--no-descend", p.descend, "Do not parse the packets inside compressed data");
    cmd.add_option("--max-depth", p.limits.max_depth, "Maximum nesting of compressed data")->capture_default_str();
    cmd.add_option("--max-packet-size", p.limits.max_packet_size, "Maximum size of a non-data packet body")
        ->capture_default_str();
    cmd.add_option("--max-subpackets", p.limits.max_subpackets, "Maximum subpackets per area")->capture_default_str();
    cmd.add_option("--max-ratio", p.limits.decompression.max_ratio,
                   "Maximum decompression ratio (above 16 MiB of output)")
        ->capture_default_str();
    cmd.add_option("--max-decompressed", p.limits.decompression.max_output,
                   "Maximum decompressed octets per container (0: no limit)")
        ->capture_default_str();
}

void for_each_packet(packet::Source& input, const InputOptions& opt,
                     const std::function<void(const InputEvent&)>& fn) {
    armor::for_each_packet(input, opt.parse, fn);
}

}  // namespace pgpkit::cli
