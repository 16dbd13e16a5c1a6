#pragma once
// The checks behind the HKP query libFuzzer entry point (fuzz_hkp_query), shared with
// the GoogleTest replay of tests/data/fuzz/<target>/ as tests/fuzz/targets.h is. Each
// returns normally for any input; a broken invariant aborts (fuzz::require).

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"
#include "keyserver/query.h"
#include "tests/fuzz/targets.h"

namespace pgpkit::fuzz {

inline bool has_upper_ascii(std::string_view s) {
    for (char c : s)
        if (c >= 'A' && c <= 'Z') return true;
    return false;
}

/** The invariants of one parsed search, and that its explicit form parses back to it. */
inline void check_search(const keyserver::Search& s) {
    using keyserver::SearchKind;
    switch (s.kind) {
    case SearchKind::KeyId:
        require(s.id.size() == 4 || s.id.size() == 8);
        require(keyserver::parse_search("0x" + to_hex(s.id)) == s);
        break;
    case SearchKind::Fingerprint:
        require(s.id.size() == 20 || s.id.size() == 32);
        require(keyserver::parse_search(to_hex_lower(s.id)) == s);
        break;
    case SearchKind::Email:
        require(s.text.find('@') != std::string::npos);
        require(!has_upper_ascii(s.text));
        if (s.text.size() + 2 <= keyserver::kMaxSearchLength)
            require(keyserver::parse_search("<" + s.text + ">") == s);
        break;
    case SearchKind::Words:
        require(!s.words.empty() && s.words.size() <= keyserver::kMaxSearchWords);
        for (const auto& w : s.words) require(!w.empty() && !has_upper_ascii(w));
        break;
    }
}

/**
 * HKP lookups: parse_lookup throws nothing but Error(Usage); every op but stats and
 * unknown ones has a search, which satisfies check_search.
 */
inline void hkp_query_one(ByteView in) {
    const std::string_view text(reinterpret_cast<const char*>(in.data()), in.size());
    keyserver::LookupQuery q;
    try {
        q = keyserver::parse_lookup(text);
    } catch (const Error& e) {
        require(e.kind() == Errc::Usage);
        return;
    }
    const bool needs_search = q.op != keyserver::Op::Stats && q.op != keyserver::Op::Unknown;
    require(q.search.has_value() == needs_search);
    if (q.search) check_search(*q.search);
}

}  // namespace pgpkit::fuzz
