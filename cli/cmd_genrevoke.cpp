// `pgpkit gen-revoke KEY`: a revocation certificate made with the store's secret key, or,
// when the store holds the secret key of a designated revoker of KEY instead, a
// designated revocation (gpg's --desig-revoke). Never asks on a terminal.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "base/atomic_file.h"
#include "base/error.h"
#include "cert/cert.h"
#include "cli/commands.h"
#include "cli/home.h"
#include "cli/output.h"
#include "cli/passphrase.h"
#include "cli/trust_options.h"
#include "keygen/revoke.h"
#include "keyring/spec.h"
#include "keyring/store.h"
#include "message/signers.h"

namespace pgpkit::cli {

namespace {

struct GenRevokeOptions {
    std::string home;
    std::string key;
    std::string reason = "unspecified";
    std::string comment;
    std::string output;
    bool unguarded = false;
    std::string faked_time;
    PassphraseOptions pass;
};

std::optional<cert::Cert> first_cert(ByteView block) {
    std::vector<cert::Cert> certs = cert::read_all_certs(block);
    if (certs.empty()) return std::nullopt;
    return std::move(certs.front());
}

/** The one certificate KEY names; an ambiguous or unknown name is an error. */
cert::Cert target_of(keyring::Store& store, const std::string& key) {
    const std::vector<Bytes> found = store.find(keyring::parse_key_spec(key));
    if (found.empty()) throw Error(Errc::Usage, 0, "key \"" + key + "\" not found");
    if (found.size() > 1) throw Error(Errc::Usage, 0, "key \"" + key + "\" is ambiguous: it names " +
                                                          std::to_string(found.size()) + " keys");
    const std::optional<keyring::StoredCert> c = store.get(found.front());
    std::optional<cert::Cert> cert = c ? first_cert(c->keyblock) : std::nullopt;
    if (!cert) throw Error(Errc::Usage, 0, "key \"" + key + "\" cannot be read from the store");
    return std::move(*cert);
}

/** A secret key of the store that `target` names as designated revoker. */
std::optional<cert::Tsk> designated_revoker(keyring::Store& store, const cert::Cert& target) {
    std::optional<cert::Tsk> out;
    store.for_each([&](const keyring::StoredCert& c) {
        if (!c.has_secret || !keygen::names_revoker(target, c.fingerprint)) return true;
        out = message::secret_key_of(store, c.fingerprint);
        return !out;
    });
    return out;
}

int run_gen_revoke(const GenRevokeOptions& opt) {
    const std::optional<keygen::RevocationReason> reason = keygen::revocation_reason(opt.reason);
    if (!reason) throw Error(Errc::Usage, 0, "--reason: not one of compromised, superseded, retired, unspecified: '" +
                                                 opt.reason + "'");
    keygen::RevocationRequest req{*reason, opt.comment, static_cast<std::uint32_t>(faked_now(opt.faked_time))};
    std::unique_ptr<keyring::Store> store = open_store(opt.home, false);
    const cert::Cert target = target_of(*store, opt.key);
    const std::optional<SecretBytes> pass = read_passphrase(opt.pass);
    crypto::Rng rng = crypto::Rng::system();
    Bytes rev;
    if (const std::optional<cert::Tsk> own = message::secret_key_of(*store, target.key().fingerprint)) {
        rev = keygen::revoke_primary(*own, pass, req, rng);
    } else if (const std::optional<cert::Tsk> revoker = designated_revoker(*store, target)) {
        rev = keygen::designated_revocation(target, *revoker, pass, req, rng);
        std::fprintf(stderr, "pgpkit: revocation of %s made by its designated revoker %s\n",
                     to_hex(target.key().fingerprint).c_str(), to_hex(revoker->key().fingerprint).c_str());
    } else {
        throw Error(Errc::Usage, 0, "no secret key of " + to_hex(target.key().fingerprint) +
                                        " or of a designated revoker of it in the store");
    }
    const std::string text = keygen::revocation_text(rev, keygen::revocation_key_lines(target), !opt.unguarded);
    if (opt.output.empty() || opt.output == "-") {
        Output out(1);
        out.put(text);
        out.flush();
    } else {
        write_output_file(opt.output, as_bytes(text), FileMode::Public);
    }
    return 0;
}

}  // namespace

void register_gen_revoke(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<GenRevokeOptions>();
    auto* cmd = app.add_subcommand("gen-revoke", "Make a revocation certificate for a key of the store (as gpg "
                                                 "--gen-revoke, or --desig-revoke as its designated revoker)");
    cmd->footer("Example: pgpkit gen-revoke --reason superseded --comment 'new key 0x21BE2079' -o alice.rev "
                "alice@example.org");
    add_home_option(cmd, opt->home);
    cmd->add_option("key", opt->key, "The key to revoke: fingerprint, key ID or user ID")->required();
    cmd->add_option("--reason", opt->reason, "compromised, superseded, retired or unspecified (default)");
    cmd->add_option("--comment", opt->comment, "Text saying why, kept in the certificate");
    cmd->add_option("--output,-o", opt->output, "Write to FILE (atomically) instead of standard output");
    cmd->add_flag("--unguarded", opt->unguarded,
                  "Plain armor, ready to import (default: gpg's openpgp-revocs.d layout, a colon before the armor)");
    cmd->add_option("--faked-system-time", opt->faked_time, "Date the revocation at this time (seconds or ISO)");
    add_passphrase_options(*cmd, opt->pass);
    cmd->callback([opt, &exit_code] { exit_code = run_gen_revoke(*opt); });
}

}  // namespace pgpkit::cli
