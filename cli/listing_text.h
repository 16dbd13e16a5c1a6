#pragma once
// Pieces of gpg 2.2's human key listing shared by list-keys and check-sigs: usage and
// validity tags, the user ID tag and the head of a sig/rev line.

#include <cstdint>
#include <string>
#include <string_view>

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

/**
 * gpg's fixed-width tag of a validity letter: "[ revoked]", "[ expired]", "[ invalid]",
 * "[  undef ]", "[  never ]", "[marginal]", "[  full  ]", "[ultimate]" (r, e, i, q, n, m,
 * f, u), else "[ unknown]".
 */
[[nodiscard]] const char* uid_tag(char letter) noexcept;

/** The validity letter of a validity state without trust: r, e, i or '-'. */
[[nodiscard]] char state_letter(cert::ValidityState s) noexcept;

/**
 * "sig!3  LRPNXT 0123456789ABCDEF 2024-01-31  ": the record type (rev for revocations),
 * the marker, the certification level, the flag columns, issuer key ID and date, up to
 * where the issuer's name goes.
 */
[[nodiscard]] std::string sig_line_head(const packet::Signature& s, char marker, std::uint32_t now);

/**
 * A user ID as gpg 2.2 prints it in a human listing on a UTF-8 terminal (print_utf8_buffer,
 * utf8_to_native): control characters as \n, \r, \f, \v, \b, \0 or \xNN; a byte
 * that cannot start a UTF-8 sequence as \xNN, then bytes up to the next plausible start
 * also as \xNN; a sequence broken off by a byte that does not continue it as \xNN for
 * each of its bytes and that byte.
 */
[[nodiscard]] std::string native_text(std::string_view utf8);

}  // namespace pgpkit::cli
