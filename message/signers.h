#pragma once
// Which secret keys of the store sign: the ones -u names, else gpg's default key.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cert/cert.h"
#include "keyring/store.h"

namespace pgpkit::message {

/** The transferable secret key `store` holds for the certificate `fpr`, if any. */
[[nodiscard]] std::optional<cert::Tsk> secret_key_of(keyring::Store& store, ByteView fpr);

/**
 * The transferable secret keys of `store` that `users` name (gpg's -u: a fingerprint, key
 * ID or user ID, the first of its matches that has a secret key), or, when `users` is
 * empty, gpg's default: the first secret key of the store that can sign at `now`.
 * @throws Error(Errc::Usage) "skipped \"U\": No secret key" for a name without a secret
 * key, "no default secret key: No secret key" when none can sign.
 */
[[nodiscard]] std::vector<cert::Tsk> find_signers(keyring::Store& store, const std::vector<std::string>& users,
                                                  std::uint32_t now);

}  // namespace pgpkit::message
