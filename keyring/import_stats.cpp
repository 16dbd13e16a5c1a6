#include "keyring/import_stats.h"

namespace pgpkit::keyring {

void ImportStats::add(const ImportResult& r) {
    // gpg's read_block skips these before import_one sees them; only v3 keys are counted.
    if (r.problem == Problem::V3Key) ++v3keys;
    if (r.problem == Problem::V3Key || r.problem == Problem::UnknownVersion) return;
    ++count;
    if (r.secret) ++secret_read;
    // gpg 2.2.40 counts both (IMPORT_RES field 2 is 1 for a key without any user ID).
    if (r.problem == Problem::NoValidUserIds || r.problem == Problem::NoUserId) ++no_user_id;
    if (r.too_large) ++not_imported;
    switch (r.outcome) {
    case ImportOutcome::New: ++imported; break;
    case ImportOutcome::Unchanged: ++unchanged; break;
    case ImportOutcome::SkippedNew: ++skipped_new_keys; break;
    case ImportOutcome::Updated:
        n_uids += r.counts.uids;
        n_subk += r.counts.subkeys;
        n_sigs += r.counts.sigs;
        n_uids_cleaned += r.cleaned.uids_cleaned;
        n_sigs_cleaned += r.cleaned.sigs_cleaned;
        break;
    case ImportOutcome::NotImported: break;
    }
    // do_transfer: one per keyblock, whatever the number of (sub)keys.
    if (r.secret_import_ok) {
        if (r.secret_merge.imported) ++secret_imported;
        if (r.secret_merge.dups) ++secret_dups;
    }
}

void ImportStats::add(const RevocationResult& r) {
    if (r.outcome == RevocationOutcome::Invalid) return;  // gpg breaks out of its loop first
    ++count;
    add_other_revocation(r);
}

void ImportStats::add_other_revocation(const RevocationResult& r) {
    if (r.outcome == RevocationOutcome::Imported) ++n_revoc;
}

std::array<std::uint64_t, 15> import_res_fields(const ImportStats& s) {
    return {s.count + s.v3keys, s.no_user_id, s.imported, 0, s.unchanged, s.n_uids, s.n_subk, s.n_sigs,
            s.n_revoc, s.secret_read, s.secret_imported, s.secret_dups, s.skipped_new_keys, s.not_imported,
            s.v3keys};
}

std::string import_res_args(const ImportStats& s) {
    std::string out;
    for (std::uint64_t v : import_res_fields(s)) {
        if (!out.empty()) out += ' ';
        out += std::to_string(v);
    }
    return out;
}

std::vector<std::string> summary_lines(const ImportStats& s, std::string_view prefix) {
    std::vector<std::string> out;
    auto line = [&](const char* label, std::uint64_t v, bool always = false) {
        if (v || always) out.push_back(std::string(prefix) + label + std::to_string(v));
    };
    line("Total number processed: ", s.count + s.v3keys, true);
    line("    skipped PGP-2 keys: ", s.v3keys);
    line("      skipped new keys: ", s.skipped_new_keys);
    line("          w/o user IDs: ", s.no_user_id);
    line("              imported: ", s.imported);
    line("             unchanged: ", s.unchanged);
    line("          new user IDs: ", s.n_uids);
    line("           new subkeys: ", s.n_subk);
    line("        new signatures: ", s.n_sigs);
    line("   new key revocations: ", s.n_revoc);
    line("      secret keys read: ", s.secret_read);
    line("  secret keys imported: ", s.secret_imported);
    line(" secret keys unchanged: ", s.secret_dups);
    line("          not imported: ", s.not_imported);
    line("    signatures cleaned: ", s.n_sigs_cleaned);
    line("      user IDs cleaned: ", s.n_uids_cleaned);
    return out;
}

}  // namespace pgpkit::keyring
