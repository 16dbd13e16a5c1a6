#pragma once
// Where listings and checks read certificates from: the key store of a home folder,
// keyring files (binary or armored OpenPGP, e.g. an old pubring.gpg or secring.gpg) and
// GnuPG keybox files (pubring.kbx), told apart by content. One reader for every command
// that takes `--keyring` or lists the store, so they all see the same certificates.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "cert/cert.h"
#include "keyring/colons.h"
#include "keyring/spec.h"
#include "keyring/store.h"

namespace pgpkit::keyring {

enum class SourceKind : std::uint8_t {
    Store,        ///< keys.db of a home folder
    KeyringFile,  ///< OpenPGP packets, binary or armored, any number of certificates
    Keybox,       ///< GnuPG's keybox format (read-only; ring-trust packets are not listed)
};

const char* source_kind_name(SourceKind k) noexcept;

/** One source as listings name it. */
struct CertSource {
    SourceKind kind = SourceKind::KeyringFile;
    /** The file as given (keyring, keybox), or the path of keys.db. */
    std::string path;
};

/**
 * The kind of a file by its first octets: Keybox when it opens with a keybox header blob
 * (is_keybox), else KeyringFile.
 * @throws Error(Errc::Io) naming the file if it cannot be opened.
 */
[[nodiscard]] SourceKind file_kind(const std::string& path);

/** A certificate as a source yields it. */
struct SourcedCert {
    cert::Cert cert;
    std::size_t source = 0;  ///< index into Sources::list()
    /**
     * For certificates of the store with a stored secret keyblock: field 15 of each key
     * (the store keeps public and secret parts apart). Empty for other sources, where a
     * secret key packet carries its own (secret_flag).
     */
    std::optional<SecretParts> secret;
    /**
     * True if a listing of secret keys shows it: a secret key packet of a file, or for the
     * store some key with a secret part that is not a stub (as gpg requires of the agent).
     */
    bool has_secret = false;
};

/** What to read. */
struct SourceReadOptions {
    cert::ReadOptions read;
    /** Only certificates with a secret part (list-secret-keys). */
    bool secret_only = false;
    /**
     * Only certificates matching one of these (gpg's user ID forms). Over the store every
     * form but Substring is an index look-up; over files each certificate is matched.
     */
    std::vector<KeySpec> specs;
    /** Packets of a keyring file before its first primary key (cert::ReadEvents::stray). */
    std::function<void(const CertSource&, const packet::Packet&, const std::string& why)> stray;
};

/**
 * A list of sources, read in order. Owns the store it opens.
 *
 * Errors while reading a file are rethrown with the file name in front of the detail,
 * after the certificates before the error were handed over.
 */
class Sources {
public:
    Sources();
    ~Sources();
    Sources(Sources&&) noexcept;
    Sources& operator=(Sources&&) noexcept;

    /**
     * The store of a home folder (see resolve_home). A home or keys.db that does not
     * exist is not created and yields no certificates.
     */
    void add_store(const std::string& home);
    /** A keyring or keybox file, its kind detected by content (file_kind). */
    void add_file(const std::string& path);

    const std::vector<CertSource>& list() const noexcept { return m_sources; }

    /**
     * Hands each certificate to `fn`, source by source in order (the store in insertion
     * order, files in file order); `fn` returns false to stop.
     */
    void for_each(const SourceReadOptions& opt, const std::function<bool(SourcedCert&&)>& fn);

    /**
     * The certificates holding a key with one of these key IDs (8 octets each): the
     * issuers a listing of a few certificates names or checks signatures with. An index
     * look-up each in the store, a pass over each file. Nothing for an empty list.
     */
    [[nodiscard]] std::vector<cert::Cert> certs_with_keys(const std::vector<Bytes>& keyids,
                                                          const cert::ReadOptions& ro = {});

    /** Adds the verifications stored with the certificates of every store source. */
    void load_verified(cert::VerifiedSignatures& into);
    /**
     * Stores in each store source the new verifications `from` recorded for its
     * certificates. False if a store could not be written (busy or read-only): that loses
     * only the speed-up of the next listing, so callers go on.
     */
    bool save_verified(cert::VerifiedSignatures& from);

private:
    struct StoreSource;
    void read_store(StoreSource& s, std::size_t index, const SourceReadOptions& opt,
                    const std::function<bool(SourcedCert&&)>& fn);
    std::vector<CertSource> m_sources;
    std::vector<std::unique_ptr<StoreSource>> m_stores;  ///< parallel to m_sources (null for files)
};

/**
 * True if `c` matches `spec` as the store's look-ups do: key IDs and fingerprints of the
 * primary key or a subkey, the exact e-mail address (case-insensitive), the exact user
 * ID, the domain of an address, or a case-insensitive substring of a user ID.
 */
[[nodiscard]] bool cert_matches(const cert::Cert& c, const KeySpec& spec);

}  // namespace pgpkit::keyring
