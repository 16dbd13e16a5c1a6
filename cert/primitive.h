#pragma once
// The cryptographic check of one signature over a digest (a stand-in until the full
// implementation lands; same interface).

#include <cstdint>
#include <memory>
#include <string>

#include "base/bytes.h"
#include "packet/key.h"
#include "packet/signature.h"

namespace pgpkit::cert {

enum class Verdict : std::uint8_t { Good, Bad, NoKey, Unsupported, Malformed };
const char* verdict_name(Verdict v) noexcept;

struct CryptoResult {
    Verdict verdict = Verdict::Bad;
    std::string reason;
};

/** A key's public material decoded once, to check many signatures. */
class KeyVerifier {
public:
    explicit KeyVerifier(const packet::Key& key);
    /** Checks sig.fields against digest. Never throws for bad input. */
    CryptoResult verify(const packet::Signature& sig, ByteView digest) const;

private:
    const packet::Key* m_key;
};

CryptoResult verify_digest(const packet::Key& key, const packet::Signature& sig, ByteView digest);

}  // namespace pgpkit::cert
