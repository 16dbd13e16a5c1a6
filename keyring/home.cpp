// The home folder of a user's data (DESIGN.md: --home, $PGPKIT_HOME, $XDG_DATA_HOME/pgpkit).

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "base/atomic_file.h"
#include "base/error.h"
#include "keyring/store.h"

namespace pgpkit::keyring {

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

std::string default_home() {
    if (auto h = env("PGPKIT_HOME"); !h.empty()) return h;
    if (auto x = env("XDG_DATA_HOME"); !x.empty()) return x + "/pgpkit";
    const auto home = env("HOME");
    if (home.empty()) throw Error(Errc::Usage, 0, "no home folder: set --home, PGPKIT_HOME or HOME");
    return home + "/.local/share/pgpkit";
}

/** mkdir -p with mode 0700 for the last folder (parents get the usual 0755 and umask). */
void make_folders(const std::string& path) {
    for (std::size_t pos = 1; pos != std::string::npos;) {
        pos = path.find('/', pos + 1);
        const std::string part = path.substr(0, pos);
        const mode_t mode = pos == std::string::npos ? 0700 : 0755;
        if (::mkdir(part.c_str(), mode) != 0 && errno != EEXIST)
            throw Error(Errc::Io, 0, part + ": cannot create folder: " + std::strerror(errno));
    }
}

}  // namespace

std::string resolve_home(const std::string& explicit_home, bool create) {
    std::string home = explicit_home.empty() ? default_home() : explicit_home;
    while (home.size() > 1 && home.back() == '/') home.pop_back();
    struct stat st {};
    if (::stat(home.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) throw Error(Errc::Io, 0, home + ": home is not a folder");
        return home;
    }
    if (!create) throw Error(Errc::Io, 0, home + ": no such home folder");
    make_folders(home);
    return home;
}

std::optional<std::string> existing_store_path(const std::string& explicit_home) {
    std::string home = explicit_home.empty() ? default_home() : explicit_home;
    while (home.size() > 1 && home.back() == '/') home.pop_back();
    const std::string db = Store::db_path_in(home);
    struct stat st {};
    if (::stat(db.c_str(), &st) != 0) return std::nullopt;
    return db;
}

std::string save_revocation_certificate(const std::string& home, ByteView fingerprint, std::string_view text) {
    const std::string dir = resolve_home(home) + "/openpgp-revocs.d";
    make_folders(dir);
    const std::string path = dir + "/" + to_hex(fingerprint) + ".rev";
    write_file_atomically(path, as_bytes(text), FileMode::Secret);
    return path;
}

}  // namespace pgpkit::keyring
