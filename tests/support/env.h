#pragma once
// Helpers shared by the test suites: locating test data and the pgpkit binary, and
// running commands. A missing file or tool is a failure, never a skip.

#include <string>
#include <vector>

#include "base/bytes.h"

namespace pgpkit::test {

/** Path of shared/testdata (PGPKIT_TESTDATA, else the configured path). */
std::string shared_testdata();
/** Path of tests/data (PGPKIT_TEST_DATA_DIR). */
std::string test_data_dir();
/** Path of the pgpkit executable (PGPKIT_BIN). */
std::string pgpkit_bin();

Bytes read_bytes(const std::string& path);
void write_bytes(const std::string& path, ByteView data);

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};
/** Runs `command` with /bin/sh, capturing stdout and stderr; stdin is /dev/null unless given. */
RunResult run(const std::string& command, const std::string& stdin_data = {});

/** A fresh temporary directory, removed (recursively) on destruction. */
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const noexcept { return m_path; }
    std::string file(const std::string& name) const { return m_path + "/" + name; }

private:
    std::string m_path;
};

/** Splits at every `sep`; n separators give n + 1 fields (empty ones included). */
std::vector<std::string> split(const std::string& s, char sep);

/** The lines of `s` that are not empty, without their line ends. */
std::vector<std::string> non_empty_lines(const std::string& s);

/** Quotes a string for /bin/sh. */
std::string shell_quote(const std::string& s);

}  // namespace pgpkit::test
