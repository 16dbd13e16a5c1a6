#pragma once
// Pieces of gpg 2.2's human key listing shared by list-keys and check-sigs: usage and
// validity tags, the user ID tag and the head of a sig/rev line.

#include <cstdint>
#include <string>

#include "cert/validity.h"
#include "packet/signature.h"

namespace pgpkit::cli {

/** " [SCEA]": a key's usage in gpg's order, "" for none. */
[[nodiscard]] std::string usage_tag(const cert::Usage& u);

/**
 * " [revoked: DATE]", " [expired: DATE]", " [expires: DATE]" or "". An invalid key shows
 * " [invalid: reason]" when `show_invalid` (check-sigs), else as a valid one (gpg's listing).
 */
[[nodiscard]] std::string validity_tag(const cert::Validity& v, bool show_invalid);

/** "[ revoked]", "[ expired]", "[ invalid]" or "[ unknown]" for a validity letter (r, e, i, else). */
[[nodiscard]] const char* uid_tag(char letter) noexcept;

/** The validity letter of a validity state without trust: r, e, i or '-'. */
[[nodiscard]] char state_letter(cert::ValidityState s) noexcept;

/**
 * "sig!3  LRPNXT 0123456789ABCDEF 2024-01-31  ": the record type (rev for revocations),
 * the marker, the certification level, the flag columns, issuer key ID and date, up to
 * where the issuer's name goes.
 */
[[nodiscard]] std::string sig_line_head(const packet::Signature& s, char marker, std::uint32_t now);

}  // namespace pgpkit::cli
