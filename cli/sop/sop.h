#pragma once
// `pgpkit sop` (also installed as `pgpkit-sop`): the Stateless OpenPGP command-line interface
// of draft-dkg-openpgp-stateless-cli. Shared parts of its subcommand files: the exit codes,
// option parsing, indirect inputs and outputs (@ENV:, @FD:, files), dates, verification
// lines. The OpenPGP work is done by the library; these files parse, read and render.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/secret.h"
#include "cert/cert.h"
#include "message/sign.h"
#include "message/verify.h"

namespace pgpkit::cli::sop {

/** The draft's exit codes ("Failure Modes"). */
enum class Exit : int {
    Ok = 0,
    NoSignature = 3,
    UnsupportedAsymmetricAlgo = 13,
    CertCannotEncrypt = 17,
    MissingArg = 19,
    IncompleteVerification = 23,
    CannotDecrypt = 29,
    PasswordNotHumanReadable = 31,
    UnsupportedOption = 37,
    BadData = 41,
    ExpectedText = 53,
    OutputExists = 59,
    MissingInput = 61,
    KeyIsProtected = 67,
    UnsupportedSubcommand = 69,
    UnsupportedSpecialPrefix = 71,
    AmbiguousInput = 73,
    KeyCannotSign = 79,
    IncompatibleOptions = 83,
    UnsupportedProfile = 89,
    PrimaryKeyBad = 103,
    CertUseridNoMatch = 107,
    KeyCannotCertify = 109,
};

/** A failure with its exit code; run_sop() prints the message and exits with the code. */
struct Failure {
    Exit code;
    std::string message;
};
[[noreturn]] void fail(Exit code, std::string message);

/** What a subcommand accepts: flags and options with a value (every option may repeat). */
struct Spec {
    std::set<std::string> flags;
    std::set<std::string> values;
};

/** A parsed command line of one subcommand. */
struct Args {
    std::vector<std::string> positional;
    std::set<std::string> flags;
    std::map<std::string, std::vector<std::string>> values;

