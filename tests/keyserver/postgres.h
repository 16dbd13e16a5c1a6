#pragma once
// PostgreSQL for the keyserver tests: the throwaway cluster of scripts/pg-throwaway.sh
// (started by ctest's PostgresCluster fixture, or here on first use when a test runs by
// hand), and a fresh database per test.

#include <string>

namespace pgpkit::test {

/** A new, empty database on the test cluster, dropped when this goes. Fails the test
 *  (throws) if the cluster cannot be started: PostgreSQL is a dependency, never a skip. */
class TestDatabase {
public:
    TestDatabase();
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    /** libpq URI of the database: postgresql:///NAME?host=SOCKETDIR&user=postgres */
    const std::string& uri() const noexcept { return m_uri; }
    /** Runs SQL on the database with psql; its output. */
    std::string psql(const std::string& sql) const;

private:
    std::string m_name;
    std::string m_cluster;  ///< URI of the cluster's pgpkit database
    std::string m_uri;
};

}  // namespace pgpkit::test
