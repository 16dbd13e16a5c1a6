#pragma once
// Machine-readable events of the library, named and formatted as GnuPG's status lines
// (doc/DETAILS, "Format of the --status-fd output"). The library hands them to a sink;
// cli/ writes them as "[GNUPG:] KEYWORD ARGS" lines (DESIGN principle 7).

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pgpkit {

/** One event: a gpg status keyword and its arguments, each formatted as gpg writes it. */
struct StatusEvent {
    std::string keyword;            ///< "IMPORT_OK", "KEY_CREATED", "IMPORT_RES", ...
    std::vector<std::string> args;  ///< in gpg's order; free text already escaped (see below)
    bool operator==(const StatusEvent&) const = default;
};

/** Receives events as they happen. May be empty (no one listens). */
using StatusSink = std::function<void(const StatusEvent&)>;

/** Calls `sink` if it is set. */
inline void emit(const StatusSink& sink, std::string keyword, std::vector<std::string> args = {}) {
    if (sink) sink(StatusEvent{std::move(keyword), std::move(args)});
}

/**
 * gpg's escaping of free text in status arguments (write_status_text_and_buffer): '%',
 * control characters and, when `escape_space` is set, spaces become %XX.
 */
[[nodiscard]] std::string status_escape(std::string_view text, bool escape_space = false);

}  // namespace pgpkit
