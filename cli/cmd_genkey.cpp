// pgpkit gen-key: unattended key generation from a GnuPG parameter file (modelled on
// gpg --batch --gen-key). Status lines follow GnuPG's doc/DETAILS.

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "armor/armor.h"
#include "base/atomic_file.h"
#include "cert/cert.h"
#include "cli/commands.h"
#include "cli/home.h"
#include "cli/output.h"
#include "cli/status.h"
#include "cli/trust_options.h"
#include "crypto/rng.h"
#include "base/secret.h"
#include "keygen/generate.h"
#include "keygen/pool.h"
#include "keygen/params.h"
#include "keygen/revoke.h"
#include "keyring/import.h"
#include "keyring/store.h"
#include "trust/ownertrust.h"
#include "trust/trustdb.h"
#include "packet/source.h"
#include "base/error.h"

namespace pgpkit::cli {

namespace {

struct GenKeyOptions {
    bool batch = false;     ///< accepted as gpg users type it; gen-key is always unattended
    std::string params;     ///< the parameter file; empty or "-": standard input
    StatusOptions status;
    std::string seed;
    bool armor = false;
    std::string output;
    unsigned jobs = 1;
    std::vector<std::string> secret_keyrings;
    bool import = false;    ///< into the store, with a revocation certificate, as gpg
    std::string home;
};

/** The parameter file holds passphrases, so it is read into secure memory. */
SecretBytes read_params(const std::string& path) {
    if (path.empty() || path == "-") return SecretBytes(std::istreambuf_iterator<char>(std::cin), {});
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(Errc::Io, 0, "cannot open parameter file " + path);
    return SecretBytes(std::istreambuf_iterator<char>(in), {});
}

/** A keyring that may hold secret keys, read into secure memory; nullopt if it cannot be opened. */
std::optional<SecretBytes> read_existing(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return SecretBytes(std::istreambuf_iterator<char>(in), {});
}

SecretBytes decode_seed(const std::string& hex) {
    if (hex.size() % 2 != 0) throw Error(Errc::Usage, 0, "--seed wants an even number of hex digits");
    SecretBytes out;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        auto v = [&](char c) -> int {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            throw Error(Errc::Usage, 0, "--seed wants hex digits, got '" + std::string(1, c) + "'");
        };
        out.push_back(static_cast<std::uint8_t>(v(hex[i]) * 16 + v(hex[i + 1])));
    }
    return out;
}

/** Status lines through the one writer, progress characters on stderr. Thread-safe. */
class Reporter final : public keygen::ProgressSink {
public:
    explicit Reporter(const StatusOptions& opt) : m_status(opt) {}

    void progress(const char* what, char c) override {
        std::lock_guard<std::mutex> lock(m_mu);
        std::fputc(c, stderr);
        std::fflush(stderr);
        m_dirty = true;
        m_status.write("PROGRESS", {what, std::string(1, c), "0", "0"});
    }
    void status(std::string keyword, std::vector<std::string> args) { m_status.write(std::move(keyword), std::move(args)); }
    void message(const std::string& text) {
        std::lock_guard<std::mutex> lock(m_mu);
        if (m_dirty) std::fputc('\n', stderr);
        m_dirty = false;
        std::fprintf(stderr, "pgpkit: %s\n", text.c_str());
    }

private:
    StatusWriter m_status;
    std::mutex m_mu;
    bool m_dirty = false;
};

/** GnuPG writes the handle with white space turned into '_', at most 100 characters. */
std::vector<std::string> status_handle(const std::string& handle, std::vector<std::string> args = {}) {
    std::string h = handle.substr(0, 100);
    std::replace_if(h.begin(), h.end(), [](char c) { return c == ' ' || c == '\t'; }, '_');
    if (!h.empty()) args.push_back(h);
    return args;
}

/** A keyring for Key-Grip lookups, dearmored if armored. */
keygen::KeyringFile load_keyring(const std::string& path, SecretBytes contents, bool for_all_blocks) {
    keygen::KeyringFile f;
    f.name = path;
    f.for_all_blocks = for_all_blocks;
    if (!armor::looks_armored(contents)) {
        f.data = std::move(contents);
        return f;
    }
    try {
        std::vector<armor::Block> blocks = armor::decode_all(contents);
        for (armor::Block& b : blocks) {
            f.data.insert(f.data.end(), b.data.begin(), b.data.end());
            wipe(b.data.data(), b.data.size());
        }
    } catch (const Error&) {
        f.data.clear();  // not a keyring: the lookup will not find the grip in it
    }
    return f;
}

/**
 * The secret keyrings Key-Grip blocks search: every --secret-keyring (which must exist) and
 * each block's %secring as it is before this run (a missing one holds no keys).
 */
std::vector<keygen::KeyringFile> load_keyrings(const GenKeyOptions& opt, const std::vector<keygen::Item>& items) {
    std::vector<keygen::KeyringFile> out;
    for (const std::string& path : opt.secret_keyrings) {
        auto text = read_existing(path);
        if (!text) throw Error(Errc::Io, 0, "cannot open secret keyring " + path);
        out.push_back(load_keyring(path, std::move(*text), true));
    }
    for (const keygen::Item& it : items) {
        const auto* b = std::get_if<keygen::KeyBlock>(&it);
        if (!b || b->secring.empty()) continue;
        bool grips = b->grip.has_value();
        for (const keygen::SubkeySpec& s : b->subkeys) grips = grips || s.grip.has_value();
        if (!grips) continue;
        if (std::any_of(out.begin(), out.end(), [&](const auto& f) { return f.name == b->secring; })) continue;
        if (auto text = read_existing(b->secring)) out.push_back(load_keyring(b->secring, std::move(*text), false));
    }
    return out;
}

/**
 * gpg's way of keeping a new key: into the store, and its revocation certificate (reason
 * unspecified, dated at creation) into <home>/openpgp-revocs.d.
 */
class StoreWriter {
public:
    StoreWriter(const std::string& home, Reporter& rep)
        : m_home(home), m_store(open_store(home)), m_rep(rep),
          m_importer(*m_store, {}, events(rep)) {}

