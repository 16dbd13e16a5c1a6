#include "tests/oracle/gpg_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <stdexcept>
#include <vector>

#include "cert/cert.h"
#include "crypto/hash.h"
#include "tests/support/env.h"

namespace pgpkit::test {

namespace fs = std::filesystem;

namespace {

std::string gpg_version() {
    const RunResult r = run("gpg --version | head -n1");
    if (r.exit_code != 0) throw std::runtime_error("gpg is needed (scripts/bootstrap.sh): " + r.err);
    return r.out;
}

std::string cache_dir(const std::string& input) {
    static const std::string version = gpg_version();
    const Bytes b = read_bytes(input);
    std::vector<std::uint8_t> key(b.begin(), b.end());
    const std::string extra = version + kCacheImportOptions + " status-v2";
    key.insert(key.end(), extra.begin(), extra.end());
    return cache_root() + "/gpg-" + to_hex_lower(crypto::digest(crypto::HashKind::Sha256, key)).substr(0, 24);
}

}  // namespace

const char* const kCacheImportOptions = " --trust-model always --import-options import-local-sigs";

std::string cache_root() {
    const char* env = std::getenv("PGPKIT_ORACLE_CACHE");
    return env && *env ? env : PGPKIT_DEFAULT_ORACLE_CACHE;
}

std::string gpg_on(const std::string& home) {
    return "gpg --homedir " + shell_quote(home) +
           " --batch --no-tty --no-options --yes --pinentry-mode loopback --passphrase ''";
}

void kill_agent(const std::string& home) { run("gpgconf --homedir " + shell_quote(home) + " --kill all"); }

namespace {

void copy_home(const fs::path& from, const fs::path& to) {
    fs::create_directories(to);
    fs::permissions(to, fs::perms::owner_all, fs::perm_options::replace);
    for (const fs::directory_entry& e : fs::directory_iterator(from)) {
        if (e.is_directory())
            copy_home(e.path(), to / e.path().filename());
        else if (e.is_regular_file())
            fs::copy_file(e.path(), to / e.path().filename());
    }
}

/** The copies made so far; stops their agents and removes them when the process ends. */
struct HomeCopies {
    std::map<std::string, std::string> by_home;
    ~HomeCopies() {
        for (const auto& [home, copy] : by_home) {
            kill_agent(copy);
            std::error_code ec;
            fs::remove_all(fs::path(copy).parent_path(), ec);
        }
    }
};

}  // namespace

const std::string& own_copy_of_home(const std::string& home) {
    static HomeCopies copies;
    auto it = copies.by_home.find(home);
    if (it != copies.by_home.end()) return it->second;
    // Under /tmp: the agent's socket path must stay short (108 octets).
    char tmpl[] = "/tmp/pgpkit-home-XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    const std::string copy = std::string(tmpl) + "/gnupg";
    copy_home(home, copy);
    return copies.by_home.emplace(home, copy).first->second;
}

std::string import_into(const std::string& home, const std::string& input, const std::string& status_file) {
    ::mkdir(home.c_str(), 0700);
    const std::string status = status_file.empty() ? std::string() : " --status-file " + shell_quote(status_file);
    const RunResult r = run(gpg_on(home) + kCacheImportOptions + status + " --import " + shell_quote(input));
    kill_agent(home);
    return r.err;
}

std::string cached_home(const std::string& input) {
    const std::string dir = cache_dir(input);
    if (fs::exists(dir + "/done")) return dir + "/home";
    fs::create_directories(cache_root());
    const std::string tmp = dir + ".tmp." + std::to_string(::getpid());
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    const std::string log = import_into(tmp + "/home", input, tmp + "/import.status");
    write_bytes(tmp + "/import.log", as_bytes(log));
    write_bytes(tmp + "/input", as_bytes(input + "\n"));
    write_bytes(tmp + "/done", as_bytes(std::string("ok\n")));
    std::error_code ec;
    fs::rename(tmp, dir, ec);
    if (ec) fs::remove_all(tmp);  // another process was first: use its home
    return dir + "/home";
}

std::string cached_import_status(const std::string& input) {
    const std::string home = cached_home(input);
    const Bytes b = read_bytes(fs::path(home).parent_path().string() + "/import.status");
    return std::string(b.begin(), b.end());
}

std::string keyring_subset(const std::string& keyring, std::size_t k) {
    const Bytes b = read_bytes(keyring);
    const std::string out = cache_root() + "/subset-" +
                            to_hex_lower(crypto::digest(crypto::HashKind::Sha256, b)).substr(0, 16) + "-every" +
                            std::to_string(k) + ".pgp";
    if (fs::exists(out)) return out;
    std::vector<std::size_t> starts;
    for (const auto& c : cert::read_all_certs(b)) starts.push_back(static_cast<std::size_t>(c.primary.head.offset));
    starts.push_back(b.size());
    Bytes sub;
    for (std::size_t i = 0; i + 1 < starts.size(); i += k)
        sub.insert(sub.end(), b.begin() + static_cast<long>(starts[i]), b.begin() + static_cast<long>(starts[i + 1]));
    fs::create_directories(cache_root());
    const std::string tmp = out + ".tmp." + std::to_string(::getpid());
    write_bytes(tmp, sub);
    fs::rename(tmp, out);
    return out;
}

/*
 * The rows of shared/testdata/MANIFEST.tsv that hold keys (certificates, keyrings, secret
 * keys, DER public keys); messages, signatures, revocation certificates and expected
 * outputs are not keys.
 */
std::vector<std::string> testdata_key_files() {
    const std::string root = shared_testdata();
    const Bytes m = read_bytes(root + "/MANIFEST.tsv");
    static const std::regex keyish(R"((^|\W)(cert|certs|key|keys|keyring|secring|pubring|TSK|secret)(\W|$))",
                                   std::regex::icase);
    static const std::regex not_keys(R"(message|expected|notes|revocation certificate|fuzz|data$)", std::regex::icase);
    std::vector<std::string> out;
    bool header = true;
    for (const std::string& line : non_empty_lines(std::string(m.begin(), m.end()))) {
        if (header) {
            header = false;
            continue;
        }
        const auto f = split(line, '\t');
        if (f.size() < 5) continue;
        const std::string& file = f[0];
        const std::string& kind = f[4];
        const bool der_key = file.size() > 8 && file.compare(file.size() - 8, 8, ".pub.der") == 0;
        if (der_key || (std::regex_search(kind, keyish) && !std::regex_search(kind, not_keys))) {
            out.push_back(root + "/" + file);
        }
    }
    return out;
}

}  // namespace pgpkit::test
