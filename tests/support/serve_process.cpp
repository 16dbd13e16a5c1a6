// `pgpkit serve` processes for the tests (tests/keyserver/serve_process.h).
#include "tests/support/serve_process.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "tests/support/env.h"

namespace pgpkit::test {

namespace {

/** False once the process is gone or a zombie (a container's init may never reap it). */
bool alive(int pid) {
    if (::kill(pid, 0) != 0) return false;
    try {
        const Bytes b = read_bytes("/proc/" + std::to_string(pid) + "/stat");
        const std::string stat(b.begin(), b.end());
        const auto paren = stat.rfind(')');
        return paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] != 'Z';
    } catch (...) {
        return false;
    }
}

void wait_gone(int pid) {
    for (int i = 0; i < 1000 && alive(pid); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

}  // namespace

ServeProcess::ServeProcess(const std::string& args, const std::string& log_file) {
    const RunResult r = run(shell_quote(pgpkit_bin()) + " serve --listen 127.0.0.1:0 " + args + " >/dev/null 2>" +
                            shell_quote(log_file) + " & echo $!");
    m_pid = std::stoi(r.out);
    const std::string marker = "listening on 127.0.0.1:";
    for (int i = 0; i < 500 && m_port == 0; ++i) {
        std::string log;
        try {
            const Bytes b = read_bytes(log_file);
            log.assign(b.begin(), b.end());
        } catch (const std::exception&) {
            // The shell has forked the server; its redirection has not made the file yet.
        }
        if (const auto at = log.find(marker); at != std::string::npos) {
            m_port = static_cast<std::uint16_t>(std::stoi(log.substr(at + marker.size())));
            break;
        }
        if (!alive(m_pid)) throw std::runtime_error("pgpkit serve exited: " + log);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (m_port == 0) throw std::runtime_error("pgpkit serve did not say where it listens");
}

ServeProcess::~ServeProcess() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGTERM);
    wait_gone(m_pid);  // not our child (the shell started it)
}

void ServeProcess::kill_hard() {
    ::kill(m_pid, SIGKILL);
    wait_gone(m_pid);
    m_pid = -1;
}

}  // namespace pgpkit::test
