#pragma once
// The checks behind the keyserver/ libFuzzer entry points (fuzz_mr_index, fuzz_legacy, fuzz_vks),
// shared with the GoogleTest replay of tests/data/fuzz/<target>/ as tests/fuzz/targets.h is. Returns
// normally for any input; a broken invariant aborts (fuzz::require).

#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "keyserver/legacy_protocol.h"
#include "keyserver/mr_index.h"
#include "keyserver/vks.h"
#include "tests/fuzz/targets.h"

namespace pgpkit::fuzz {

/**
 * The HKP machine-readable index: parsing never throws; every warning names a line of
 * the input; what the parser read, written again, reads back to the same entries without
 * a warning, and writing that gives the same text (the writer's output is a fixed point).
 */
inline void mr_index_one(ByteView in) {
    const std::string_view text(reinterpret_cast<const char*>(in.data()), in.size());
    std::vector<keyserver::IndexWarning> warnings;
    const auto entries = keyserver::parse_mr_index(text, warnings);
    std::size_t lines = 1;
    for (char c : text) lines += c == '\n' ? 1 : 0;
    for (const auto& w : warnings) require(w.line >= 1 && w.line <= lines && !w.message.empty());
    for (const auto& e : entries) {
        const std::size_t n = e.key.size();
        require(n == 8 || n == 16 || n == 40 || n == 64);
    }
    const std::string written = keyserver::format_mr_index(entries);
    std::vector<keyserver::IndexWarning> again_warnings;
    const auto again = keyserver::parse_mr_index(written, again_warnings);
    require(again_warnings.empty());
    require(again == entries);
    require(keyserver::format_mr_index(again) == written);
    for (const auto& e : entries)
        for (const auto& u : e.uids)
            require(keyserver::unescape_index_field(keyserver::escape_index_field(u.user_id)) == u.user_id);
}

/**
 * The legacy keyserver message format, read as a request and as an answer: a parse
 * throws only pgpkit::Error, consumes no more than it was given, and what it read,
 * written again, reads back to the same message over exactly the written octets.
 */
inline void legacy_one(ByteView in) {
    constexpr std::size_t max_data = 1 << 16;
    std::size_t used = 0;
    try {
        if (auto r = keyserver::parse_legacy_request(in, max_data, used)) {
            require(used <= in.size() && used >= r->data.size());
            const Bytes wire = keyserver::format_legacy_request(*r);
            std::size_t again = 0;
            require(keyserver::parse_legacy_request(wire, max_data, again) == r && again == wire.size());
        }
    } catch (const Error&) {
    }
    try {
        if (auto r = keyserver::parse_legacy_response(in, max_data, used)) {
            require(used <= in.size() && r->code >= 100 && r->code <= 599);
            const Bytes wire = keyserver::format_legacy_response(*r);
            std::size_t again = 0;
            require(keyserver::parse_legacy_response(wire, max_data, again) == r && again == wire.size());
        }
    } catch (const Error&) {
    }
}

/**
 * A VKS upload answer: parsing throws only pgpkit::Error; what it reads has its addresses
 * sorted; the error text of any body is at most one line of 200 octets, or the "error".
 */
inline void vks_one(ByteView in) {
    const std::string_view text(reinterpret_cast<const char*>(in.data()), in.size());
    keyserver::VksUpload u;
    try {
        keyserver::parse_vks_answer(text, u);
        for (std::size_t i = 1; i < u.addresses.size(); ++i) require(u.addresses[i - 1].address <= u.addresses[i].address);
    } catch (const Error&) {
    }
    (void)keyserver::vks_error_text(text);
}

}  // namespace pgpkit::fuzz
