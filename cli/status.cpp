#include "cli/status.h"

#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.h"

namespace pgpkit::cli {

void add_status_options(CLI::App* cmd, StatusOptions& opt) {
    cmd->add_option("--status-fd", opt.fd, "Write GnuPG status lines to this file descriptor");
    cmd->add_option("--status-file", opt.file, "Write GnuPG status lines to this file");
}

StatusWriter::StatusWriter(const StatusOptions& opt) {
    if (!opt.file.empty()) {
        m_fd = ::open(opt.file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (m_fd < 0) throw Error(Errc::Io, 0, opt.file + ": cannot open status file: " + std::strerror(errno));
        m_own = true;
        m_name = opt.file;
    } else if (opt.fd >= 0) {
        m_fd = opt.fd;
        m_name = "status fd " + std::to_string(opt.fd);
    }
}

StatusWriter::~StatusWriter() {
    if (m_own) ::close(m_fd);
}

std::string format_status(const StatusEvent& ev) {
    std::string line = "[GNUPG:] " + ev.keyword;
    for (const std::string& a : ev.args) {
        line += ' ';
        // As gpg's write_status_strings: line breaks inside an argument are written as \n, \r.
        for (char c : a) {
            if (c == '\n') line += "\\n";
            else if (c == '\r') line += "\\r";
            else line += c;
        }
    }
    return line;
}

void StatusWriter::write(const StatusEvent& ev) {
    if (m_fd < 0) return;
    const std::string s = format_status(ev) + "\n";
    std::lock_guard<std::mutex> lock(m_mu);
    std::size_t off = 0;
    while (off < s.size()) {
        const ssize_t n = ::write(m_fd, s.data() + off, s.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw Error(Errc::Io, 0, "cannot write to " + m_name + ": " + std::strerror(errno));
        off += static_cast<std::size_t>(n);
    }
}

void StatusWriter::write(std::string keyword, std::vector<std::string> args) {
    write(StatusEvent{std::move(keyword), std::move(args)});
}

StatusSink StatusWriter::sink() {
    if (m_fd < 0) return {};
    return [this](const StatusEvent& ev) { write(ev); };
}

}  // namespace pgpkit::cli
