#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace pgpkit::cli {

using Clock = std::chrono::steady_clock;

Progress::Progress(std::string what)
    : m_what(std::move(what)), m_enabled(::isatty(2) == 1), m_start(Clock::now()), m_last(m_start) {}

Progress::~Progress() { clear(); }

std::string format_eta(std::uint64_t s) {
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%llu:%02llu:%02llu", static_cast<unsigned long long>(s / 3600),
                      static_cast<unsigned long long>(s / 60 % 60), static_cast<unsigned long long>(s % 60));
    else
        std::snprintf(buf, sizeof buf, "%llu:%02llu", static_cast<unsigned long long>(s / 60),
                      static_cast<unsigned long long>(s % 60));
    return buf;
}

void Progress::update(std::uint64_t done, std::optional<std::uint64_t> total, std::uint64_t items) {
    if (!m_enabled) return;
    const auto now = Clock::now();
    if (now - m_start < std::chrono::seconds(1) || now - m_last < std::chrono::milliseconds(100)) return;
    m_last = now;
    const double elapsed = std::chrono::duration<double>(now - m_start).count();
    std::string line = "pgpkit: " + m_what + ": " + std::to_string(items) + " keys";
    if (total && *total > 0 && done <= *total) {
        const double frac = static_cast<double>(done) / static_cast<double>(*total);
        char pct[16];
        std::snprintf(pct, sizeof pct, ", %3.0f%%", frac * 100.0);
        line += pct;
        if (frac > 0.01) line += ", ETA " + format_eta(static_cast<std::uint64_t>(elapsed / frac - elapsed));
    }
    std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
    m_shown = true;
}

void Progress::clear() {
    if (!m_shown) return;
    std::fputs("\r\x1b[K", stderr);
    m_shown = false;
}

}  // namespace pgpkit::cli