    [[nodiscard]] bool flag(const std::string& name) const { return flags.count(name) != 0; }
    /** The last value given, if any. */
    [[nodiscard]] std::optional<std::string> value(const std::string& name) const;
    [[nodiscard]] std::vector<std::string> all(const std::string& name) const;
};

/**
 * Parses `args` (after the subcommand name): "--name", "--name=value" or "--name value";
 * "--" ends the options. An option the subcommand does not have is UNSUPPORTED_OPTION.
 */
[[nodiscard]] Args parse_args(const std::vector<std::string>& args, const Spec& spec);

/**
 * Reads an indirect input: "@ENV:NAME", "@FD:N", or a file name. Another "@" prefix is
 * UNSUPPORTED_SPECIAL_PREFIX; a special form that also names an existing file is
 * AMBIGUOUS_INPUT; a missing file is MISSING_INPUT.
 */
[[nodiscard]] Bytes read_indirect(const std::string& spec);
/** Writes an indirect output: "@FD:N" or a new file (an existing one is OUTPUT_EXISTS). */
void write_indirect(const std::string& spec, ByteView data);
/** Fails early with OUTPUT_EXISTS / UNSUPPORTED_SPECIAL_PREFIX before any work is done. */
void check_output(const std::string& spec);

[[nodiscard]] Bytes read_stdin();
void write_stdout(ByteView data);
void write_stdout(const std::string& text);

/** Armors `data` with the label its first packet calls for, unless `binary`. */
[[nodiscard]] Bytes maybe_armor(ByteView data, bool binary);

/** Every certificate or key of `data`; none, or data that does not parse, is BAD_DATA. */
[[nodiscard]] std::vector<cert::Cert> parse_certs(ByteView data, const std::string& what);
/** The certificates of an indirect input (secret keys are reduced to their public part). */
[[nodiscard]] std::vector<cert::Cert> read_certs(const std::string& spec);
/** The secret keys of an indirect input; a certificate without secrets is BAD_DATA. */
[[nodiscard]] std::vector<cert::Tsk> read_keys(const std::string& spec);
/** The certificates of all of `specs`, in order. */
[[nodiscard]] std::vector<cert::Cert> read_all_certs(const std::vector<std::string>& specs);
[[nodiscard]] std::vector<cert::Tsk> read_all_keys(const std::vector<std::string>& specs);

/**
 * Passwords given to unlock keys or open messages (indirect inputs): each as given and, if
 * different, with trailing whitespace removed, as the draft asks of consumers.
 */
[[nodiscard]] std::vector<SecretBytes> read_passwords(const std::vector<std::string>& specs);
/** A password that makes something (a new key, a SKESK): UTF-8, trailing whitespace removed. */
[[nodiscard]] SecretBytes read_new_password(const std::string& spec);

/** True if `data` is valid UTF-8. */
[[nodiscard]] bool is_utf8(ByteView data) noexcept;

/** The current time, or the time in $PGPKIT_SOP_NOW (Unix seconds) for reproducible tests. */
[[nodiscard]] std::uint32_t now();
/**
 * A DATE argument: ISO 8601 ("2024-05-01T12:00:00Z", "2024-05-01", "20240501T120000Z"),
 * "now", or "-" (which is `dash`: the beginning or the end of time).
 */
[[nodiscard]] std::uint32_t parse_date_arg(const std::string& text, std::uint32_t dash);

/** The window a signature's creation time must fall in. */
struct TimeWindow {
    std::uint32_t not_before = 0;
    std::uint32_t not_after = 0xFFFFFFFFu;
};
[[nodiscard]] TimeWindow window_of(const Args& a, const std::string& before_opt, const std::string& after_opt);

/**
 * The verification lines of the good signatures of `r` made within `w`:
 * "DATE SIGNING-FPR PRIMARY-FPR mode:binary|text" (uppercase hex, UTC ISO 8601).
 */
[[nodiscard]] std::string verification_lines(const message::VerifyResult& r, const TimeWindow& w);

/**
 * The signing key of each of `keys`, unlocked with the first of `passwords` that works:
 * KEY_IS_PROTECTED when none does, KEY_CANNOT_SIGN for a key without a usable signing key.
 */
[[nodiscard]] std::vector<message::SigningKey> signing_keys(const std::vector<cert::Tsk>& keys,
                                                            const std::vector<SecretBytes>& passwords,
                                                            std::uint32_t now);

/** The profile "default" names, else `name` itself. */
[[nodiscard]] std::string resolve_profile(const std::string& name, const std::string& default_name);

// Subcommands, each given the arguments after its name; each returns 0 or throws Failure.
int cmd_version(const std::vector<std::string>& args);
int cmd_list_profiles(const std::vector<std::string>& args);
int cmd_generate_key(const std::vector<std::string>& args);
int cmd_extract_cert(const std::vector<std::string>& args);
int cmd_change_key_password(const std::vector<std::string>& args);
int cmd_revoke_key(const std::vector<std::string>& args);
int cmd_update_key(const std::vector<std::string>& args);
int cmd_merge_certs(const std::vector<std::string>& args);
int cmd_certify_userid(const std::vector<std::string>& args);
int cmd_validate_userid(const std::vector<std::string>& args);
int cmd_sign(const std::vector<std::string>& args);
int cmd_verify(const std::vector<std::string>& args);
int cmd_encrypt(const std::vector<std::string>& args);
int cmd_decrypt(const std::vector<std::string>& args);
int cmd_armor(const std::vector<std::string>& args);
int cmd_dearmor(const std::vector<std::string>& args);
int cmd_inline_sign(const std::vector<std::string>& args);
int cmd_inline_verify(const std::vector<std::string>& args);
int cmd_inline_detach(const std::vector<std::string>& args);

/** Runs one sop command line (the arguments after "sop"); returns the exit code. Never throws. */
int run_sop(const std::vector<std::string>& args);

}  // namespace pgpkit::cli::sop
