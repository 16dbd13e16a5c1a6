// sop: the subcommand table, version, list-profiles, help, and the mapping of failures
// to the draft's exit codes.

#include <cstdio>
#include <exception>
#include <new>
#include <string>
#include <utility>

#include "base/error.h"
#include "base/version.h"
#include "cert/secret_key.h"
#include "cli/sop/sop.h"

namespace pgpkit::cli::sop {

namespace {

using Handler = int (*)(const std::vector<std::string>&);

struct Command {
    const char* name;
    Handler run;
    const char* summary;
};

const Command commands[] = {
    {"version", cmd_version, "Version information"},
    {"list-profiles", cmd_list_profiles, "Profiles of a subcommand (generate-key, encrypt)"},
    {"generate-key", cmd_generate_key, "Generate a secret key"},
    {"change-key-password", cmd_change_key_password, "Change or remove the password of secret keys"},
    {"revoke-key", cmd_revoke_key, "Revocation certificates of secret keys"},
    {"extract-cert", cmd_extract_cert, "The certificate of a secret key"},
    {"update-key", cmd_update_key, "Merge certificate updates into secret keys"},
    {"merge-certs", cmd_merge_certs, "Merge certificate updates"},
    {"certify-userid", cmd_certify_userid, "Certify user IDs of certificates"},
    {"validate-userid", cmd_validate_userid, "Check that certificates carry a certified user ID"},
    {"sign", cmd_sign, "Detached signatures"},
    {"verify", cmd_verify, "Verify detached signatures"},
    {"encrypt", cmd_encrypt, "Encrypt a message"},
    {"decrypt", cmd_decrypt, "Decrypt a message"},
    {"armor", cmd_armor, "Add ASCII armor"},
    {"dearmor", cmd_dearmor, "Remove ASCII armor"},
    {"inline-detach", cmd_inline_detach, "Split signatures from an inline-signed message"},
    {"inline-sign", cmd_inline_sign, "Inline-signed messages"},
    {"inline-verify", cmd_inline_verify, "Verify an inline-signed message"},
};

/** The draft revision this interface follows. */
constexpr const char* sop_spec = "draft-dkg-openpgp-stateless-cli-12";

struct Profile {
    const char* name;
    const char* description;
};
const Profile keygen_profiles[] = {
    {"draft-koch-eddsa-for-openpgp-00", "v4 keys: Ed25519 (certify; signing subkey) and Cv25519 (encryption subkey)"},
    {"rfc4880", "v4 keys: RSA 3072 primary key and subkeys"},
    {"rfc6637", "v4 keys: ECDSA and ECDH on NIST P-256"},
    {"rfc9580", "v6 keys: Ed25519 and X25519 (RFC 9580)"},
};
const Profile encrypt_profiles[] = {
    {"rfc4880", "SEIPD v1 (MDC)"},
    {"rfc9580", "SEIPD v2 (AEAD) when every recipient supports it"},
};

void usage(std::FILE* to) {
    std::fprintf(to, "Usage: pgpkit sop SUBCOMMAND [OPTIONS] [ARGS] (also pgpkit-sop)\n"
                     "Stateless OpenPGP, %s. Subcommands:\n", sop_spec);
    for (const Command& c : commands) std::fprintf(to, "  %-20s %s\n", c.name, c.summary);
    std::fprintf(to, "\nExample: pgpkit sop generate-key '<alice@example.org>' | pgpkit sop extract-cert > alice.cert\n");
}

/** Exit code of a library error that reached the top. */
Exit exit_of(const Error& e) {
    switch (e.kind()) {
    case Errc::BadPassphrase: return Exit::KeyIsProtected;
    case Errc::Usage: case Errc::Io: case Errc::Crypto: return static_cast<Exit>(1);
    default: return Exit::BadData;
    }
}

}  // namespace

int cmd_version(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {{"backend", "extended", "sop-spec"}, {}});
    if (!a.positional.empty()) fail(Exit::UnsupportedOption, "version takes no arguments");
    if (a.flag("sop-spec")) return write_stdout(std::string(sop_spec) + "\n"), 0;
    if (a.flag("backend")) return write_stdout(std::string("pgpkit ") + version() + "\n"), 0;
    std::string out = std::string("pgpkit-sop ") + version() + "\n";
    if (a.flag("extended"))
        out += std::string("pgpkit ") + version() + " (OpenPGP library)\nBotan 2 (cryptography)\n" + sop_spec + "\n";
    write_stdout(out);
    return 0;
}

int cmd_list_profiles(const std::vector<std::string>& args) {
    const Args a = parse_args(args, {});
    if (a.positional.size() != 1) fail(Exit::MissingArg, "list-profiles needs a subcommand name");
    const std::string& sub = a.positional[0];
    std::string out;
    if (sub == "generate-key")
        for (const Profile& p : keygen_profiles) out += std::string(p.name) + ": " + p.description + "\n";
    else if (sub == "encrypt")
        for (const Profile& p : encrypt_profiles) out += std::string(p.name) + ": " + p.description + "\n";
    else
        fail(Exit::UnsupportedProfile, "subcommand " + sub + " has no profiles");
    write_stdout(out);
    return 0;
}

std::vector<message::SigningKey> signing_keys(const std::vector<cert::Tsk>& keys,
                                              const std::vector<SecretBytes>& passwords, std::uint32_t now) {
    std::vector<message::SigningKey> out;
    for (const cert::Tsk& t : keys) {
        if (!message::can_sign(t, now)) fail(Exit::KeyCannotSign, "key " + to_hex(t.fingerprint()) + " cannot sign");
        std::vector<std::optional<SecretBytes>> tries{std::nullopt};
        for (const SecretBytes& p : passwords) tries.emplace_back(p);
        bool done = false;
        for (const auto& p : tries) {
            try {
                out.push_back(message::signing_key(t, now, p));
                done = true;
                break;
            } catch (const Error& e) {
                if (e.kind() != Errc::BadPassphrase && e.kind() != Errc::Usage) throw;
            }
        }
        if (!done) fail(Exit::KeyIsProtected, "cannot unlock the signing key of " + to_hex(t.fingerprint()));
    }
    return out;
}

int run_sop(const std::vector<std::string>& args) {
    if (args.empty()) {
        usage(stderr);
        return static_cast<int>(Exit::UnsupportedSubcommand);
    }
    if (args[0] == "--help" || args[0] == "help" || args[0] == "-h") {
        usage(stdout);
        return 0;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const Command& c : commands) {
        if (args[0] != c.name) continue;
        try {
            return c.run(rest);
        } catch (const Failure& f) {
            std::fprintf(stderr, "pgpkit-sop: error: %s\n", f.message.c_str());
            return static_cast<int>(f.code);
        } catch (const Error& e) {
            std::fprintf(stderr, "pgpkit-sop: error: %s\n", e.what());
            return static_cast<int>(exit_of(e));
        } catch (const std::bad_alloc&) {
            std::fprintf(stderr, "pgpkit-sop: error: out of memory\n");
            return 1;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "pgpkit-sop: error: %s\n", e.what());
            return 1;
        }
    }
    std::fprintf(stderr, "pgpkit-sop: error: unsupported subcommand %s\n", args[0].c_str());
    return static_cast<int>(Exit::UnsupportedSubcommand);
}

}  // namespace pgpkit::cli::sop
