#pragma once
// The counters of an import run, as GnuPG 2.2's struct import_stats_s, the IMPORT_RES
// status arguments and the summary gpg prints (g10/import.c, import_print_stats).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "keyring/merge.h"

namespace pgpkit::keyring {

struct ImportStats {
    std::uint64_t count = 0;            ///< keyblocks processed
    std::uint64_t no_user_id = 0;       ///< "w/o user IDs"
    std::uint64_t imported = 0;
    std::uint64_t unchanged = 0;
    std::uint64_t n_uids = 0;
    std::uint64_t n_subk = 0;
    std::uint64_t n_sigs = 0;
    std::uint64_t n_revoc = 0;          ///< revocation certificates applied
    std::uint64_t secret_read = 0;
    std::uint64_t secret_imported = 0;
    std::uint64_t secret_dups = 0;
    std::uint64_t skipped_new_keys = 0;
    std::uint64_t not_imported = 0;
    std::uint64_t n_sigs_cleaned = 0;
    std::uint64_t n_uids_cleaned = 0;
    std::uint64_t v3keys = 0;           ///< "skipped PGP-2 keys"
    bool operator==(const ImportStats&) const = default;

    /** Counts one keyblock as gpg's import loop does. */
    void add(const ImportResult& r);
    /** Counts one bare revocation certificate (gpg stops the run after an Invalid one). */
    void add(const RevocationResult& r);
    /** Counts a revocation gpg applied after a keyblock (Prepared::other_revocations). */
    void add_other_revocation(const RevocationResult& r);
};

/** The 15 numbers of IMPORT_RES in gpg 2.2's order (the fourth, imported_rsa, is 0). */
std::array<std::uint64_t, 15> import_res_fields(const ImportStats& s);
/** The IMPORT_RES arguments: the 15 numbers separated by spaces. */
std::string import_res_args(const ImportStats& s);

/**
 * The summary lines exactly as gpg 2.2 prints them to stderr (without the "gpg: " its
 * logger puts before each; `prefix` is prepended to every line), e.g.
 * "Total number processed: 3" then "              imported: 2". Lines for zero counters
 * are left out, as gpg does.
 */
std::vector<std::string> summary_lines(const ImportStats& s, std::string_view prefix = {});

}  // namespace pgpkit::keyring
