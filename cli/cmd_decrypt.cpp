// `pgpkit decrypt`: gpg --decrypt with secret keys of the store (or keyring files), a
// passphrase, or a given session key; gpg's status lines and notes.

#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "cert/cert.h"
#include "cli/commands.h"
#include "cli/home.h"
#include "cli/listing_sources.h"
#include "cli/passphrase.h"
#include "cli/status.h"
#include "cli/trust_options.h"
#include "cli/verify_render.h"
#include "keyring/store.h"
#include "message/decrypt.h"
#include "message/decrypt_keys.h"
#include "message/verify.h"
#include "packet/parser.h"
#include "packet/source.h"

namespace pgpkit::cli {

namespace {

struct DecryptCmdOptions {
    std::string home;
    std::vector<std::string> keyrings;
    std::string output;
    std::string input = "-";
    bool show_session_key = false;
    std::string override_session_key;
    PassphraseOptions pass;
    StatusOptions status;
    TrustCliOptions trust;
    packet::Limits limits;
};

/**
 * -o FILE: for a regular (or new) file, a temporary file beside it, renamed over it only
 * after the integrity check and removed otherwise. A device or a pipe (/dev/null, a FIFO)
 * is written in place: it is never replaced or removed.
 */
class OutputFile {
public:
    explicit OutputFile(const std::string& path) : m_path(path) {
        struct stat st {};
        const bool exists = ::stat(path.c_str(), &st) == 0;
        if (exists && !S_ISREG(st.st_mode)) {
            m_fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
            m_in_place = true;
        } else {
            m_tmp = path + ".tmp-XXXXXX";
            m_fd = ::mkstemp(m_tmp.data());
        }
        if (m_fd < 0) throw Error(Errc::Io, 0, "cannot create " + path + ": " + std::strerror(errno));
    }
    ~OutputFile() {
        if (m_fd >= 0) ::close(m_fd);
        if (!m_done && !m_in_place) ::unlink(m_tmp.c_str());
    }
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    int fd() const noexcept { return m_fd; }
    void commit() {
        const int fd = m_fd;
        m_fd = -1;
        bool ok = ::close(fd) == 0;
        if (!m_in_place) ok = ok && ::chmod(m_tmp.c_str(), 0644) == 0 && ::rename(m_tmp.c_str(), m_path.c_str()) == 0;
        if (!ok) throw Error(Errc::Io, 0, "cannot write " + m_path + ": " + std::strerror(errno));
        m_done = true;
    }

private:
    std::string m_path, m_tmp;
    int m_fd = -1;
    bool m_in_place = false;
    bool m_done = false;
};

std::unique_ptr<message::SecretKeySource> key_source(const DecryptCmdOptions& opt,
                                                     std::unique_ptr<keyring::Store>& store) {
    if (!opt.keyrings.empty()) {
        std::vector<cert::Cert> certs;
        for (const std::string& k : opt.keyrings) {
            const Bytes data = packet::read_file(k);
            for (cert::Cert& c : cert::read_all_certs(data)) certs.push_back(std::move(c));
        }
        return std::make_unique<message::MemorySecretKeys>(std::move(certs));
    }
    const auto path = keyring::existing_store_path(opt.home);
    if (!path) return nullptr;
    store = std::make_unique<keyring::Store>(*path);
    return std::make_unique<message::StoreSecretKeys>(*store);
}

int run_decrypt(const DecryptCmdOptions& opt) {
    StatusWriter status(opt.status);
    std::unique_ptr<keyring::Store> store;
    std::unique_ptr<message::SecretKeySource> keys = key_source(opt, store);
    message::DecryptOptions d;
    d.keys = keys.get();
    d.passphrase = read_passphrase(opt.pass);
    if (!opt.override_session_key.empty()) d.override_key = message::parse_session_key_text(opt.override_session_key);
    d.show_session_key = opt.show_session_key;
    d.status = status.sink();
    d.limits = opt.limits;
    d.notes = [](const std::string& s) { std::fprintf(stderr, "pgpkit: %s\n", s.c_str()); };

    // A signed message inside is verified as `pgpkit verify` would, with the store's keys.
    KeySourceOptions src;
    src.home = opt.home;
    keyring::Sources sources = keyring_sources(src);
    sources.add_store(src.home);
    const auto now = static_cast<std::uint32_t>(faked_now(opt.trust.faked_time));
    TrustOracle oracle(src, opt.trust, now);
    message::VerifyOptions vo;
    vo.keys = message::lookup_in(sources);
    vo.now = now;
    vo.limits = opt.limits;
    vo.trust_model = opt.trust.model;
    vo.trust = [&oracle](const cert::Cert& c) { return oracle(c); };
    vo.status = d.status;
    vo.require_signature = false;
    message::VerifyResult signed_part;
    d.inner = [&](packet::Source& packets, message::ByteSink& sink) {
        vo.output = [&sink](ByteView b) { sink.write(b); };
        signed_part = message::verify_packets(packets, vo);
    };

    packet::FdSource in(opt.input);
    std::unique_ptr<OutputFile> file;
    if (!opt.output.empty() && opt.output != "-") file = std::make_unique<OutputFile>(opt.output);
    message::FdSink out(file ? file->fd() : 1);
    const message::DecryptResult r = message::decrypt(in, out, d);
    for (const message::SignatureReport& s : signed_part.sigs) render(s);
    if (!r.ok()) return 1;  // the note said why; -o FILE is not written
    if (file) file->commit();
    // gpg --decrypt fails when a signature inside does not check out.
    return signed_part.sigs.empty() || signed_part.all_good() ? 0 : 1;
}

}  // namespace

void register_decrypt(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<DecryptCmdOptions>();
    auto* cmd = app.add_subcommand("decrypt", "Decrypt a message, as gpg --decrypt");
    cmd->footer("Example: pgpkit decrypt --status-fd 2 -o report.pdf report.pdf.gpg");
    cmd->add_option("input", opt->input, "Message to decrypt (binary or armored), or - for stdin")->capture_default_str();
    cmd->add_option("--output,-o", opt->output, "Write the plaintext to FILE (only once it is authenticated)");
    cmd->add_flag("--show-session-key", opt->show_session_key, "Print the session key (status SESSION_KEY)");
    cmd->add_option("--override-session-key", opt->override_session_key, "Decrypt with this session key (ALGO:HEX)");
    cmd->add_option("--keyring", opt->keyrings, "Secret keys from this file instead of the store")->allow_extra_args(false);
    add_home_option(cmd, opt->home);
    add_passphrase_options(*cmd, opt->pass);
    add_status_options(cmd, opt->status);
    add_trust_options(*cmd, opt->trust);
    cmd->add_option("--max-depth", opt->limits.max_depth, "Maximum nesting of compressed data")->capture_default_str();
    cmd->add_option("--max-ratio", opt->limits.decompression.max_ratio,
                    "Maximum decompressed/compressed ratio (above 16 MiB of output)")->capture_default_str();
    cmd->add_option("--max-decompressed", opt->limits.decompression.max_output,
                    "Maximum octets out of one compressed packet (0: no cap)")->capture_default_str();
    cmd->callback([opt, &exit_code] { exit_code = run_decrypt(*opt); });
}

}  // namespace pgpkit::cli