    void keep(const keygen::KeyBlock& b, const keygen::GeneratedKey& k, crypto::Rng& rng) {
        packet::MemorySource src(ByteView(k.secret_key.data(), k.secret_key.size()));
        m_importer.read(src, "the new key");
        const cert::Tsk tsk =
            cert::read_all_certs(ByteView(k.secret_key.data(), k.secret_key.size())).at(0);
        keygen::RevocationRequest req{keygen::RevocationReason::Unspecified, {}, tsk.key().created};
        const Bytes rev = keygen::revoke_primary(tsk, b.passphrase, req, rng);
        const std::string path = keyring::save_revocation_certificate(
            m_home, k.fingerprint, keygen::revocation_text(rev, keygen::revocation_key_lines(tsk), true));
        m_rep.message("revocation certificate stored as '" + path + "'");
        m_new.push_back(k.fingerprint);
    }
    /** Commits the import; then, as gpg, the new keys get ultimate ownertrust. */
    void finish() {
        (void)m_importer.finish();
        const std::string path = trustdb_path(TrustCliOptions{}, m_home, true);
        trust::Trustdb db = std::filesystem::exists(path) ? trust::Trustdb::load(path)
                                                          : trust::Trustdb::create(static_cast<std::uint32_t>(std::time(nullptr)));
        bool changed = !std::filesystem::exists(path);
        for (const Bytes& fpr : m_new) {
            if (fpr.size() != 20) continue;  // gpg 2.2's trustdb holds v4 fingerprints only
            changed = db.set_ownertrust(fpr, static_cast<std::uint8_t>(trust::TrustLevel::Ultimate)) || changed;
            m_rep.message("key " + to_hex(ByteView(fpr).last(8)) + " marked as ultimately trusted");
        }
        if (changed) db.save(path);
    }

private:
    static keyring::ImportEvents events(Reporter& rep) {
        keyring::ImportEvents ev;
        ev.error = [&rep](const std::string& line) { rep.message("error: " + line); };
        return ev;
    }
    std::string m_home;
    std::unique_ptr<keyring::Store> m_store;
    Reporter& m_rep;
    keyring::Importer m_importer;
    std::vector<Bytes> m_new;
};

int run_genkey(const GenKeyOptions& opt) {
    const SecretBytes text = read_params(opt.params);
    const bool from_stdin = opt.params.empty() || opt.params == "-";
    const std::vector<keygen::Item> items = keygen::parse_params(as_text(text), from_stdin ? "stdin" : opt.params);
    Reporter rep(opt.status);
    crypto::Rng rng = crypto::Rng::system();
    if (!opt.seed.empty()) {
        rng = crypto::Rng::seeded(decode_seed(opt.seed));
        rep.message("warning: --seed makes keys reproducible from the seed; use them as test vectors only");
    }
    keygen::GenerateOptions go;
    go.now = static_cast<std::uint32_t>(std::time(nullptr));
    go.keyrings = load_keyrings(opt, items);

    std::vector<const keygen::KeyBlock*> todo;
    for (const keygen::Item& it : items)
        if (const auto* b = std::get_if<keygen::KeyBlock>(&it); b && !b->error && !b->dry_run) todo.push_back(b);
    keygen::BlockPool pool(todo, rng, &rep, go, opt.jobs);
    std::optional<StoreWriter> store;
    if (opt.import) store.emplace(opt.home, rep);

    int rc = 0;
    SecretBytes stdout_keys;
    std::size_t next = 0;
    for (const keygen::Item& it : items) {
        if (const auto* m = std::get_if<keygen::Message>(&it)) {
            rep.message(m->text);
            continue;
        }
        const auto& b = std::get<keygen::KeyBlock>(it);
        if (b.error) {
            rep.message(*b.error);
            rep.status("KEY_NOT_CREATED", status_handle(b.handle));
            rc = 2;
            continue;
        }
        if (b.dry_run) {
            rep.message("dry-run mode - key generation skipped");
            continue;
        }
        keygen::BlockResult r = pool.take(next++);
        if (!r.key) {
            rep.message(r.error);
            rep.status("KEY_NOT_CREATED", status_handle(b.handle));
            rc = 2;
            continue;
        }
        const keygen::GeneratedKey& k = *r.key;
        if (!b.pubring.empty()) append_file_atomically(b.pubring, k.public_key, FileMode::Public);
        if (!b.secring.empty()) append_file_atomically(b.secring, k.secret_key, FileMode::Secret);
        if (store) store->keep(b, k, rng);
        else if (b.secring.empty()) stdout_keys.insert(stdout_keys.end(), k.secret_key.begin(), k.secret_key.end());
        rep.message("key " + to_hex(k.fingerprint) + " created");
        rep.status("KEY_CREATED", status_handle(b.handle, {std::string(1, k.created_type()), to_hex(k.fingerprint)}));
    }
    if (store) store->finish();
    if (!stdout_keys.empty())
        write_keys(opt.output, stdout_keys, opt.armor, "PRIVATE KEY BLOCK", FileMode::Secret);
    return rc;
}

constexpr const char* genkey_footer = R"(Examples:
  pgpkit gen-key --batch keys.param -o secret.pgp
  pgpkit gen-key --batch --import keys.param
  pgpkit gen-key --batch < keys.param > secret.pgp

Differences from gpg --batch --gen-key, on purpose:
  A bad line (unknown keyword, missing argument, bad value) spoils only its own block:
  pgpkit reports it with file and line, writes KEY_NOT_CREATED for that block, goes on
  with the next block and exits 2 at the end. gpg stops reading the whole file.)";

}  // namespace

