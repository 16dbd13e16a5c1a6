#pragma once
// Reading OpenPGP input for the CLI: file or stdin, binary or armored (detected by
// content), through the packet parser, with the parser's limits as options.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "armor/input.h"
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

using armor::InputEvent;

/** armor::for_each_packet with the command line's parse options. */
void for_each_packet(packet::Source& input, const InputOptions& opt,
                     const std::function<void(const InputEvent&)>& fn);

}  // namespace pgpkit::cli
