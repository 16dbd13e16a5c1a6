#pragma once
// The stored certificates that issued the third-party signatures of a certificate, as a
// key index for the checks of import-clean and export-clean.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "cert/cert.h"
#include "cert/verify.h"
#include "keyring/store.h"

namespace pgpkit::keyring::internal {

/** Issuer certificates loaded from the store; `index` points into `certs`. */
struct IssuerKeys {
    std::vector<std::unique_ptr<cert::Cert>> certs;
    cert::KeyIndex index;
};

/** The certificate stored under `fpr` (one keyblock, parsed). */
[[nodiscard]] cert::Cert parse_stored(ByteView block, ByteView fpr);

/** The issuer key IDs of the signatures of `c` not made by its primary key, one per signature, in order. */
[[nodiscard]] std::vector<std::array<std::uint8_t, 8>> third_party_issuers(const cert::Cert& c);

/** The 8-octet key ID of a fingerprint: its low 8 octets for v4, its high 8 for v5/v6. */
[[nodiscard]] Bytes keyid_of_fingerprint(ByteView fpr);

/**
 * The primary fingerprint of the stored certificate whose primary key made `s` (by its
 * issuer fingerprint, else its issuer key ID), if the store has one.
 */
[[nodiscard]] std::optional<Bytes> primary_of_issuer(Store& store, const packet::Signature& s);

/** Loads, once each, the stored certificates with a key that issued a signature of `c`. */
void load_issuers(Store& store, const cert::Cert& c, IssuerKeys& out);

/** Loads, once each, the stored certificates with a key of one of these key IDs. */
void load_issuers(Store& store, const std::vector<std::array<std::uint8_t, 8>>& keyids, IssuerKeys& out);

}  // namespace pgpkit::keyring::internal
