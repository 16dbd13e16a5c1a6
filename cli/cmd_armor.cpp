// pgpkit armor / pgpkit dearmor: ASCII armor and back (modelled on gpg --enarmor/--dearmor).

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstring>
#include <string_view>
#include <utility>
#include <memory>
#include <string>
#include <vector>

#include "armor/armor.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/status.h"
#include "base/error.h"
#include "packet/source.h"

namespace pgpkit::cli {

namespace {

struct ArmorOptions {
    std::string input = "-";
    std::string label = "auto";
    std::vector<std::string> headers;
    bool crlf = false;
};

struct DearmorOptions {
    std::string input = "-";
    StatusOptions status;
};

constexpr std::size_t chunk_size = std::size_t{3} << 18;  // 768 KiB, a multiple of 48

constexpr std::pair<std::string_view, std::string_view> label_keywords[] = {
    {"message", "MESSAGE"},          {"cert", "PUBLIC KEY BLOCK"},
    {"public-key", "PUBLIC KEY BLOCK"}, {"key", "PRIVATE KEY BLOCK"},
    {"secret-key", "PRIVATE KEY BLOCK"}, {"sig", "SIGNATURE"},
    {"signature", "SIGNATURE"},      {"file", "ARMORED FILE"},
};

/** Maps --label keywords to armor labels; anything else is used literally. */
std::string resolve_label(const std::string& label, ByteView head) {
    if (label == "auto") return armor::label_for(head);
    for (auto [keyword, armor_label] : label_keywords)
        if (label == keyword) return std::string(armor_label);
    return label;
}

std::vector<armor::ArmorHeader> parse_headers(const std::vector<std::string>& specs) {
    std::vector<armor::ArmorHeader> out;
    for (const auto& s : specs) {
        auto colon = s.find(':');
        if (colon == std::string::npos)
            throw Error(Errc::Usage, 0, "--header wants KEY:VALUE, got \"" + s + "\"");
        std::string value = s.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        out.push_back({s.substr(0, colon), value});
    }
    return out;
}

int run_armor(const ArmorOptions& opt, Output& out) {
    packet::FdSource src(opt.input);
    Bytes buf(chunk_size);
    std::size_t got = src.read_full(buf);
    armor::EncodeOptions eo;
    eo.crlf = opt.crlf;
    armor::ArmorEncoder enc(resolve_label(opt.label, ByteView(buf).first(got)),
                            parse_headers(opt.headers), eo);
    std::string text;
    text.reserve(chunk_size / 3 * 4 + chunk_size / 24 + 4096);
    for (;;) {
        text.clear();
        if (got == 0) {
            enc.finish(text);
            out.put(text);
            break;
        }
        enc.update(ByteView(buf).first(got), text);
        out.put(text);
        got = src.read_full(buf);
    }
    out.flush();
    return 0;
}

int run_dearmor(const DearmorOptions& opt, Output& out) {
    StatusWriter status(opt.status);
    packet::FdSource src(opt.input);
    try {
        armor::DearmorSource dearmor(src);
        Bytes buf(std::size_t{1} << 20);
        do {
            for (;;) {
                std::size_t got = dearmor.read(buf);
                if (got == 0) break;
                out.put(as_text(ByteView(buf).first(got)));
            }
        } while (dearmor.next_block());
    } catch (const Error& e) {
        out.flush();
        // The armor error is what the command reports, even if the status line fails too.
        if (e.kind() == Errc::Armor || e.kind() == Errc::LimitExceeded) {
            try {
                status.write("BADARMOR");
            } catch (const Error&) {
            }
        }
        throw;
    }
    out.flush();
    return 0;
}

}  // namespace

void register_armor(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<ArmorOptions>();
    auto* cmd = app.add_subcommand("armor", "Convert binary OpenPGP data to ASCII armor");
    cmd->footer("Example: pgpkit armor --label \"PUBLIC KEY BLOCK\" key.pgp > key.asc");
    cmd->add_option("file", opt->input, "Input file, or - for stdin (default)");
    cmd->add_option("--label", opt->label,
                    "auto (from the first packet), message, cert, key, sig, file, "
                    "or a literal label such as \"MESSAGE, PART 1/2\"")
        ->capture_default_str();
    cmd->add_option("--header", opt->headers, "Armor header KEY:VALUE (repeatable, kept in order)")
        ->allow_extra_args(false);
    cmd->add_flag("--crlf", opt->crlf, "End lines with CRLF");
    cmd->callback([opt, &exit_code] {
        Output out(1);
        exit_code = run_armor(*opt, out);
    });
}

void register_dearmor(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<DearmorOptions>();
    auto* cmd = app.add_subcommand("dearmor", "Decode every ASCII-armored block of the input");
    cmd->footer("Example: pgpkit dearmor key.asc > key.pgp");
    cmd->add_option("file", opt->input, "Input file, or - for stdin (default)");
    add_status_options(cmd, opt->status);
    cmd->callback([opt, &exit_code] {
        Output out(1);
        exit_code = run_dearmor(*opt, out);
    });
}

}  // namespace pgpkit::cli
