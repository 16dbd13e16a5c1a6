#pragma once
// Rendering the results of certificate checks: gpg's --check-sigs text and JSON.

#include <cstddef>
#include <vector>

#include "cert/validity.h"
#include "cli/output.h"

namespace pgpkit::cli {

/** Signatures by outcome, for the summary and the exit code. */
struct SigTally {
    std::size_t good = 0, bad = 0, no_key = 0, errors = 0;
};

/** Counts one signature under its gpg marker. */
void add_to_tally(SigTally& t, const cert::SigCheck& r);
/** Counts every signature of a certificate's report. */
void add_to_tally(SigTally& t, const cert::CertReport& rep);

/** gpg --check-sigs style listing of every certificate. */
SigTally render_checks_text(Output& out, const std::vector<cert::Cert>& certs,
                            const std::vector<cert::CertReport>& reports, const cert::KeyIndex& index);

/** One JSON array with an object per certificate (the layout is in README.md). */
SigTally render_checks_json(Output& out, const std::vector<cert::Cert>& certs,
                            const std::vector<cert::CertReport>& reports, const cert::KeyIndex& index);

/** gpg's summary lines ("5 good signatures", ...) on standard error. */
void print_tally(const SigTally& t);

}  // namespace pgpkit::cli
