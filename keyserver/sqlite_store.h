#pragma once
// The SQLite engine of the keyserver store: keys.db of the key store (keyring/store.h),
// written through keyring's Importer, so an upload merges as `pgpkit import` does.

#include <memory>
#include <string>

#include "keyserver/server_store.h"

namespace pgpkit::keyserver {

class SqliteStore final : public KeyserverStore {
public:
    /** Opens (creating when missing) the key store at `db_path`. */
    SqliteStore(const std::string& db_path, UploadLimits limits = {});
    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    [[nodiscard]] std::vector<FoundCert> lookup(const Search& search, const LookupOptions& opt) override;
    [[nodiscard]] AddResult add(ByteView keytext) override;
    bool erase(ByteView fingerprint) override;
    [[nodiscard]] StoreStats stats() override;
    [[nodiscard]] std::string engine() const override { return "sqlite"; }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace pgpkit::keyserver
