#pragma once
// The check of one data signature against the keys of VerifyOptions, shared by the
// verification of each message form; and the status lines of its report.

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cert/validity.h"
#include "message/verify.h"

namespace pgpkit::message::internal {

/** A signer's certificate and its checks. */
struct Signer {
    cert::Cert cert;
    cert::CertReport rep;
};

}  // namespace pgpkit::message::internal

namespace pgpkit::message {

struct SignerCache::Impl {
    cert::VerifierCache verifiers;
    std::unordered_map<std::uint64_t, std::vector<std::unique_ptr<internal::Signer>>> signers;
};

}  // namespace pgpkit::message

namespace pgpkit::message::internal {

class Checker {
public:
    explicit Checker(const VerifyOptions& opt);
    /**
     * Checks `sig` over `digest` (nullopt when the data could not be hashed, `why` says
     * why), reports it through the status sink and returns the report.
     */
    SignatureReport check(const packet::Signature& sig, const std::optional<Bytes>& digest, const std::string& why);

private:
    const std::vector<std::unique_ptr<Signer>>& signers(std::uint64_t keyid);
    void describe(SignatureReport& r, const Signer& s, const cert::ComponentReport& key) const;
    /** `base` completed for the key `kr` of `s`: its verdict on `sig` over `digest`. */
    SignatureReport against(SignatureReport base, const packet::Signature& sig, const Bytes& digest, const Signer& s,
                            const cert::ComponentReport& kr);

    const VerifyOptions& m_opt;
    SignerCache m_own;
    SignerCache::Impl& m_cache;  ///< opt.cache's, else m_own's
};

/** Writes the status lines gpg writes for a checked signature (NEWSIG ... TRUST_*). */
void report_status(const VerifyOptions& opt, const SignatureReport& r);

/** Uppercase hex of octets. */
std::string hex(ByteView b);

}  // namespace pgpkit::message::internal
