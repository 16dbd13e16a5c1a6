#pragma once
// The one writer of GnuPG status lines (doc/DETAILS, "Format of the --status-fd output")
// for every subcommand: "[GNUPG:] KEYWORD ARGS\n" on --status-fd N or --status-file FILE.
// Policy: a line that cannot be written is an error (Errc::Io) that ends the command;
// a caller that asked for status lines must not get a silently shortened stream.

#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"

namespace CLI {
class App;
}

namespace pgpkit::cli {

struct StatusOptions {
    int fd = -1;
    std::string file;
};

/** Adds --status-fd and --status-file to a subcommand. */
void add_status_options(CLI::App* cmd, StatusOptions& opt);

class StatusWriter {
public:
    explicit StatusWriter(const StatusOptions& opt);
    ~StatusWriter();
    StatusWriter(const StatusWriter&) = delete;
    StatusWriter& operator=(const StatusWriter&) = delete;

    bool enabled() const noexcept { return m_fd >= 0; }
    /** Writes one line. Thread-safe. @throws Error(Errc::Io) if it cannot be written. */
    void write(const StatusEvent& ev);
    void write(std::string keyword, std::vector<std::string> args = {});
    /** A library sink that writes here (valid while the writer lives). */
    StatusSink sink();

private:
    int m_fd = -1;
    bool m_own = false;
    std::string m_name;
    std::mutex m_mu;
};

/** The line without its newline, as written: "[GNUPG:] KEYWORD A B". */
[[nodiscard]] std::string format_status(const StatusEvent& ev);

}  // namespace pgpkit::cli
