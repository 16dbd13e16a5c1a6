#pragma once
// `pgpkit serve` as a separate process for the tests that need real processes (two servers
// on one database, kill -9): started on a port the kernel picks, stopped at destruction.

#include <cstdint>
#include <string>

namespace pgpkit::test {

class ServeProcess {
public:
    /** Starts `pgpkit serve --listen 127.0.0.1:0 ARGS`, logging to `log_file`, and waits
     *  for its "listening on" line. Throws std::runtime_error if it does not come. */
    ServeProcess(const std::string& args, const std::string& log_file);
    ~ServeProcess();  ///< SIGTERM, then waits for the process
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    std::uint16_t port() const noexcept { return m_port; }
    int pid() const noexcept { return m_pid; }
    /** SIGKILL now (the destructor then only reaps it). */
    void kill_hard();

private:
    int m_pid = -1;
    std::uint16_t m_port = 0;
};

}  // namespace pgpkit::test