void register_genkey(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<GenKeyOptions>();
    auto* cmd = app.add_subcommand("gen-key", "Unattended key generation from a GnuPG parameter file");
    cmd->add_flag("--batch", opt->batch, "Unattended, as with gpg --batch --gen-key (gen-key always is)");
    cmd->add_option("file", opt->params, "Parameter file (GnuPG's unattended format); - or none: stdin");
    add_status_options(cmd, opt->status);
    cmd->add_option("--seed", opt->seed, "Deterministic generation from this hex seed (test vectors only)");
    cmd->add_flag("--armor", opt->armor, "ASCII-armor the secret keys written to stdout or --output");
    cmd->add_option("-o,--output", opt->output, "Write the secret keys to this file (0600) instead of stdout");
    cmd->add_option("--secret-keyring", opt->secret_keyrings,
                    "Secret keyring (binary or armored) Key-Grip and Subkey-Grip take keys from; repeatable");
    cmd->add_option("--jobs", opt->jobs, "Generate up to N blocks in parallel (output keeps file order)")
        ->check(CLI::Range(1u, 256u));
    cmd->add_flag("--import", opt->import,
                  "Import the keys into the store, as gpg does, with a revocation certificate each in "
                  "HOME/openpgp-revocs.d (blocks without %secring)");
    add_home_option(cmd, opt->home);
    cmd->footer(genkey_footer);
    cmd->callback([opt, &exit_code] { exit_code = run_genkey(*opt); });
}

}  // namespace pgpkit::cli
