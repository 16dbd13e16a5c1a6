// `pgpkit split` and `pgpkit join`: one file per top-level packet, and back, byte-exact
// (like gpgsplit).

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "base/atomic_file.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "packet/parser.h"
#include "packet/source.h"

namespace pgpkit::cli {

namespace {

/** Passes reads through and keeps a copy of every octet, so the raw packet is known. */
class CaptureSource final : public packet::Source {
public:
    explicit CaptureSource(packet::Source& in) : m_in(in) {}
    std::size_t read(std::span<std::uint8_t> buf) override {
        std::size_t n = m_in.read(buf);
        m_captured.insert(m_captured.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
        m_offset += n;
        return n;
    }
    Bytes take() {
        Bytes b;
        b.swap(m_captured);
        return b;
    }

private:
    packet::Source& m_in;
    Bytes m_captured;
};

/** gpgsplit's file name suffix for a tag. */
const char* split_name(packet::Tag tag) noexcept {
    using packet::Tag;
    switch (tag) {
    case Tag::Pkesk: return "pk_enc";
    case Tag::Signature: return "sig";
    case Tag::Skesk: return "symkey_enc";
    case Tag::OnePassSig: return "onepass_sig";
    case Tag::SecretKey: return "secret_key";
    case Tag::PublicKey: return "public_key";
    case Tag::SecretSubkey: return "secret_subkey";
    case Tag::CompressedData: return "compressed";
    case Tag::Sed: return "encrypted";
    case Tag::Marker: return "marker";
    case Tag::Literal: return "plaintext";
    case Tag::Trust: return "ring_trust";
    case Tag::UserId: return "user_id";
    case Tag::PublicSubkey: return "public_subkey";
    case Tag::UserAttribute: return "attribute";
    case Tag::Seipd: return "encrypted_mdc";
    case Tag::Mdc: return "mdc";
    case Tag::OcbEncrypted: return "aead_encrypted";
    case Tag::Padding: return "padding";
    default: return "unknown";
    }
}

struct SplitOptions {
    std::string input;
    std::string prefix;
    bool gnupg_chunked = false;
};

int run_split(const SplitOptions& opt) {
    packet::FdSource file(opt.input);
    CaptureSource src(file);
    packet::ParseOptions po;
    po.descend = false;
    po.gnupg_chunked = opt.gnupg_chunked;
    po.limits.max_packet_size = std::size_t{1} << 30;
    packet::PacketParser parser(src, po);
    std::size_t n = 0;
    while (auto p = parser.next()) {
        Bytes raw = src.take();
        char name[64];
        std::snprintf(name, sizeof name, "%06zu-%03u.%s", ++n, static_cast<unsigned>(p->tag()), split_name(p->tag()));
        const bool secret = p->tag() == packet::Tag::SecretKey || p->tag() == packet::Tag::SecretSubkey;
        write_file_atomically(opt.prefix + name, raw, secret ? FileMode::Secret : FileMode::Public);
    }
    return 0;
}

struct JoinOptions {
    std::vector<std::string> inputs;
    std::string output;
};

int run_join(const JoinOptions& opt) {
    std::string all;
    for (const std::string& path : opt.inputs) {
        Bytes b = packet::read_file(path);
        all.append(reinterpret_cast<const char*>(b.data()), b.size());
    }
    if (opt.output.empty() || opt.output == "-") {
        Output out(1);
        out.put(all);
        out.flush();
    } else {
        write_file_atomically(opt.output, as_bytes(all), FileMode::Secret);
    }
    return 0;
}

}  // namespace

void register_split(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<SplitOptions>();
    auto* cmd = app.add_subcommand("split", "Write one file per top-level packet (like gpgsplit)");
    cmd->footer("Example: pgpkit split --prefix part- alice.pub.asc");
    cmd->add_option("file", opt->input, "Input file, or - for standard input")->required();
    cmd->add_option("--prefix", opt->prefix, "Prefix of the output file names (may include a directory)");
    cmd->add_flag("--gnupg-chunked", opt->gnupg_chunked, "Read old-format indeterminate lengths as GnuPG chunks");
    cmd->callback([opt, &exit_code] { exit_code = run_split(*opt); });
}

void register_join(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<JoinOptions>();
    auto* cmd = app.add_subcommand("join", "Concatenate split packet files back, byte-exact");
    cmd->footer("Example: pgpkit join part-* -o alice.pgp");
    cmd->add_option("files", opt->inputs, "Packet files, in order")->required();
    cmd->add_option("-o,--output", opt->output, "Output file (default: standard output)");
    cmd->callback([opt, &exit_code] { exit_code = run_join(*opt); });
}

}  // namespace pgpkit::cli
