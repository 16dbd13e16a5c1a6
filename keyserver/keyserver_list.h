#pragma once
// The user's keyserver list: <home>/keyservers.conf, a plain-text file with one keyserver
// per line and always one default (GpgFrontend's "Key Servers" settings tab).
//
//   # comments and blank lines are ignored
//   hkps://keys.openpgp.org default vks
//   hkp://127.0.0.1:11371
//
// A line is a URL followed by markers: `default` (the server used when none is named;
// at most one line) and `vks` (speaks keys.openpgp.org's VKS API besides HKP).

#include <string>
#include <string_view>
#include <vector>

namespace pgpkit::keyserver {

/** The default when the list is empty or the file is missing. */
inline constexpr std::string_view builtin_keyserver = "hkps://keys.openpgp.org";

/** The name of the file in the home folder. */
inline constexpr std::string_view keyservers_conf_name = "keyservers.conf";

struct KeyserverEntry {
    std::string url;  ///< normalized (normalize_keyserver_url)
    bool vks = false;
    bool operator==(const KeyserverEntry&) const = default;
};

/**
 * A keyserver URL in the one form the list keeps: scheme hkp, hkps, http or https
 * (lower-case), host lower-case, an optional port, no trailing '/'. A bare host name
 * gets hkps://.
 * @throws Error(Errc::Usage) for another scheme, an empty host, a query or a fragment.
 */
[[nodiscard]] std::string normalize_keyserver_url(std::string_view url);

/** The list with its default; never empty to its readers (the built-in default). */
class KeyserverList {
public:
    /**
     * Reads the file; a missing file is an empty list.
     * @throws Error(Errc::BadField) naming the file and line for an unknown marker, a bad
     *         URL or a second default; Error(Errc::Io) if the file cannot be read.
     */
    [[nodiscard]] static KeyserverList load(const std::string& path);
    /** Reads the text of a keyservers.conf; `name` is used in errors. */
    [[nodiscard]] static KeyserverList parse(std::string_view text, const std::string& name);

    /** The file's text, with the explanatory header comment. */
    [[nodiscard]] std::string text() const;
    /** Writes text() atomically (temp file, fsync, rename). @throws Error(Errc::Io) */
    void save(const std::string& path) const;

    /** Listed servers in file order (may be empty). */
    const std::vector<KeyserverEntry>& entries() const noexcept { return m_entries; }
    /** Index of the default in entries(); meaningless when entries() is empty. */
    std::size_t default_index() const noexcept { return m_default; }
    /** The default server: the marked one, else the first, else the built-in default. */
    [[nodiscard]] KeyserverEntry default_server() const;
    /** The order servers are asked in: the default, then the others in file order. */
    [[nodiscard]] std::vector<KeyserverEntry> in_order() const;
    /** The entry for `url` (normalized), or a plain HKP entry when it is not listed. */
    [[nodiscard]] KeyserverEntry lookup(std::string_view url) const;

    /** Adds a server, or updates its vks marker when listed. Returns false if nothing changed. */
    bool add(std::string_view url, bool vks);
    /** Removes a server; the default moves to the first remaining one. False if not listed. */
    bool remove(std::string_view url);
    /** Makes a server the default, adding it when it is not listed. */
    void set_default(std::string_view url);

private:
    std::vector<KeyserverEntry> m_entries;
    std::size_t m_default = 0;
};

}  // namespace pgpkit::keyserver
