#pragma once
// Helpers of the listing oracles (listing_oracle_test.cpp, listing_store_oracle_test.cpp):
// colon listings compared record by record with gpg's, the tru record left out (its
// fields 4 and 5 are gpg's trustdb timestamps).

#include <algorithm>
#include <string>
#include <vector>

#include "tests/support/env.h"

namespace pgpkit::test::listing {

/** The records of a colon listing without "tru" and without empty lines. */
inline std::vector<std::string> records(const std::string& s) {
    std::vector<std::string> out;
    for (const auto& line : split(s, '\n'))
        if (line.rfind("tru:", 0) != 0 && !line.empty()) out.push_back(line);
    return out;
}

/** The listing without its tru record, one record a line. */
inline std::string without_tru(const std::string& s) {
    std::string out;
    for (const auto& r : records(s)) out += r + "\n";
    return out;
}

/** "" when both listings hold the same records, else the first differing ones (at most `limit`). */
inline std::string record_diff(const std::string& gpg, const std::string& ours, std::size_t limit = 8) {
    const auto g = records(gpg), o = records(ours);
    std::string out;
    std::size_t shown = 0;
    for (std::size_t i = 0; i < std::max(g.size(), o.size()) && shown < limit; ++i) {
        const std::string a = i < g.size() ? g[i] : "(none)", b = i < o.size() ? o[i] : "(none)";
        if (a == b) continue;
        out += "record " + std::to_string(i + 1) + ":\n  gpg:    " + a + "\n  pgpkit: " + b + "\n";
        ++shown;
    }
    if (!out.empty() || g.size() != o.size())
        out += std::to_string(g.size()) + " records from gpg, " + std::to_string(o.size()) + " from pgpkit\n";
    return out;
}

}  // namespace pgpkit::test::listing
