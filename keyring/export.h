#pragma once
// Export and delete over the key store (gpg --export, --export-secret-keys,
// --delete-keys, --delete-secret-keys), reporting through status events.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "keyring/store.h"

namespace pgpkit::keyring {

struct ExportOptions {
    bool secret = false;   ///< transferable secret keys instead of certificates
    bool minimal = false;  ///< export-minimal: only the newest self-signature per component
    bool clean = false;    ///< export-clean: no unusable user IDs or signatures
    std::uint32_t now = 0; ///< the time signatures are judged at by clean/minimal; 0: the clock
};

/** gpg's export_stats_s, in EXPORT_RES's order. */
struct ExportStats {
    std::size_t count = 0;         ///< keys processed
    std::size_t secret_count = 0;  ///< of them, secret keys
    std::size_t exported = 0;
};

struct ExportResult {
    SecretBytes data;  ///< the keyblocks one after the other (secret when asked)
    ExportStats stats;
    std::vector<std::string> not_found;  ///< specifications that named no key
};

/**
 * The certificates (or secret keys) named by `specs`, every stored one when empty, in
 * store order, each once. Certificates are byte-exact as stored unless minimal or
 * clean asks otherwise (gpg's clean_key: per signer the newest usable signature, issuers
 * looked up in the store; minimal keeps only self-signatures); a secret export is the stored certificate with its key packets
 * replaced by the stored secret ones. Events: KEY_CONSIDERED (secret), EXPORTED,
 * EXPORT_RES.
 */
[[nodiscard]] ExportResult export_keys(Store& store, const std::vector<std::string>& specs,
                                       const ExportOptions& opt, const StatusSink& status);

/** DELETE_PROBLEM codes of doc/DETAILS. */
enum class DeleteProblem : std::uint8_t { NoSuchKey = 1, SecretKeyPresent = 2, Ambiguous = 3 };
const char* delete_problem_text(DeleteProblem p) noexcept;

struct DeleteOutcome {
    std::string spec;
    Bytes fingerprint;                    ///< the key it named, when there was one
    std::optional<DeleteProblem> problem; ///< why nothing was deleted
};

/**
 * Deletes the certificates (or with `secret` only the secret keys) named by `specs`, all
 * in one transaction of the deletions that have no problem. A certificate whose secret key
 * is stored is not deleted (SecretKeyPresent); a specification that names more than one
 * certificate deletes nothing (Ambiguous). Events: DELETE_PROBLEM.
 */
[[nodiscard]] std::vector<DeleteOutcome> delete_keys(Store& store, const std::vector<std::string>& specs,
                                                     bool secret, const StatusSink& status);

/** The certificate rebuilt with the secret key packets of `tsk` where it has them. */
[[nodiscard]] cert::Tsk with_secret_packets(const cert::Cert& pub, const cert::Tsk& tsk);

}  // namespace pgpkit::keyring
