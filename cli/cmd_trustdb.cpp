// `pgpkit trustdb dump`, `export-ownertrust`, `import-ownertrust`, `import-trustdb`:
// GnuPG's trustdb.gpg and its ownertrust text format (trust/).

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/time.h"
#include "cli/commands.h"
#include "cli/home.h"
#include "cli/output.h"
#include "cli/trust_options.h"
#include "keyring/store.h"
#include "trust/ownertrust.h"
#include "trust/trustdb.h"

namespace pgpkit::cli {

namespace {

struct TrustdbCmdOptions {
    std::string home;
    std::string trustdb;  ///< --trustdb FILE: used in place of the home's
    std::string input;    ///< FILE of import-ownertrust / import-trustdb / trustdb dump
    std::string output;
    std::string faked_time;
    bool json = false;
};

struct FileCloser {
    void operator()(std::FILE* f) const noexcept {
        if (f != stdin) std::fclose(f);
    }
};

Bytes read_input(const std::string& path) {
    std::unique_ptr<std::FILE, FileCloser> f(path == "-" ? stdin : std::fopen(path.c_str(), "rb"));
    if (!f) throw Error(Errc::Io, 0, path + ": cannot open: " + std::strerror(errno));
    Bytes data;
    std::uint8_t buf[65536];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f.get())) > 0;) data.insert(data.end(), buf, buf + n);
    if (std::ferror(f.get())) throw Error(Errc::Io, 0, path + ": read error: " + std::strerror(errno));
    return data;
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

/** --trustdb FILE, else <home>/trustdb.gpg (the home is created only when `create`). */
std::string trustdb_path(const TrustdbCmdOptions& opt, bool create) {
    if (!opt.trustdb.empty()) return opt.trustdb;
    return keyring::resolve_home(opt.home, create) + "/trustdb.gpg";
}

void add_common(CLI::App* cmd, TrustdbCmdOptions& opt) {
    add_home_option(cmd, opt.home);
    cmd->add_option("--trustdb", opt.trustdb, "Use this trustdb.gpg in place of <home>/trustdb.gpg");
}

// --- dump -----------------------------------------------------------------------------

/** One line per record: "N: type name=value ...". */
class TextSink final : public packet::FieldSink {
public:
    explicit TextSink(std::string& line) : m_line(line) { set_wants_wire(false); }
    void number(std::string_view n, std::uint64_t v, ByteView) override { field(n, std::to_string(v)); }
    void named(std::string_view n, std::uint64_t v, std::string_view meaning, ByteView) override {
        field(n, std::to_string(v) + " (" + std::string(meaning) + ")");
    }
    void text(std::string_view n, std::string_view v, ByteView) override { field(n, std::string(v)); }
    void hex(std::string_view n, ByteView v, ByteView) override { field(n, to_hex(v)); }
    void boolean(std::string_view n, bool v, ByteView) override { field(n, v ? "yes" : "no"); }
    void time(std::string_view n, std::uint32_t t, ByteView) override {
        field(n, t == 0 ? std::string("0") : format_iso8601(t));
    }
    void mpi(std::string_view n, std::uint16_t, ByteView v, bool, ByteView) override { field(n, to_hex(v)); }
    void length_of(std::string_view n, std::uint64_t o, ByteView) override { field(n, std::to_string(o)); }
    void begin_object(std::string_view n) override { open(n, '{'); }
    void end_object() override { close('}'); }
    void begin_list(std::string_view n) override { open(n, '['); }
    void end_list() override { close(']'); }

private:
    void sep() {
        if (!m_fresh) m_line += ' ';
        m_fresh = false;
    }
    void field(std::string_view n, const std::string& v) {
        sep();
        if (!n.empty()) m_line.append(n).append("=");
        m_line += v;
    }
    void open(std::string_view n, char c) {
        sep();
        if (!n.empty()) m_line.append(n).append("=");
        m_line += c;
        m_fresh = true;
    }
    void close(char c) {
        m_line += c;
        m_fresh = false;
    }
    std::string& m_line;
    bool m_fresh = true;
};

