#pragma once
// Progress reporting of long computations (prime searches) through a callback interface:
// the library never prints (HOUSE-STYLE rule 16).

namespace pgpkit::crypto {

/**
 * Receives GnuPG's progress characters (doc/DETAILS, "Key generation"):
 * '.' ten candidates failed the Fermat test, '+' the search restarted with a new random
 * value, '!' a new prime for the Elgamal pool was made, '^' a new generator is checked,
 * '<' / '>' the size of one factor was decreased / increased.
 */
class ProgressSink {
public:
    virtual ~ProgressSink() = default;
    /** `what` is GnuPG's progress name ("primegen"); `c` one of the characters above. */
    virtual void progress(const char* what, char c) = 0;
};

}  // namespace pgpkit::crypto
