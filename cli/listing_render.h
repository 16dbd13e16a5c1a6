#pragma once
// Rendering key listings (list-keys, list-secret-keys): gpg 2.2's colon records, its
// human listing, and JSON (the layout is in README.md).

#include <bitset>
#include <optional>
#include <string>
#include <vector>

#include "cert/validity.h"
#include "cli/output.h"
#include "keyring/colons.h"
#include "trust/wot.h"

namespace pgpkit::cli {

/** What the command line asked the listing to show. */
struct ListingOptions {
    unsigned with_fingerprint = 0;  ///< human: spaced primary fingerprint (1), subkeys too (2)
    bool with_keygrip = false;
    bool with_sig_list = false;
    bool check_sigs = false;
    bool with_key_data = false;
    bool secret = false;
    /** Human: a keyring header line (path and dashes) before the first key of each file. */
    bool keyring_headers = true;
    /** spk records for these subpacket types (--list-options show-sig-subpackets). */
    std::bitset<128> sig_subpackets;
    /**
     * Human: gpg's --show-keys (list_keyblock_direct without validity): revoked and
     * expired user IDs and subkeys are shown, and other user IDs carry no validity tag.
     */
    bool show_only = false;
    /** The time validity and signature expiry are judged at. */
    std::uint32_t now = 0;
    /** gpg's "tru" record when validity comes from the web of trust; else the one without a trustdb. */
    std::optional<std::string> tru;
};

/** One certificate to list, its report and the source it came from. */
struct ListedCert {
    const cert::Cert* cert = nullptr;
    const cert::CertReport* report = nullptr;
    std::string keyring;  ///< the source's path (the keyring header of the human listing)
    /** Field 15 of its keys when the secret parts are kept apart (the store); else null. */
    const keyring::SecretParts* secret = nullptr;
    /**
     * Its validity from the web of trust (field 2 of pub/uid/uat/sub, field 9, the human
     * listing's tags); null: the letters of validity without trust.
     */
    const trust::KeyValidity* trust = nullptr;
};

/** The colon options a listing's flags give. */
keyring::ColonOptions colon_options(const ListingOptions& opt);

/** gpg --with-colons --fixed-list-mode: "tru" first (public listings only), then each certificate's records. */
void render_listing_colons(Output& out, const std::vector<ListedCert>& certs, const ListingOptions& opt,
                           const keyring::IssuerNames& names);

/** gpg 2.2's human listing (pub/uid/sub lines, validity tags, fingerprints, signatures). */
void render_listing_text(Output& out, const std::vector<ListedCert>& certs, const ListingOptions& opt,
                         const keyring::IssuerNames& names);

/** One JSON array with an object per certificate (README.md, "list-keys --json"). */
void render_listing_json(Output& out, const std::vector<ListedCert>& certs, const ListingOptions& opt,
                         const keyring::IssuerNames& names);

}  // namespace pgpkit::cli
