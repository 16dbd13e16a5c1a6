// Known peer deviations of the vector suite: where a peer's reading of a file differs from
// the manifest, as observed with the peer version named. The oracle test
// (tests/oracle/vectors_oracle_test.cpp) fails on any disagreement not listed here, and on
// a listed one that no longer happens with that version.
#include <string>
#include <string_view>

#include "message/internal/vectors_build.h"

namespace pgpkit::message::internal {

namespace {

struct Deviation {
    const char* files;  ///< file name pattern: '*' matches any run of characters, '?' one
    const char* text;   ///< "peer version: what it does"
};

constexpr Deviation deviations[] = {
    {"key-*-v5.*", "gpg 2.2.40: rejects (gpg 2.2 reads key versions 3 and 4 only)"},
    {"key-*-v6.*", "gpg 2.2.40: rejects (gpg 2.2 reads key versions 3 and 4 only)"},
    {"sig-*-v6.sig", "gpg 2.2.40: rejects (gpg 2.2 has no v6 signatures, v6 PKESK or SEIPD v2)"},
    {"msg-*-v6.pgp", "gpg 2.2.40: rejects (gpg 2.2 has no v6 signatures, v6 PKESK or SEIPD v2)"},
    {"key-*-v5.*", "sq 0.27.0: keyids differ (Sequoia 1.12 lists v5 and v6 keys as unknown versions)"},
    {"key-*-v6.*", "sq 0.27.0: keyids differ (Sequoia 1.12 lists v5 and v6 keys as unknown versions)"},
    {"key-*-v5.*", "sq 0.27.0: fingerprints differ (Sequoia 1.12 lists v5 and v6 keys as unknown versions)"},
    {"key-*-v6.*", "sq 0.27.0: fingerprints differ (Sequoia 1.12 lists v5 and v6 keys as unknown versions)"},
    {"key-*-v5.*", "rnp 0.16.3: keyids differ (rnp 0.16 does not parse v5 and v6 key packets)"},
    {"key-*-v6.*", "rnp 0.16.3: keyids differ (rnp 0.16 does not parse v5 and v6 key packets)"},
    {"key-*-v5.*", "rnp 0.16.3: fingerprints differ (rnp 0.16 does not parse v5 and v6 key packets)"},
    {"key-*-v6.*", "rnp 0.16.3: fingerprints differ (rnp 0.16 does not parse v5 and v6 key packets)"},
    {"key-*-v5.*", "pgpdump 0.34: rejects (pgpdump 0.34 stops at v5 and v6 key packets: unknown version)"},
    {"key-*-v6.*", "pgpdump 0.34: rejects (pgpdump 0.34 stops at v5 and v6 key packets: unknown version)"},
    {"legacy-v3-*", "gpg 2.2.40: keyids differ (gpg 2.2 lists v3 keys as obsolete, without a key ID)"},
    {"legacy-v3-*", "sq 0.27.0: keyids differ (Sequoia 1.12 lists v3 keys as an unknown version)"},
    {"legacy-v3-*", "sq 0.27.0: fingerprints differ (Sequoia 1.12 lists v3 keys as an unknown version)"},
    {"legacy-v3-*", "rnp 0.16.3: fingerprints differ (rnp 0.16 prints no fingerprint for v3 keys)"},
    {"legacy-v3-elgamal.pub.pgp", "rnp 0.16.3: keyids differ (rnp 0.16 refuses v3 keys of algorithms other than RSA)"},
    {"old-gnupg-chunked.pgp",
     "rnp 0.16.3: rejects (reads length type 3 as indeterminate, so a chunk length is taken for data)"},
    {"new-len5-4294967295.pgp", "gpg 2.2.40: accepts (lists the packet whose body is cut short and exits 0)"},
    {"old-len4-4294967295.pgp", "gpg 2.2.40: accepts (lists the packet whose body is cut short and exits 0)"},
    {"neg-truncated-key.pgp", "gpg 2.2.40: accepts (lists the packet whose body is cut short and exits 0)"},
    {"neg-length-past-end.pgp", "gpg 2.2.40: accepts (lists the packet whose body is cut short and exits 0)"},
    {"neg-inner-length-past-end.pgp", "gpg 2.2.40: accepts (lists the packet whose body is cut short and exits 0)"},
    {"partial-first-chunk-256.pgp", "gpg 2.2.40: accepts (no 512-octet minimum for the first partial chunk)"},
    {"compressed-depth-17.pgp", "gpg 2.2.40: accepts (its nesting limit is above 16)"},
    {"neg-subpacket-past-end.sig", "gpg 2.2.40: accepts (lists the bad subpacket area and exits 0)"},
    {"neg-compression-bomb.pgp", "gpg 2.2.40: accepts (no limit on the decompression ratio)"},
    {"compressed-depth-17.pgp", "sq 0.27.0: accepts (shows the container past its depth limit as opaque, exit 0)"},
    {"neg-subpacket-past-end.sig", "sq 0.27.0: accepts (shows the signature as unparsable, exit 0)"},
    {"neg-compression-bomb.pgp", "sq 0.27.0: accepts (no limit on the decompression ratio)"},
    {"new-len5-4294967295.pgp", "rnp 0.16.3: accepts (rnp --list-packets exits 0 when a body is cut short)"},
    {"old-len4-4294967295.pgp", "rnp 0.16.3: accepts (rnp --list-packets exits 0 when a body is cut short)"},
    {"partial-2^21.pgp", "rnp 0.16.3: accepts (rnp --list-packets exits 0 when a body is cut short)"},
    {"partial-2^22.pgp", "rnp 0.16.3: accepts (rnp --list-packets exits 0 when a body is cut short)"},
    {"partial-2^23.pgp", "rnp 0.16.3: accepts (rnp --list-packets exits 0 when a body is cut short)"},
    {"partial-2^24.pgp", "rnp 0.16.3: accepts (rnp --list-packets exits 0 when a body is cut short)"},
    {"partial-2^25.pgp", "rnp 0.16.3: accepts (rnp --list-packets exits 0 when a body is cut short)"},
    {"partial-2^26.pgp", "rnp 0.16.3: accepts (rnp --list-packets exits 0 when a body is cut short)"},
    {"partial-2^27.pgp", "rnp 0.16.3: accepts (rnp --list-packets exits 0 when a body is cut short)"},
    {"partial-2^28.pgp", "rnp 0.16.3: accepts (rnp --list-packets exits 0 when a body is cut short)"},
    {"partial-2^29.pgp", "rnp 0.16.3: accepts (rnp --list-packets exits 0 when a body is cut short)"},
    {"partial-2^30.pgp", "rnp 0.16.3: accepts (rnp --list-packets exits 0 when a body is cut short)"},
    {"neg-truncated-body.pgp", "rnp 0.16.3: accepts (rnp --list-packets exits 0 when a body is cut short)"},
    {"neg-truncated-key.pgp", "rnp 0.16.3: accepts (rnp --list-packets exits 0 when a body is cut short)"},
    {"neg-length-past-end.pgp", "rnp 0.16.3: accepts (rnp --list-packets exits 0 when a body is cut short)"},
    {"neg-inner-length-past-end.pgp", "rnp 0.16.3: accepts (rnp --list-packets exits 0 when a body is cut short)"},
    {"partial-first-chunk-256.pgp", "rnp 0.16.3: accepts (no 512-octet minimum for the first partial chunk)"},
    {"compressed-depth-17.pgp", "rnp 0.16.3: accepts (its nesting limit is above 16)"},
    {"neg-subpacket-past-end.sig", "rnp 0.16.3: accepts (prints 'failed to parse', exit 0)"},
    {"neg-compressed-corrupt.pgp", "rnp 0.16.3: accepts (stops at the corrupt stream, exit 0)"},
    {"neg-compression-bomb.pgp", "rnp 0.16.3: accepts (no limit on the decompression ratio)"},
    {"new-len5-4294967295.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"old-len4-4294967295.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"partial-2^21.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"partial-2^22.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"partial-2^23.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"partial-2^24.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"partial-2^25.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"partial-2^26.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"partial-2^27.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"partial-2^28.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"partial-2^29.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"partial-2^30.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"neg-truncated-body.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"neg-truncated-key.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"neg-truncated-header.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"neg-length-past-end.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"neg-bad-ctb.pgp", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"neg-subpacket-past-end.sig", "pgpdump 0.34: accepts (exits 0 after printing what it could)"},
    {"partial-first-chunk-256.pgp", "pgpdump 0.34: accepts (no 512-octet minimum for the first partial chunk)"},
    {"compressed-depth-17.pgp", "pgpdump 0.34: accepts (no nesting limit)"},
    {"neg-compression-bomb.pgp", "pgpdump 0.34: accepts (no limit on the decompression ratio)"},
    {"neg-partial-on-key.pgp", "pgpdump 0.34: accepts (takes partial lengths on any packet)"},
    {"neg-armor-bad-crc.asc", "pgpdump 0.34: accepts (does not check the armor checksum)"},
};

bool matches(std::string_view pattern, std::string_view name) {
    if (pattern.empty()) return name.empty();
    if (pattern.front() == '*') {
        for (std::size_t i = 0; i <= name.size(); ++i)
            if (matches(pattern.substr(1), name.substr(i))) return true;
        return false;
    }
    return !name.empty() && (pattern.front() == '?' || pattern.front() == name.front()) &&
           matches(pattern.substr(1), name.substr(1));
}

}  // namespace

std::string known_deviations(const VectorFile& f) {
    std::string out;
    for (const Deviation& d : deviations)
        if (*d.files && matches(d.files, f.name)) out += (out.empty() ? "" : "; ") + std::string(d.text);
    return out;
}

}  // namespace pgpkit::message::internal