/** The fields of a record as members of a JSON object. */
class JsonSink final : public packet::FieldSink {
public:
    explicit JsonSink(nlohmann::ordered_json& top) { m_stack.push_back(&top); set_wants_wire(false); }
    void number(std::string_view n, std::uint64_t v, ByteView) override { put(n, v); }
    void named(std::string_view n, std::uint64_t v, std::string_view meaning, ByteView) override {
        put(n, v);
        if (!n.empty()) put(std::string(n) + "_name", std::string(meaning));
    }
    void text(std::string_view n, std::string_view v, ByteView) override { put(n, std::string(v)); }
    void hex(std::string_view n, ByteView v, ByteView) override { put(n, to_hex(v)); }
    void boolean(std::string_view n, bool v, ByteView) override { put(n, v); }
    void time(std::string_view n, std::uint32_t t, ByteView) override { put(n, t); }
    void mpi(std::string_view n, std::uint16_t, ByteView v, bool, ByteView) override { put(n, to_hex(v)); }
    void length_of(std::string_view n, std::uint64_t o, ByteView) override { put(n, o); }
    void begin_object(std::string_view n) override { push(n, nlohmann::ordered_json::object()); }
    void end_object() override { m_stack.pop_back(); }
    void begin_list(std::string_view n) override { push(n, nlohmann::ordered_json::array()); }
    void end_list() override { m_stack.pop_back(); }

private:
    void put(std::string_view n, nlohmann::ordered_json v) {
        nlohmann::ordered_json& top = *m_stack.back();
        if (top.is_array()) top.push_back(std::move(v));
        else top[std::string(n)] = std::move(v);
    }
    void push(std::string_view n, nlohmann::ordered_json v) {
        nlohmann::ordered_json& top = *m_stack.back();
        if (top.is_array()) {
            top.push_back(std::move(v));
            m_stack.push_back(&top.back());
        } else {
            top[std::string(n)] = std::move(v);
            m_stack.push_back(&top[std::string(n)]);
        }
    }
    std::vector<nlohmann::ordered_json*> m_stack;
};

std::string type_name(const trust::Record& r) {
    const char* name = trust::record_type_name(r.type());
    return name ? name : "unknown";
}

int run_dump(const TrustdbCmdOptions& opt) {
    const std::string path = opt.input.empty() ? trustdb_path(opt, false) : opt.input;
    const Bytes data = read_input(path);
    Output out;
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    auto each = [&](const trust::Record& r) {
        if (opt.json) {
            nlohmann::ordered_json o = {{"number", r.number}, {"type", static_cast<unsigned>(r.type())}, {"type_name", type_name(r)}};
            JsonSink sink(o);
            trust::describe_record(r, sink);
            all.push_back(std::move(o));
            return;
        }
        std::string line = std::to_string(r.number) + ": " + type_name(r);
        std::string fields;
        TextSink sink(fields);
        trust::describe_record(r, sink);
        if (!fields.empty()) line += " " + fields;
        out.put(line).put('\n');
    };
    // One record per line, in one JSON array.
    auto finish = [&] {
        if (opt.json) {
            out.put("[");
            for (std::size_t i = 0; i < all.size(); ++i) out.put(i ? ",\n " : "\n ").put(all[i].dump());
            out.put("\n]\n");
        }
        out.flush();
    };
    try {
        trust::for_each_record(data, each);
        finish();
    } catch (const Error& e) {
        finish();
        throw Error(e.kind(), e.offset(), path + ": " + e.detail());
    }
    // The records decode; now the structure gpg relies on (one error line if it is broken).
    try {
        (void)trust::Trustdb::parse(data);
    } catch (const Error& e) {
        throw Error(e.kind(), e.offset(), path + ": " + e.detail());
    }
    return 0;
}

// --- ownertrust and import ----------------------------------------------------------------

int run_export_ownertrust(const TrustdbCmdOptions& opt) {
    std::string path = opt.trustdb;
    if (path.empty()) {
        // No home yet means no ownertrust: the export is the header alone, as gpg's.
        try {
            path = trustdb_path(opt, false);
        } catch (const Error&) {
        }
    }
    std::vector<trust::OwnertrustEntry> entries;
    if (!path.empty() && exists(path)) entries = trust::Trustdb::load(path).ownertrust_entries();
    const std::string text = trust::format_ownertrust(entries, faked_now(opt.faked_time));
    if (!opt.output.empty()) {
        write_output_file(opt.output, as_bytes(text));
        return 0;
    }
    Output out;
    out.put(text);
    out.flush();
    return 0;
}

