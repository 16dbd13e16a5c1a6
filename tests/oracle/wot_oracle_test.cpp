// The web-of-trust oracle (issue 11): a web of 36 keys made with gpg (certification
// levels 0-3, a chain of depth 6, marginal-only paths, a revoked and an expired certifier,
// an expired certification, a local certification, trust signatures with depth and a
// regular expression, ownertrust from --import-ownertrust), imported into a pgpkit store;
// every key's and user ID's validity (and the ownertrust gpg lists, raised by trust
// signatures) must be gpg's after --check-trustdb, for several
// settings of marginals, completes, depth and trust model.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <ctime>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "cert/cert.h"
#include "keyring/colons.h"
#include "keyring/import.h"
#include "keyring/store.h"
#include "packet/source.h"
#include "tests/oracle/gpg_cache.h"
#include "tests/oracle/wot_web.h"
#include "tests/support/env.h"
#include "trust/wot.h"

namespace pgpkit::test {
namespace {

namespace fs = std::filesystem;

std::vector<cert::Cert> import_to_store(const std::string& keys, const std::string& db) {
    keyring::Store store(db);
    keyring::ImportRunOptions opt;
    opt.import.import_local_sigs = true;
    {
        keyring::Importer imp(store, opt, {});
        const Bytes b = read_bytes(keys);
        packet::MemorySource src(b);
        imp.read(src, keys);
        imp.finish();
    }
    std::vector<cert::Cert> out;
    store.for_each([&](const keyring::StoredCert& sc) {
        for (auto& c : cert::read_all_certs(sc.keyblock)) out.push_back(std::move(c));
        return true;
    });
    return out;
}

Bytes unhex(const std::string& h) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
    return out;
}

std::vector<std::pair<Bytes, std::uint8_t>> exported_ownertrust(const std::string& home) {
    const RunResult r = run(gpg_on(home) + " --export-ownertrust");
    std::vector<std::pair<Bytes, std::uint8_t>> out;
    for (const std::string& line : non_empty_lines(r.out)) {
        if (line[0] == '#') continue;
        const auto f = split(line, ':');
        out.emplace_back(unhex(f[0]), static_cast<std::uint8_t>(std::stoi(f[1])));
    }
    return out;
}

struct Setting {
    trust::WotModel model;
    unsigned marginals, completes, depth;
    std::string args() const {
        return std::string(" --trust-model ") + trust::wot_model_name(model) + " --marginals-needed " +
               std::to_string(marginals) + " --completes-needed " + std::to_string(completes) +
               " --max-cert-depth " + std::to_string(depth);
    }
};

/** gpg's listing: fingerprint -> "pub letter", then "uid letter:text" per user ID. */
std::map<std::string, std::vector<std::string>> gpg_letters(const std::string& home, const Setting& s) {
    run(gpg_on(home) + s.args() + " --check-trustdb");
    const RunResult r = run(gpg_on(home) + s.args() + " --with-colons --list-keys");
    std::map<std::string, std::vector<std::string>> out;
    std::vector<std::string>* cur = nullptr;
    std::string pub;
    for (const std::string& line : non_empty_lines(r.out)) {
        const auto f = split(line, ':');
        if (f[0] == "pub") {
            pub = f[1] + " " + f[8];
            cur = nullptr;
        } else if (f[0] == "fpr" && !cur && !pub.empty()) {
            cur = &out[f[9]];
            cur->push_back("pub " + pub);
            pub.clear();
        } else if ((f[0] == "uid" || f[0] == "uat") && cur) {
            cur->push_back("uid " + f[1] + ":" + f[9]);
        } else if (f[0] == "sub") {
            pub.clear();
        }
    }
    return out;
}

std::map<std::string, std::vector<std::string>> pgpkit_letters(const std::vector<cert::Cert>& certs,
                                                               const trust::WotResult& r) {
    std::map<std::string, std::vector<std::string>> out;
    for (std::size_t i = 0; i < certs.size(); ++i) {
        auto& v = out[to_hex(certs[i].fingerprint())];
        v.push_back(std::string("pub ") + r.keys[i].letter + " " + trust::ownertrust_letter(r.keys[i]));
        for (const auto& u : r.keys[i].user_ids) {
            const Bytes id = certs[i].components[u.component].id_bytes();
            v.push_back(std::string("uid ") + u.letter + ":" +
                        keyring::colon_escape(std::string_view(reinterpret_cast<const char*>(id.data()), id.size())));
        }
    }
    return out;
}

std::string diff(const std::map<std::string, std::vector<std::string>>& want,
                 const std::map<std::string, std::vector<std::string>>& got) {
    std::string out;
    for (const auto& [fpr, lines] : want) {
        const auto it = got.find(fpr);
        const std::vector<std::string> none;
        const auto& mine = it == got.end() ? none : it->second;
        if (lines != mine) {
            out += fpr + ":\n  gpg:";
            for (const auto& l : lines) out += " [" + l + "]";
            out += "\n  pgpkit:";
            for (const auto& l : mine) out += " [" + l + "]";
            out += "\n";
        }
    }
    if (got.size() != want.size()) out += "key count differs\n";
    return out;
}

TEST(WotOracle, EveryUserIdValidityIsGpgsForEachSetting) {
    const std::string web = cached_wot_web();
    TempDir t;
    const std::string home = t.file("home");
    ASSERT_EQ(run("cp -a " + shell_quote(web + "/home") + " " + shell_quote(home)).exit_code, 0);
    const std::vector<cert::Cert> certs = import_to_store(web + "/keys.pgp", t.file("keys.db"));
    ASSERT_EQ(certs.size(), 36u);
    const auto ot = exported_ownertrust(home);
    ASSERT_EQ(ot.size(), 16u);
    const std::vector<Setting> settings{
        // gpg refuses --marginals-needed 1 ("must be greater than 1"): 2 is the least.
        {trust::WotModel::Pgp, 3, 1, 5},     {trust::WotModel::Pgp, 2, 1, 5}, {trust::WotModel::Pgp, 3, 2, 5},
        {trust::WotModel::Pgp, 2, 2, 2},     {trust::WotModel::Pgp, 3, 1, 1}, {trust::WotModel::Pgp, 3, 1, 2},
        {trust::WotModel::Classic, 3, 1, 5}, {trust::WotModel::Pgp, 2, 1, 6},
    };
    std::map<char, int> seen;
    for (const Setting& s : settings) {
        SCOPED_TRACE(s.args());
        const auto want = gpg_letters(home, s);
        ASSERT_EQ(want.size(), 36u);
        trust::WotOptions opt;
        opt.model = s.model;
        opt.marginals_needed = s.marginals;
        opt.completes_needed = s.completes;
        opt.max_cert_depth = s.depth;
        opt.jobs = 2;
        const auto r = trust::compute_validity(certs, trust::ownertrust_from(ot), opt,
                                               static_cast<std::uint32_t>(std::time(nullptr)));
        EXPECT_EQ(diff(want, pgpkit_letters(certs, r)), "");
        for (const auto& [fpr, lines] : want)
            for (const auto& l : lines) ++seen[l[4]];
    }
    // The web exercises every outcome (so the comparison cannot pass on a degenerate web).
    for (char c : std::string("ufmq-re")) EXPECT_GT(seen[c], 0) << c;
}

}  // namespace
}  // namespace pgpkit::test
