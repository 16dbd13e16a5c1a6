// Certificates of the keyserver tests (tests/keyserver/sample_certs.h).
#include "tests/keyserver/sample_certs.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "base/error.h"
#include "keyserver/index_build.h"
#include "packet/source.h"
#include "tests/support/env.h"

namespace pgpkit::test {

Bytes ed25519_cert() { return read_bytes(test_data_dir() + "/cert/ed25519-sha512.pgp"); }

std::vector<cert::Cert> debian_certs(std::size_t n, bool certified_only, std::size_t head_bytes) {
    Bytes head = read_bytes("/usr/share/keyrings/debian-keyring.gpg");
    head.resize(std::min(head.size(), head_bytes));
    std::vector<cert::Cert> out;
    packet::MemorySource src(head);
    cert::ReadOptions ro;
    ro.deliver_partial = false;
    try {
        cert::read_certs(src, ro, {[&](cert::Cert&& c) {
                                       if (out.size() >= n) return;
                                       if (certified_only && cert::write_cert(keyserver::without_third_party(c)).size() ==
                                                                 cert::write_cert(c).size())
                                           return;
                                       out.push_back(std::move(c));
                                   },
                                   {}});
    } catch (const Error&) {
        // The cut ends inside a certificate.
    }
    return out;
}

cert::Cert debian_cert() {
    auto certs = debian_certs(1, true, 400000);
    if (certs.empty()) {
        ADD_FAILURE() << "no Debian certificate with third-party certifications";
        return debian_certs(1, false, 400000).at(0);
    }
    return std::move(certs[0]);
}

}  // namespace pgpkit::test
