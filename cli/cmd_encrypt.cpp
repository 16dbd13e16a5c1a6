// `pgpkit encrypt`: gpg --encrypt / --symmetric, to recipients of the store or keyring files.

#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/atomic_file.h"
#include "base/error.h"
#include "cli/commands.h"
#include "cli/home.h"
#include "cli/passphrase.h"
#include "cli/status.h"
#include "cli/trust_options.h"
#include "crypto/rng.h"
#include "keyring/sources.h"
#include "message/encrypt.h"
#include "message/sign.h"
#include "message/signers.h"
#include "packet/source.h"

namespace pgpkit::cli {

namespace {

struct EncryptCmdOptions {
    std::string home;
    std::vector<std::string> keyrings;
    std::vector<std::string> recipients;
    bool symmetric = false;
    bool sign = false;
    std::vector<std::string> users;
    bool armor = false;
    std::string output;
    std::string input = "-";
    int level = -1;
    std::string compress_algo;
    std::string cipher_algo;
    bool force_aead = false;
    bool no_aead = false;
    std::string set_filename;
    std::string faked_time;
    PassphraseOptions pass;
    StatusOptions status;
};

packet::CompressionAlgo compression_named(const std::string& s) {
    if (s == "none" || s == "uncompressed" || s == "0") return packet::CompressionAlgo::Uncompressed;
    if (s == "zip" || s == "1") return packet::CompressionAlgo::Zip;
    if (s == "zlib" || s == "2") return packet::CompressionAlgo::Zlib;
    if (s == "bzip2" || s == "3") return packet::CompressionAlgo::Bzip2;
    throw Error(Errc::Usage, 0, "unknown compression algorithm '" + s + "'");
}

packet::SymAlgo cipher_named(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    using S = packet::SymAlgo;
    static const std::pair<const char*, S> names[] = {
        {"AES", S::Aes128},          {"AES128", S::Aes128},       {"AES192", S::Aes192}, {"AES256", S::Aes256},
        {"3DES", S::TripleDes},      {"CAST5", S::Cast5},         {"BLOWFISH", S::Blowfish},
        {"TWOFISH", S::Twofish},     {"CAMELLIA128", S::Camellia128}, {"CAMELLIA192", S::Camellia192},
        {"CAMELLIA256", S::Camellia256}, {"IDEA", S::Idea}};
    for (const auto& [n, a] : names)
        if (s == n) return a;
    throw Error(Errc::Usage, 0, "unknown cipher algorithm '" + s + "'");
}

std::string base_name(const std::string& path) {
    if (path == "-") return "";
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::uint32_t file_date(const std::string& path, std::int64_t now) {
    struct stat st {};
    if (path != "-" && ::stat(path.c_str(), &st) == 0) return static_cast<std::uint32_t>(st.st_mtime);
    return static_cast<std::uint32_t>(now);
}

keyring::Sources recipient_sources(const EncryptCmdOptions& opt) {
    keyring::Sources s;
    for (const std::string& k : opt.keyrings) s.add_file(k);
    if (opt.keyrings.empty()) s.add_store(opt.home);
    return s;
}

int run_encrypt(const EncryptCmdOptions& opt) {
    if (opt.recipients.empty() && !opt.symmetric) throw Error(Errc::Usage, 0, "give -r KEY or -c (--symmetric)");
    StatusWriter status(opt.status);
    const std::int64_t now = faked_now(opt.faked_time);
    message::EncryptOptions eo;
    eo.status = status.sink();
    if (!opt.recipients.empty()) {
        keyring::Sources sources = recipient_sources(opt);
        message::RecipientLookup found = message::find_recipients(sources, opt.recipients, static_cast<std::uint32_t>(now), eo.status);
        for (const auto& [spec, why] : found.invalid)
            std::fprintf(stderr, "pgpkit: %s: skipped: %s\n", spec.c_str(), message::invalid_recipient_text(why));
        if (found.found.empty()) {
            std::fprintf(stderr, "pgpkit: %s: encryption failed: %s\n", opt.input == "-" ? "[stdin]" : opt.input.c_str(),
                         message::invalid_recipient_text(found.invalid.front().second));
            return 1;
        }
        eo.recipients = std::move(found.found);
    }
    if (opt.symmetric) {
        eo.passphrase = read_passphrase(opt.pass);
        if (!eo.passphrase) throw Error(Errc::Usage, 0, "--symmetric needs a passphrase (--passphrase-file, --passphrase-fd)");
    }
    if (!opt.compress_algo.empty()) eo.compression = compression_named(opt.compress_algo);
    if (opt.level == 0) eo.compression = packet::CompressionAlgo::Uncompressed;
    if (opt.level > 0) eo.compress_level = std::min(opt.level, 9);
    if (!opt.cipher_algo.empty()) eo.cipher = cipher_named(opt.cipher_algo);
    if (opt.force_aead) eo.aead = true;
    if (opt.no_aead) eo.aead = false;
    eo.armor = opt.armor;
    eo.filename = opt.set_filename.empty() ? base_name(opt.input) : opt.set_filename;
    eo.date = opt.faked_time.empty() ? file_date(opt.input, now) : static_cast<std::uint32_t>(now);
    // gpg -se: signed with the store's keys inside the encryption, dated now.
    std::vector<message::SigningKey> signers;
    if (opt.sign) {
        std::unique_ptr<keyring::Store> store = open_store(opt.home, false);
        const std::optional<SecretBytes> pass = read_passphrase(opt.pass);
        for (const cert::Tsk& t : message::find_signers(*store, opt.users, static_cast<std::uint32_t>(now)))
            signers.push_back(message::signing_key(t, static_cast<std::uint32_t>(now), pass));
        eo.signers = &signers;
        eo.signed_at = static_cast<std::uint32_t>(now);
    }

    packet::FdSource in(opt.input);
    crypto::Rng rng = crypto::Rng::system();
    if (opt.output.empty() || opt.output == "-") {
        message::FdSink out(1);
        (void)message::encrypt(in, out, eo, rng);
        return 0;
    }
    // A device or a pipe (/dev/null, a FIFO) is written in place and never removed.
    struct stat st {};
    const bool regular = ::stat(opt.output.c_str(), &st) != 0 || S_ISREG(st.st_mode);
    const int fd = ::open(opt.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(Errc::Io, 0, "cannot create " + opt.output);
    message::FdSink out(fd);
    try {
        (void)message::encrypt(in, out, eo, rng);
    } catch (...) {
        ::close(fd);
        if (regular) ::unlink(opt.output.c_str());  // no half-written message is left
        throw;
    }
    if (::close(fd) != 0) throw Error(Errc::Io, 0, "cannot write " + opt.output);
    return 0;
}

}  // namespace

void register_encrypt(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<EncryptCmdOptions>();
    auto* cmd = app.add_subcommand("encrypt", "Encrypt a file to recipients and/or a passphrase, as gpg --encrypt");
    cmd->footer("Example: pgpkit encrypt -a -s -u bob@example.org -r alice@example.org -o report.pdf.asc report.pdf");
    cmd->add_option("input", opt->input, "File to encrypt, or - for stdin")->capture_default_str();
    cmd->add_option("--recipient,-r", opt->recipients, "Encrypt to this key (gpg's user ID forms)")->allow_extra_args(false);
    cmd->add_flag("--symmetric,-c", opt->symmetric, "Also encrypt with a passphrase (SKESK)");
    cmd->add_flag("--sign,-s", opt->sign, "Sign inside the encryption (gpg -se) with the default key or -u");
    cmd->add_option("--local-user,-u", opt->users, "Sign with this secret key of the store (repeatable)")
        ->allow_extra_args(false);
    cmd->add_flag("--armor,-a", opt->armor, "ASCII armor");
    cmd->add_option("--output,-o", opt->output, "Write to FILE instead of stdout");
    cmd->add_option("-z", opt->level, "Compression level, 0 for none");
    cmd->add_option("--compress-algo", opt->compress_algo, "none, zip, zlib or bzip2 (else from preferences)");
    cmd->add_option("--cipher-algo", opt->cipher_algo, "AES256, AES192, AES, CAMELLIA256, ... (else from preferences)");
    cmd->add_flag("--force-aead", opt->force_aead, "SEIPD v2 (AEAD) even if not every recipient announces it");
    cmd->add_flag("--no-aead", opt->no_aead, "SEIPD v1 (MDC) even if every recipient supports v2");
    cmd->add_option("--set-filename", opt->set_filename, "File name of the literal data packet");
    cmd->add_option("--faked-system-time", opt->faked_time, "Run at this time (seconds or ISO, as gpg); also the literal date");
    cmd->add_option("--keyring", opt->keyrings, "Recipients from this keyring file instead of the store")->allow_extra_args(false);
    add_home_option(cmd, opt->home);
    add_passphrase_options(*cmd, opt->pass);
    add_status_options(cmd, opt->status);
    cmd->callback([opt, &exit_code] { exit_code = run_encrypt(*opt); });
}

}  // namespace pgpkit::cli
