// `pgpkit reframe`: the packets of the input with another CTB format or length form, every
// body octet kept (packet/reframe.h). Test vectors of odd framing start here.

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <memory>

#include "armor/input.h"
#include "base/atomic_file.h"
#include "base/error.h"
#include "cli/commands.h"
#include "packet/reframe.h"
#include "packet/source.h"

namespace pgpkit::cli {

namespace {

struct ReframeCmdOptions {
    std::string input = "-";
    std::string output;
    std::string ctb;
    std::string length;
    std::string packets;
    bool allow_invalid = false;
    bool gnupg_chunked = false;
};

packet::ReframeOptions options_of(const ReframeCmdOptions& o) {
    packet::ReframeOptions r;
    if (o.ctb == "old") r.ctb = packet::CtbFormat::Old;
    else if (o.ctb == "new") r.ctb = packet::CtbFormat::New;
    if (!o.length.empty()) packet::parse_length_spec(o.length, r);
    if (!o.packets.empty()) r.packets = packet::parse_packet_ranges(o.packets);
    r.allow_invalid = o.allow_invalid;
    return r;
}

void write_all(int fd, ByteView data) {
    for (std::size_t done = 0; done < data.size();) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) throw Error(Errc::Io, done, "cannot write the output");
        done += static_cast<std::size_t>(n);
    }
}

int run_reframe(const ReframeCmdOptions& o) {
    const packet::ReframeOptions opt = options_of(o);
    packet::FdSource src(o.input);
    packet::ParseOptions po;
    po.gnupg_chunked = o.gnupg_chunked;
    const auto packets = armor::read_top_level(src, po);
    const SecretBytes out = packet::reframe(packets, opt);
    const ByteView data(out.data(), out.size());
    if (o.output.empty()) write_all(1, data);
    else write_output_file(o.output, data, FileMode::Secret);
    return 0;
}

}  // namespace

void register_reframe(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<ReframeCmdOptions>();
    auto* cmd = app.add_subcommand("reframe", "Re-encode packet framing (CTB format, length form), bodies kept");
    cmd->footer("Example: pgpkit reframe --ctb new --length partial:512 message.pgp > vector.pgp");
    cmd->add_option("file", o->input, "Input file (binary or armored), or - for stdin (default)");
    cmd->add_option("--output,-o", o->output, "Write to this file (mode 0600) instead of stdout");
    cmd->add_option("--ctb", o->ctb, "old or new (default: each packet's own)")->check(CLI::IsMember({"old", "new"}));
    cmd->add_option("--length", o->length,
                    "minimal, one, two, four, five, partial:N, partial:random:SEED, indeterminate, gnupg-chunked[:N]");
    cmd->add_option("--packets", o->packets, "Reframe only these top-level packets (dump's #numbers: 0-3,7)");
    cmd->add_flag("--allow-invalid", o->allow_invalid, "Write forms RFC 9580 forbids (negative test vectors)");
    cmd->add_flag("--gnupg-chunked-input", o->gnupg_chunked, "Read old length type 3 as GnuPG's chunked form");
    cmd->callback([o, &exit_code] { exit_code = run_reframe(*o); });
}

}  // namespace pgpkit::cli
