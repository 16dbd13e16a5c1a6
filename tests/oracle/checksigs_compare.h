#pragma once
// The model both sides of the check-sigs oracle are reduced to, the two parsers
// (gpg --check-sigs --with-colons, pgpkit check-sigs --json) and the comparison.
// Implemented in checksigs_compare_test.cpp, which also tests the parsers on fixed text.
// See tests/oracle/README.md ("check-sigs") for what is compared and why.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pgpkit::test::checksigs {

/** One signature as listed by one side. */
struct Sig {
    std::string cert;       // certificate fingerprint (upper-case hex)
    std::string component;  // "primary", "uid:<RMD160 of the user ID/attribute body>", "sub:<fpr>"
    std::string sigclass;   // two lower-case hex digits
    std::string issuer;     // 16 upper-case hex digits (derived from the fingerprint if needed)
    long long created = 0;
    std::string marker;     // "!", "-", "?", "%"; empty: gpg did not check it
    std::string context;    // for messages: the component as text, the issuer fpr, ...
};

/** The validity of a certificate, user ID or subkey, reduced to what needs no trust. */
enum class State : std::uint8_t { Valid, Expired, Revoked, Invalid };
const char* state_name(State s);

/** One certificate, user ID / attribute or subkey with its validity. */
struct Component {
    std::string cert;
    std::string component;  // as in Sig
    std::string text;       // user ID text, "[uat]", or the key fingerprint
    State state = State::Valid;
    char gpg_letter = 0;    // gpg's field 2 (gpg side only)
};

/** Everything one side said about one input. */
struct Listing {
    std::vector<Sig> sigs;
    std::vector<Component> components;
    std::size_t certs = 0;
};

/**
 * Parses `gpg --with-colons --fixed-list-mode --check-sigs` (pub/sub/uid/uat/fpr/sig/rev
 * records). Component states: pub/sub field 2 'i'/'r'/'e' -> Invalid/Revoked/Expired,
 * anything else -> Valid; uid/uat field 2 'r'/'e' (with --trust-model always gpg shows
 * the user ID's own revocation/expiry first, then the key's state), else Valid.
 */
Listing parse_gpg_colons(const std::string& text);

/** Reduces `pgpkit check-sigs --json` output (the contract in checksigs-json.md). */
Listing parse_ours_json(const std::string& text);

/** Undoes gpg's colon escaping (\xNN) of field 10. */
std::string gpg_unescape(const std::string& s);

/** The result of comparing the two listings of one input. */
struct Report {
    std::size_t gpg_sigs = 0, our_sigs = 0;
    std::size_t agree = 0;            // same key, same marker
    std::size_t gpg_unchecked = 0;    // gpg listed without a marker (class it does not check)
    std::size_t gpg_only = 0;         // gpg lists, we do not: failure
    std::size_t ours_dropped_component = 0;  // ours, on a component gpg dropped on import
    std::size_t ours_dropped_sig = 0;        // ours, on a component gpg kept, sig not listed
    std::size_t components_compared = 0, components_gpg_dropped = 0;
    std::map<std::string, std::size_t> agree_by_marker;
    std::map<std::string, std::size_t> ours_only_by_marker;  // "component-dropped !" etc.
    std::vector<std::string> mismatches;     // marker disagreements (failures)
    std::vector<std::string> gpg_only_list;  // failures
    std::vector<std::string> validity_mismatches;  // failures
    std::vector<std::string> ours_only_list;  // informative, first ones only

    bool ok() const { return mismatches.empty() && gpg_only_list.empty() && validity_mismatches.empty(); }
    /** The counts as a few lines of text. */
    std::string summary() const;
    /** The failures (and the first informative lines), at most `limit` lines each. */
    std::string details(std::size_t limit) const;
};

Report compare(const Listing& gpg, const Listing& ours);

}  // namespace pgpkit::test::checksigs
