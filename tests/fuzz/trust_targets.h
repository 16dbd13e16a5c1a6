#pragma once
// The checks behind the trust/ libFuzzer entry point (fuzz_trustdb), shared with the
// GoogleTest replay in tests/trust/trustdb_test.cpp. Returns normally for any input; a
// broken invariant aborts.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/error.h"
#include "packet/describe.h"
#include "trust/ownertrust.h"
#include "trust/trustdb.h"

namespace pgpkit::fuzz {

inline void trust_require(bool ok) {
    if (!ok) std::abort();
}

/** Takes every field and drops it. */
class NullSink final : public packet::FieldSink {
public:
    void number(std::string_view, std::uint64_t, ByteView) override {}
    void named(std::string_view, std::uint64_t, std::string_view, ByteView) override {}
    void text(std::string_view, std::string_view, ByteView) override {}
    void hex(std::string_view, ByteView, ByteView) override {}
    void boolean(std::string_view, bool, ByteView) override {}
    void time(std::string_view, std::uint32_t, ByteView) override {}
    void mpi(std::string_view, std::uint16_t, ByteView, bool, ByteView) override {}
    void length_of(std::string_view, std::uint64_t, ByteView) override {}
    void begin_object(std::string_view) override { ++depth; }
    void end_object() override { --depth; }
    void begin_list(std::string_view) override { ++depth; }
    void end_list() override { --depth; }
    int depth = 0;
};

/**
 * The same octets as a trustdb and as ownertrust text. Records: each decodes, describes
 * with balanced nesting and writes back to 40 octets of its type; errors lie inside the
 * input. A file that passes the structure check writes back to a file that passes it
 * again, identically; after setting an ownertrust and a validity on it, it still passes
 * and the lookups give what was set. Ownertrust text that parses formats back to the
 * same non-zero entries.
 */
inline void trustdb_one(ByteView in) {
    std::size_t records = 0;
    try {
        trust::for_each_record(in, [&](const trust::Record& r) {
            trust_require(r.number == records++);
            NullSink sink;
            trust::describe_record(r, sink);
            trust_require(sink.depth == 0);
            trust_require(trust::write_record(r)[0] == static_cast<std::uint8_t>(r.type()));
        });
        trust_require(in.size() % trust::kRecordLen == 0);
    } catch (const Error& e) {
        trust_require(e.offset() <= in.size());
    }
    try {
        trust::Trustdb db = trust::Trustdb::parse(in);
        const Bytes once = db.serialize();
        trust_require(once.size() == in.size());
        trust_require(trust::Trustdb::parse(once).serialize() == once);
        const Bytes fpr(20, 0xA5);
        db.set_ownertrust(fpr, 5);
        db.set_validity(fpr, as_bytes("fuzz"), {4, 1, 2}, 2);
        const trust::Trustdb again = trust::Trustdb::parse(db.serialize());
        trust_require(again.ownertrust(fpr) == std::optional<std::uint8_t>(5));
        trust_require(again.validity(fpr, as_bytes("fuzz")) == std::optional<trust::UidValidity>({4, 1, 2}));
    } catch (const Error& e) {
        trust_require(e.offset() <= in.size());
    }
    try {
        const auto entries = trust::parse_ownertrust(as_text(in));
        std::vector<trust::OwnertrustEntry> nonzero;
        for (const auto& e : entries)
            if (e.value != 0) nonzero.push_back(e);
        trust_require(trust::parse_ownertrust(trust::format_ownertrust(entries, 0)) == nonzero);
    } catch (const Error& e) {
        trust_require(e.kind() == Errc::BadField && e.offset() <= in.size());
    }
}

}  // namespace pgpkit::fuzz
