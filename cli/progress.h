#pragma once
// A one-line progress indication on standard error, for long runs on a terminal: shown
// only when standard error is a terminal and the run has lasted a second, redrawn at
// most ten times a second, erased at the end.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace pgpkit::cli {

class Progress {
public:
    /** `what` names the run ("importing keys.pgp"). Disabled when stderr is no terminal. */
    explicit Progress(std::string what);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    /** `done` of `total` bytes (total unknown: nullopt), `items` processed so far. */
    void update(std::uint64_t done, std::optional<std::uint64_t> total, std::uint64_t items);
    /** Erases the line (before other output, and at the end). */
    void clear();
    /** Names a new run, keeping the start time. */
    void rename(std::string what) { m_what = std::move(what); }

private:
    std::string m_what;
    bool m_enabled = false;
    bool m_shown = false;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last;
};

/** "1:05" or "1:02:03": a duration in seconds as an ETA. */
[[nodiscard]] std::string format_eta(std::uint64_t seconds);

}  // namespace pgpkit::cli
