// `pgpkit vectors`: writes the reproducible test-vector suite of message/vectors.h into a
// folder: each file, its `dump --json` (FILE.dump.json) and MANIFEST.tsv.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/atomic_file.h"
#include "base/error.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/render.h"
#include "message/vectors.h"
#include "packet/source.h"

namespace pgpkit::cli {

namespace {

struct VectorsCmdOptions {
    std::string out;
    std::string seed;
    std::string only;
};

SecretBytes decode_hex_seed(const std::string& hex) {
    if (hex.size() % 2 != 0) throw Error(Errc::Usage, 0, "--seed wants an even number of hex digits");
    SecretBytes out;
    auto v = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        throw Error(Errc::Usage, 0, "--seed wants hex digits, got '" + std::string(1, c) + "'");
    };
    for (std::size_t i = 0; i < hex.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(v(hex[i]) * 16 + v(hex[i + 1])));
    return out;
}

/** `pgpkit dump --json` of one file (with its dump options) into `json`; "ok" or "error: ...". */
std::string dump_json(const message::VectorFile& f, std::string& json) {
    InputOptions in;
    in.parse.strict = f.strict;
    in.parse.gnupg_chunked = f.gnupg_chunked;
    std::string result = "ok";
    {
        Output out(json);
        std::unique_ptr<PacketRenderer> r = make_json_renderer(out, RenderOptions{});
        r->begin();
        try {
            packet::MemorySource src(ByteView(f.data.data(), f.data.size()));
            render_input(src, in, *r);
        } catch (const Error& e) {
            result = std::string("error: ") + e.what();
        }
        r->finish();
        out.flush();
    }
    return result;
}

int run_vectors(const VectorsCmdOptions& o) {
    message::VectorOptions vo;
    if (!o.seed.empty()) vo.seed = decode_hex_seed(o.seed);
    if (!o.only.empty()) vo.only = message::parse_vector_group(o.only);
    const std::vector<message::VectorFile> files = message::make_vectors(vo);
    std::error_code ec;
    std::filesystem::create_directories(o.out, ec);
    if (ec) throw Error(Errc::Io, 0, "cannot create " + o.out + ": " + ec.message());
    std::vector<std::string> results;
    std::size_t accept = 0;
    for (const message::VectorFile& f : files) {
        const std::string path = o.out + "/" + f.name;
        write_file_atomically(path, ByteView(f.data.data(), f.data.size()),
                              f.secret ? FileMode::Secret : FileMode::Public);
        std::string json;
        results.push_back(dump_json(f, json));
        write_file_atomically(path + ".dump.json", as_bytes(json), f.secret ? FileMode::Secret : FileMode::Public);
        accept += f.accept;
    }
    write_file_atomically(o.out + "/MANIFEST.tsv", as_bytes(message::manifest_tsv(files, results)));
    std::printf("pgpkit vectors: %zu files in %s (%zu accept, %zu reject), MANIFEST.tsv\n", files.size(), o.out.c_str(),
                accept, files.size() - accept);
    return 0;
}

}  // namespace

void register_vectors(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<VectorsCmdOptions>();
    auto* cmd = app.add_subcommand("vectors", "Write a reproducible suite of OpenPGP test vectors with MANIFEST.tsv");
    cmd->footer(
        "Example: pgpkit vectors --out vectors --seed 000102030405060708090a0b0c0d0e0f --only framing\n"
        "Groups: keys, framing, legacy, negatives. The same seed writes the same bytes.");
    cmd->add_option("--out", o->out, "Folder to write the files, their .dump.json and MANIFEST.tsv into")->required();
    cmd->add_option("--seed", o->seed, "Hex seed of at least 16 octets (default: \"pgpkit vectors 1\" in ASCII)");
    cmd->add_option("--only", o->only, "Only this group: keys, framing, legacy or negatives")
        ->check(CLI::IsMember({"keys", "framing", "legacy", "negatives"}));
    cmd->callback([o, &exit_code] { exit_code = run_vectors(*o); });
}

}  // namespace pgpkit::cli
