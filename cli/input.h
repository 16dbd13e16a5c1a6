#pragma once
// Reading OpenPGP input for the CLI: file or stdin, binary or armored (detected by
// content), through the packet parser, with the parser's limits as options.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "packet/parser.h"

namespace CLI {
class App;
}

namespace pgpkit::cli {

struct InputOptions {
    packet::ParseOptions parse;
};

/** Adds --strict, --gnupg-chunked, --no-descend and the limit flags. */
void add_input_options(CLI::App& cmd, InputOptions& opt);

struct InputEvent {
    enum Kind { Armor, PacketStart, ContainerEnd } kind = PacketStart;
    const packet::Packet* packet = nullptr;
    bool opens_container = false;
    std::string armor_label;
    std::vector<std::pair<std::string, std::string>> armor_headers;
};

/**
 * Parses `input` (a file, standard input, or memory for tests and fuzzers) in streaming
 * fashion and calls `fn` for every event. Armored input (each block in turn) is detected
 * by content. Throws pgpkit::Error.
 */
void for_each_packet(packet::Source& input, const InputOptions& opt,
                     const std::function<void(const InputEvent&)>& fn);

}  // namespace pgpkit::cli
