// The test cluster and per-test databases (tests/keyserver/postgres.h).
#include "tests/keyserver/postgres.h"

#include <unistd.h>

#include <atomic>
#include <stdexcept>

#include "tests/support/env.h"

namespace pgpkit::test {

namespace {

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

/** The cluster's URI: $PGPKIT_TEST_PG_DIR (default: <build>/pg), started if it is not running. */
const std::string& cluster_uri() {
    static const std::string uri = [] {
        const char* env = std::getenv("PGPKIT_TEST_PG_DIR");
        const std::string dir = env && *env ? env : PGPKIT_TEST_PG_DIR;
        const RunResult r = run("bash " + shell_quote(std::string(PGPKIT_SOURCE_DIR) + "/scripts/pg-throwaway.sh") +
                                " start " + shell_quote(dir));
        if (r.exit_code != 0) throw std::runtime_error("cannot start the PostgreSQL test cluster: " + r.err);
        return trimmed(r.out);
    }();
    return uri;
}

RunResult psql_on(const std::string& uri, const std::string& sql) {
    return run("psql -X -q -t -A -v ON_ERROR_STOP=1 " + shell_quote(uri) + " -c " + shell_quote(sql));
}

}  // namespace

TestDatabase::TestDatabase() : m_cluster(cluster_uri()) {
    static std::atomic<int> counter{0};
    m_name = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    const RunResult r = psql_on(m_cluster, "CREATE DATABASE " + m_name);
    if (r.exit_code != 0) throw std::runtime_error("CREATE DATABASE " + m_name + ": " + r.err);
    const auto at = m_cluster.find("/pgpkit?");
    if (at == std::string::npos) throw std::runtime_error("unexpected cluster URI " + m_cluster);
    m_uri = m_cluster.substr(0, at) + "/" + m_name + m_cluster.substr(at + 7);
}

TestDatabase::~TestDatabase() { (void)psql_on(m_cluster, "DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)"); }

std::string TestDatabase::psql(const std::string& sql) const {
    const RunResult r = psql_on(m_uri, sql);
    if (r.exit_code != 0) throw std::runtime_error(sql + ": " + r.err);
    return trimmed(r.out);
}

}  // namespace pgpkit::test
