#pragma once
// Passphrase options of the commands that unlock secret keys (sign, decrypt), as gpg
// has them in batch use: --passphrase, --passphrase-file, --passphrase-fd, and
// --pinentry-mode (accepted; pgpkit never asks on a terminal, as gpg's loopback mode).

#include <optional>
#include <string>

#include "base/secret.h"

namespace CLI {
class App;
}

namespace pgpkit::cli {

struct PassphraseOptions {
    std::string passphrase;       ///< --passphrase (visible to ps: for tests and throwaway keys)
    std::string file;             ///< --passphrase-file
    int fd = -1;                  ///< --passphrase-fd
    std::string pinentry_mode;    ///< --pinentry-mode: loopback, ask, ... (no effect)
};

void add_passphrase_options(CLI::App& cmd, PassphraseOptions& opt);

/**
 * The passphrase the options give: the first line of the file or descriptor, without its
 * line end, as gpg reads it. nullopt when no option is given.
 * @throws Error(Errc::Io) if the file or descriptor cannot be read,
 *         Error(Errc::Usage) if more than one source is given.
 */
[[nodiscard]] std::optional<SecretBytes> read_passphrase(const PassphraseOptions& opt);

}  // namespace pgpkit::cli
