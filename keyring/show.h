#pragma once
// gpg --show-keys (--import-options show-only): what an import of a keyring stream would
// store, without storing it. Each keyblock goes through the import's preparation
// (self-signature checks, removal of invalid parts) and is handed over for listing; a bare
// key revocation is checked against the key it names in the store (gpg's "rvs" record).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cert/cert.h"
#include "cert/verify.h"
#include "keyring/clean.h"
#include "keyring/store.h"
#include "packet/packet.h"
#include "packet/source.h"

namespace pgpkit::keyring {

struct ShowOptions {
    ImportOptions import;
    cert::Policy policy;
    std::uint32_t now = 0;  ///< the time validity is judged at; 0: the clock
    packet::ParseOptions parse;
};

/** A keyblock as an import would take it in. */
struct ShownKey {
    cert::Cert cert;       ///< after the import's preparation (secret packets kept)
    Problem problem = Problem::None;  ///< why an import would refuse it (it is shown anyway, as gpg does)
    /** The stored certificates with keys that issued its third-party signatures. */
    std::vector<cert::Cert> issuers;
};

/** A bare key revocation (a signature of type 0x20 outside any keyblock). */
struct ShownRevocation {
    packet::Packet signature;
    /** The check against the stored key it names; crypto NoKey when the store has none. */
    cert::SigCheck check;
    /** The stored certificate of that key, if any (for the revoked key's user ID). */
    std::optional<cert::Cert> key;
};

struct ShowEvents {
    std::function<void(ShownKey&&)> key;
    std::function<void(ShownRevocation&&)> revocation;
    /** One line per problem: a malformed certificate (skipped) or a read error (the rest is not read). */
    std::function<void(const std::string&)> error;
};

/**
 * Reads every keyblock and bare revocation of `input` (binary, armored or a GnuPG
 * keybox) in order and hands each over. `store` (may be null) supplies the keys that
 * third-party checks and revocations are verified against; nothing is written. PGP 2
 * (v3) keys are skipped silently, as gpg 2.2 skips them. Returns the number of errors.
 */
std::size_t show_keys(packet::Source& input, const std::string& name, Store* store, const ShowOptions& opt,
                      const ShowEvents& ev);

}  // namespace pgpkit::keyring
