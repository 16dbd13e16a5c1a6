#pragma once
// The verdict on one signature (what `check-sigs` reports per signature).

#include <cstdint>
#include <string>

namespace pgpkit::cert {

/**
 * Good: the signature verifies. Bad: a well-formed signature that does not verify.
 * NoKey: the issuer is not known. Unsupported: an algorithm, curve or size pgpkit cannot
 * check. Malformed: the key or the signature cannot be what it claims (fields that do not
 * decode, a point not on its curve, a key of another algorithm than the signature).
 */
enum class Verdict : std::uint8_t { Good, Bad, NoKey, Unsupported, Malformed };

/** "good", "bad", "no-key", "unsupported", "malformed". */
inline const char* verdict_name(Verdict v) noexcept {
    switch (v) {
    case Verdict::Good: return "good";
    case Verdict::Bad: return "bad";
    case Verdict::NoKey: return "no-key";
    case Verdict::Unsupported: return "unsupported";
    case Verdict::Malformed: return "malformed";
    }
    return "malformed";
}

struct CryptoResult {
    Verdict verdict = Verdict::Bad;
    std::string reason;  ///< short and specific; empty for Good
};

}  // namespace pgpkit::cert