int run_import_ownertrust(const TrustdbCmdOptions& opt) {
    const std::string input = opt.input.empty() ? std::string("-") : opt.input;
    const Bytes text = read_input(input);
    std::vector<trust::OwnertrustEntry> entries;
    try {
        entries = trust::parse_ownertrust(as_text(text));
    } catch (const Error& e) {
        throw Error(e.kind(), e.offset(), (input == "-" ? std::string("[stdin]") : input) + ": " + e.detail());
    }
    const std::string path = trustdb_path(opt, true);
    const auto now = static_cast<std::uint32_t>(faked_now(opt.faked_time));
    const bool had = exists(path);
    trust::Trustdb db = had ? trust::Trustdb::load(path) : trust::Trustdb::create(now);
    const std::size_t changed = db.import_ownertrust(entries);
    if (changed > 0 || !had) db.save(path);
    return 0;
}

int run_import_trustdb(const TrustdbCmdOptions& opt) {
    const Bytes data = read_input(opt.input);
    try {
        (void)trust::Trustdb::parse(data);
    } catch (const Error& e) {
        throw Error(e.kind(), e.offset(), opt.input + ": " + e.detail());
    }
    // The file is taken over as it is: gpg's own octets, now checked.
    write_file_atomically(trustdb_path(opt, true), data, FileMode::Secret);
    return 0;
}

}  // namespace

void register_trustdb(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<TrustdbCmdOptions>();
    auto* group = app.add_subcommand("trustdb", "GnuPG's trustdb.gpg");
    group->footer("Example: pgpkit trustdb dump --json ~/.gnupg/trustdb.gpg");
    group->require_subcommand(1);
    auto* dump = group->add_subcommand("dump", "List every record of a trustdb.gpg with its number, type and fields");
    dump->footer("Example: pgpkit trustdb dump ~/.gnupg/trustdb.gpg");
    dump->add_option("file", opt->input, "trustdb.gpg file (default: the home's, or --trustdb)");
    dump->add_flag("--json", opt->json, "One JSON array with an object per record");
    add_common(dump, *opt);
    dump->callback([opt, &exit_code] { exit_code = run_dump(*opt); });
}

void register_export_ownertrust(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<TrustdbCmdOptions>();
    auto* cmd = app.add_subcommand("export-ownertrust", "Write the ownertrust values in gpg's text format");
    cmd->footer("Example: pgpkit export-ownertrust -o otrust.txt");
    add_common(cmd, *opt);
    cmd->add_option("-o,--output", opt->output, "Write to FILE instead of standard output");
    cmd->add_option("--faked-system-time", opt->faked_time, "Time of the header comment (seconds or ISO, as gpg)");
    cmd->callback([opt, &exit_code] { exit_code = run_export_ownertrust(*opt); });
}

void register_import_ownertrust(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<TrustdbCmdOptions>();
    auto* cmd = app.add_subcommand("import-ownertrust", "Set ownertrust values from gpg's text format");
    cmd->footer("Example: gpg --export-ownertrust | pgpkit import-ownertrust");
    cmd->add_option("file", opt->input, "Ownertrust text, or - for stdin (default)");
    add_common(cmd, *opt);
    cmd->add_option("--faked-system-time", opt->faked_time, "Creation time of a new trustdb (seconds or ISO)");
    cmd->callback([opt, &exit_code] { exit_code = run_import_ownertrust(*opt); });
}

void register_import_trustdb(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<TrustdbCmdOptions>();
    auto* cmd = app.add_subcommand("import-trustdb", "Take over a gpg trustdb.gpg into the home (checked first)");
    cmd->footer("Example: pgpkit import-trustdb ~/.gnupg/trustdb.gpg");
    cmd->add_option("file", opt->input, "The trustdb.gpg to take over")->required();
    add_common(cmd, *opt);
    cmd->callback([opt, &exit_code] { exit_code = run_import_trustdb(*opt); });
}

}  // namespace pgpkit::cli
