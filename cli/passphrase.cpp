// Passphrase options (cli/passphrase.h).

#include "cli/passphrase.h"

#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.h"

namespace pgpkit::cli {

namespace {

/** The first line from `fd` (up to LF, without CR LF or LF), read one octet at a time so
 * that nothing after it is consumed (the descriptor may be the message's stdin). */
SecretBytes first_line(int fd, const std::string& what) {
    SecretBytes line;
    for (;;) {
        unsigned char c = 0;
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error(Errc::Io, 0, "cannot read the passphrase from " + what + ": " + std::strerror(errno));
        if (n == 0 || c == '\n') break;
        line.push_back(c);
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

}  // namespace

void add_passphrase_options(CLI::App& cmd, PassphraseOptions& opt) {
    cmd.add_option("--passphrase", opt.passphrase, "Passphrase of the secret key (seen by ps; prefer a file)");
    cmd.add_option("--passphrase-file", opt.file, "Read the passphrase from the first line of FILE");
    cmd.add_option("--passphrase-fd", opt.fd, "Read the passphrase from the first line of descriptor N");
    cmd.add_option("--pinentry-mode", opt.pinentry_mode, "Accepted for gpg's scripts; pgpkit never prompts");
}

std::optional<SecretBytes> read_passphrase(const PassphraseOptions& opt) {
    const int given = int(!opt.passphrase.empty()) + int(!opt.file.empty()) + int(opt.fd >= 0);
    if (given > 1) throw Error(Errc::Usage, 0, "give one of --passphrase, --passphrase-file, --passphrase-fd");
    if (!opt.passphrase.empty()) return SecretBytes(opt.passphrase.begin(), opt.passphrase.end());
    if (opt.fd >= 0) return first_line(opt.fd, "descriptor " + std::to_string(opt.fd));
    if (opt.file.empty()) return std::nullopt;
    const int fd = ::open(opt.file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(Errc::Io, 0, "cannot open passphrase file " + opt.file + ": " + std::strerror(errno));
    try {
        SecretBytes line = first_line(fd, opt.file);
        ::close(fd);
        return line;
    } catch (...) {
        ::close(fd);
        throw;
    }
}

}  // namespace pgpkit::cli
