#pragma once
// The checks behind fuzz_import: gpg's import preparation, merge and clean
// (keyring/clean.h, keyring/merge.h) on every certificate of an untrusted input, without
// a store. Shared with the GoogleTest replay. Returns normally for any input; a broken
// invariant aborts (fuzz::require).

#include <vector>

#include "base/error.h"
#include "cert/cert.h"
#include "keyring/import_stats.h"
#include "keyring/merge.h"
#include "tests/fuzz/targets.h"

namespace pgpkit::fuzz {

/** Imports `c` into nothing, then again into the result: the second adds nothing. */
inline void import_twice(const cert::Cert& c, const keyring::ImportOptions& opt, keyring::ImportStats& stats) {
    cert::CheckContext ctx;
    const std::uint32_t now = 1700000000u;
    keyring::ImportResult first = keyring::import_cert(c, nullptr, opt, ctx, now);
    stats.add(first);
    require(!first.store || first.outcome == keyring::ImportOutcome::New);
    if (!first.store) return;
    const Bytes stored = cert::write_cert(first.cert);
    keyring::ImportResult again = keyring::import_cert(c, &first.cert, opt, ctx, now);
    stats.add(again);
    require(again.outcome != keyring::ImportOutcome::New);
    require(again.counts.uids == 0 && again.counts.subkeys == 0);
    cert::Cert cleaned = first.cert;
    (void)keyring::clean_cert(cleaned, false, ctx, now);
    (void)keyring::clean_cert(cleaned, true, ctx, now);
    require(cert::packets_of(cleaned).size() <= cert::packets_of(first.cert).size());
    require(cert::write_cert(first.cert) == stored);  // merging into a copy left it alone
}

inline void import_one(ByteView in) {
    cert::ReadOptions ro;
    ro.parse = parse_options();
    ro.max_packets_per_cert = 4096;
    ro.raise_malformed = false;
    ro.deliver_partial = false;
    std::vector<cert::Cert> certs;
    try {
        certs = cert::read_all_certs(in, ro);
    } catch (const Error&) {
        return;
    }
    keyring::ImportStats stats;
    keyring::ImportOptions clean;
    clean.import_clean = true;
    for (const auto& c : certs) {
        import_twice(c, {}, stats);
        import_twice(c, clean, stats);
    }
    (void)keyring::summary_lines(stats);
    (void)keyring::import_res_args(stats);
}

}  // namespace pgpkit::fuzz
