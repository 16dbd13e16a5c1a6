#pragma once
// The PostgreSQL engine of the keyserver store: the store that outgrows one machine
// (DESIGN principle 8). Any number of `pgpkit serve` processes, on any number of machines,
// share one database: each upload is merged in one transaction under a per-certificate
// advisory lock, so concurrent uploads of the same key from two servers both land.

#include <memory>
#include <string>

#include "keyserver/server_store.h"

namespace pgpkit::keyserver {

class PostgresStore final : public KeyserverStore {
public:
    /**
     * Connects to `uri` (a libpq connection URI: postgresql://user@host/db, or
     * postgresql:///db?host=/socket/dir) and creates the tables when they are missing.
     * @throws Error(Errc::Io) if the server cannot be reached or refuses.
     */
    PostgresStore(const std::string& uri, UploadLimits limits = {});
    ~PostgresStore() override;
    PostgresStore(const PostgresStore&) = delete;
    PostgresStore& operator=(const PostgresStore&) = delete;

    [[nodiscard]] std::vector<FoundCert> lookup(const Search& search, const LookupOptions& opt) override;
    [[nodiscard]] AddResult add(ByteView keytext) override;
    bool erase(ByteView fingerprint) override;
    [[nodiscard]] StoreStats stats() override;
    [[nodiscard]] std::string engine() const override { return "postgresql"; }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace pgpkit::keyserver
