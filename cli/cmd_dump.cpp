// `pgpkit dump`: list every packet with offsets, header form, lengths and fields.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/input.h"
#include "cli/output.h"
#include "cli/render.h"
#include "packet/parser.h"
#include "packet/source.h"

namespace pgpkit::cli {

namespace {

struct DumpOptions {
    std::string input = "-";
    bool json = false;
    RenderOptions render;
    InputOptions in;
};

int run_dump(const DumpOptions& opt) {
    Output out(1);
    std::unique_ptr<PacketRenderer> r =
        opt.json ? make_json_renderer(out, opt.render) : make_text_renderer(out, opt.render);
    r->begin();
    try {
        packet::FdSource file(opt.input);
        render_input(file, opt.in, *r);
    } catch (const Error& e) {
        r->finish();
        out.flush();
        std::fprintf(stderr, "pgpkit: error: %s\n", e.what());
        return 2;
    }
    r->finish();
    out.flush();
    return 0;
}

}  // namespace

void register_dump(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<DumpOptions>();
    auto* cmd = app.add_subcommand("dump", "List the packets of OpenPGP data (binary or armored)");
    cmd->footer("Example: pgpkit dump --hex --mpis alice.pub.asc");
    cmd->add_option("file", opt->input, "Input file, or - for standard input")->capture_default_str();
    cmd->add_flag("--json", opt->json, "One JSON array of packet objects");
    cmd->add_flag("--hex", opt->render.hex, "Show the bytes of each header and field");
    cmd->add_flag("--mpis", opt->render.mpis, "Show MPI and key values");
    cmd->add_flag("--secrets", opt->render.secrets, "With --mpis, show secret key values too");
    add_input_options(*cmd, opt->in);
    cmd->callback([opt, &exit_code] { exit_code = run_dump(*opt); });
}

}  // namespace pgpkit::cli
