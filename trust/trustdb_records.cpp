#include "trust/trustdb_records.h"

#include <algorithm>

#include "base/error.h"
#include "trust/ownertrust.h"

namespace pgpkit::trust {

namespace {

std::uint32_t be32(ByteView b, std::size_t at) noexcept {
    return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) |
           std::uint32_t{b[at + 3]};
}

void put32(std::uint8_t* p, std::uint32_t v) noexcept {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}

std::uint64_t offset_of(std::uint32_t number) { return std::uint64_t{number} * kRecordLen; }

std::string rec_name(std::uint32_t number) { return "trustdb record " + std::to_string(number); }

VersionRecord parse_version(ByteView b, std::uint32_t number) {
    if (b[1] != 'g' || b[2] != 'p' || b[3] != 'g')
        throw Error(Errc::BadField, offset_of(number) + 1, rec_name(number) + ": version record without magic \"gpg\"");
    VersionRecord v;
    v.version = b[4];
    v.marginals = b[5];
    v.completes = b[6];
    v.cert_depth = b[7];
    v.trust_model = static_cast<TrustModel>(b[8]);
    v.min_cert_level = b[9];
    v.created = be32(b, 12);
    v.nextcheck = be32(b, 16);
    v.firstfree = be32(b, 28);
    v.hashtable = be32(b, 36);
    return v;
}

TrustRecord parse_trust(ByteView b) {
    TrustRecord t;
    std::copy_n(b.begin() + 2, 20, t.fingerprint.begin());
    t.ownertrust = b[22];
    t.depth = b[23];
    t.min_ownertrust = b[24];
    t.flags = b[25];
    t.validlist = be32(b, 26);
    return t;
}

ValidRecord parse_valid(ByteView b) {
    ValidRecord v;
    std::copy_n(b.begin() + 2, 20, v.namehash.begin());
    v.validity = b[22];
    v.next = be32(b, 23);
    v.full_count = b[27];
    v.marginal_count = b[28];
    return v;
}

RecordBody parse_body(ByteView b, std::uint32_t number) {
    const auto type = static_cast<RecordType>(b[0]);
    switch (type) {
    case RecordType::Unused: return UnusedRecord{};
    case RecordType::Version: return parse_version(b, number);
    case RecordType::HashTable: {
        HashTableRecord h;
        for (std::size_t i = 0; i < kHashTableItems; ++i) h.items[i] = be32(b, 2 + 4 * i);
        return h;
    }
    case RecordType::HashList: {
        HashListRecord h;
        h.next = be32(b, 2);
        for (std::size_t i = 0; i < kHashListItems; ++i) h.items[i] = be32(b, 6 + 4 * i);
        return h;
    }
    case RecordType::Trust: return parse_trust(b);
    case RecordType::Valid: return parse_valid(b);
    case RecordType::Free: return FreeRecord{be32(b, 2)};
    default: break;
    }
    if (is_legacy_record_type(type)) {
        LegacyRecord l;
        l.type = type;
        std::copy_n(b.begin(), kRecordLen, l.octets.begin());
        return l;
    }
    throw Error(Errc::BadField, offset_of(number),
                rec_name(number) + ": bad record type " + std::to_string(unsigned{b[0]}));
}

// --- description -------------------------------------------------------------------

void describe_version(const VersionRecord& v, packet::FieldSink& s) {
    s.number("version", v.version);
    s.number("marginals_needed", v.marginals);
    s.number("completes_needed", v.completes);
    s.number("max_cert_depth", v.cert_depth);
    const char* model = trust_model_name(v.trust_model);
    s.named("trust_model", static_cast<std::uint8_t>(v.trust_model), model ? model : "unknown");
    s.number("min_cert_level", v.min_cert_level);
    s.time("created", v.created);
    s.time("nextcheck", v.nextcheck);
    s.number("firstfree", v.firstfree);
    s.number("hashtable", v.hashtable);
}

void describe_numbers(std::string_view name, const std::uint32_t* items, std::size_t n, packet::FieldSink& s) {
    s.begin_list(name);
    for (std::size_t i = 0; i < n; ++i) s.number("", items[i]);
    s.end_list();
}

void describe_trust_value(std::string_view name, std::uint8_t value, packet::FieldSink& s) {
    std::string meaning = trust_level_name(trust_level(value));
    if (value & kTrustFlagRevoked) meaning += " revoked";
    if (value & kTrustFlagSubRevoked) meaning += " sub-revoked";
    if (value & kTrustFlagDisabled) meaning += " disabled";
    s.named(name, value, meaning);
}

void describe_legacy(const LegacyRecord& l, packet::FieldSink& s) {
    const ByteView b(l.octets);
    switch (l.type) {
    case RecordType::Directory:
        s.number("lid", be32(b, 2));
        s.number("keylist", be32(b, 6));
        s.number("uidlist", be32(b, 10));
        s.number("cache", be32(b, 14));
        s.number("ownertrust", b[18]);
        s.number("dirflags", b[19]);
        s.number("validity", b[20]);
        s.time("checked", be32(b, 21));
        s.time("checkat", be32(b, 25));
        return;
    case RecordType::Key:
        s.number("lid", be32(b, 2));
        s.number("next", be32(b, 6));
        s.number("keyflags", b[17]);
        s.number("pubkey_algo", b[18]);
        s.number("fingerprint_len", b[19]);
        s.hex("fingerprint", b.subspan(20, std::min<std::size_t>(b[19], 20)));
        return;
    case RecordType::Uid:
        s.number("lid", be32(b, 2));
        s.number("next", be32(b, 6));
        s.number("preflist", be32(b, 10));
        s.number("siglist", be32(b, 14));
        s.number("uidflags", b[18]);
        s.number("validity", b[19]);
        s.hex("namehash", b.subspan(20, 20));
        return;
    case RecordType::Preference:
        s.number("lid", be32(b, 2));
        s.number("next", be32(b, 6));
        s.hex("data", b.subspan(10, 30));
        return;
    case RecordType::Signature:
        s.number("lid", be32(b, 2));
        s.number("next", be32(b, 6));
        s.begin_list("sigs");
        for (std::size_t i = 0; i < 6; ++i) {
            s.begin_object("");
            s.number("lid", be32(b, 10 + 5 * i));
            s.number("flag", b[14 + 5 * i]);
            s.end_object();
        }
        s.end_list();
        return;
    case RecordType::ShadowDir:
        s.number("lid", be32(b, 2));
        s.hex("keyid", b.subspan(6, 8));
        s.number("pubkey_algo", b[14]);
        s.number("hintlist", be32(b, 18));
        return;
    default: s.hex("octets", b.subspan(1)); return;
    }
}

}  // namespace

const char* record_type_name(RecordType type) noexcept {
    switch (type) {
    case RecordType::Unused: return "unused";
    case RecordType::Version: return "version";
    case RecordType::Directory: return "directory";
    case RecordType::Key: return "key";
    case RecordType::Uid: return "uid";
    case RecordType::Preference: return "preference";
    case RecordType::Signature: return "signature";
    case RecordType::ShadowDir: return "shadow directory";
    case RecordType::Cache: return "cache";
    case RecordType::HashTable: return "hash table";
    case RecordType::HashList: return "hash list";
    case RecordType::Trust: return "trust";
    case RecordType::Valid: return "valid";
    case RecordType::Free: return "free";
    }
    return nullptr;
}

bool is_legacy_record_type(RecordType type) noexcept {
    switch (type) {
    case RecordType::Directory:
    case RecordType::Key:
    case RecordType::Uid:
    case RecordType::Preference:
    case RecordType::Signature:
    case RecordType::ShadowDir:
    case RecordType::Cache: return true;
    default: return false;
    }
}

const char* trust_model_name(TrustModel model) noexcept {
    switch (model) {
    case TrustModel::Classic: return "classic";
    case TrustModel::Pgp: return "pgp";
    case TrustModel::External: return "external";
    case TrustModel::Always: return "always";
    case TrustModel::Direct: return "direct";
    case TrustModel::Auto: return "auto";
    case TrustModel::Tofu: return "tofu";
    case TrustModel::TofuPgp: return "tofu+pgp";
    }
    return nullptr;
}

RecordType Record::type() const noexcept {
    struct Visitor {
        RecordType operator()(const UnusedRecord&) const { return RecordType::Unused; }
        RecordType operator()(const VersionRecord&) const { return RecordType::Version; }
        RecordType operator()(const HashTableRecord&) const { return RecordType::HashTable; }
        RecordType operator()(const HashListRecord&) const { return RecordType::HashList; }
        RecordType operator()(const TrustRecord&) const { return RecordType::Trust; }
        RecordType operator()(const ValidRecord&) const { return RecordType::Valid; }
        RecordType operator()(const FreeRecord&) const { return RecordType::Free; }
        RecordType operator()(const LegacyRecord& l) const { return l.type; }
    };
    return std::visit(Visitor{}, body);
}

Record parse_record(ByteView octets, std::uint32_t number) {
    if (octets.size() < kRecordLen)
        throw Error(Errc::Truncated, offset_of(number) + octets.size(),
                    rec_name(number) + ": truncated record (" + std::to_string(octets.size()) + " of 40 octets)");
    return Record{number, parse_body(octets.first(kRecordLen), number)};
}

std::array<std::uint8_t, kRecordLen> write_record(const Record& record) {
    std::array<std::uint8_t, kRecordLen> out{};
    std::uint8_t* p = out.data();
    p[0] = static_cast<std::uint8_t>(record.type());
    if (const auto* v = std::get_if<VersionRecord>(&record.body)) {
        p[1] = 'g', p[2] = 'p', p[3] = 'g';
        p[4] = v->version, p[5] = v->marginals, p[6] = v->completes, p[7] = v->cert_depth;
        p[8] = static_cast<std::uint8_t>(v->trust_model), p[9] = v->min_cert_level;
        put32(p + 12, v->created);
        put32(p + 16, v->nextcheck);
        put32(p + 28, v->firstfree);
        put32(p + 36, v->hashtable);
    } else if (const auto* h = std::get_if<HashTableRecord>(&record.body)) {
        for (std::size_t i = 0; i < kHashTableItems; ++i) put32(p + 2 + 4 * i, h->items[i]);
    } else if (const auto* l = std::get_if<HashListRecord>(&record.body)) {
        put32(p + 2, l->next);
        for (std::size_t i = 0; i < kHashListItems; ++i) put32(p + 6 + 4 * i, l->items[i]);
    } else if (const auto* t = std::get_if<TrustRecord>(&record.body)) {
        std::copy(t->fingerprint.begin(), t->fingerprint.end(), p + 2);
        p[22] = t->ownertrust, p[23] = t->depth, p[24] = t->min_ownertrust, p[25] = t->flags;
        put32(p + 26, t->validlist);
    } else if (const auto* va = std::get_if<ValidRecord>(&record.body)) {
        std::copy(va->namehash.begin(), va->namehash.end(), p + 2);
        p[22] = va->validity;
        put32(p + 23, va->next);
        p[27] = va->full_count, p[28] = va->marginal_count;
    } else if (const auto* f = std::get_if<FreeRecord>(&record.body)) {
        put32(p + 2, f->next);
    } else if (const auto* old = std::get_if<LegacyRecord>(&record.body)) {
        out = old->octets;
    }
    return out;
}

void for_each_record(ByteView file, const std::function<void(const Record&)>& fn) {
    const std::size_t whole = file.size() / kRecordLen;
    for (std::size_t i = 0; i < whole; ++i) {
        const auto number = static_cast<std::uint32_t>(i);
        fn(parse_record(file.subspan(i * kRecordLen, kRecordLen), number));
    }
    if (file.size() % kRecordLen != 0)
        (void)parse_record(file.subspan(whole * kRecordLen), static_cast<std::uint32_t>(whole));
}

void describe_record(const Record& record, packet::FieldSink& s) {
    if (const auto* v = std::get_if<VersionRecord>(&record.body)) {
        describe_version(*v, s);
    } else if (const auto* h = std::get_if<HashTableRecord>(&record.body)) {
        describe_numbers("items", h->items.data(), h->items.size(), s);
    } else if (const auto* l = std::get_if<HashListRecord>(&record.body)) {
        s.number("next", l->next);
        describe_numbers("items", l->items.data(), l->items.size(), s);
    } else if (const auto* t = std::get_if<TrustRecord>(&record.body)) {
        s.hex("fingerprint", t->fingerprint);
        describe_trust_value("ownertrust", t->ownertrust, s);
        s.number("depth", t->depth);
        s.number("min_ownertrust", t->min_ownertrust);
        s.number("flags", t->flags);
        s.number("validlist", t->validlist);
    } else if (const auto* va = std::get_if<ValidRecord>(&record.body)) {
        s.hex("namehash", va->namehash);
        describe_trust_value("validity", va->validity, s);
        s.number("next", va->next);
        s.number("full_count", va->full_count);
        s.number("marginal_count", va->marginal_count);
    } else if (const auto* f = std::get_if<FreeRecord>(&record.body)) {
        s.number("next", f->next);
    } else if (const auto* old = std::get_if<LegacyRecord>(&record.body)) {
        describe_legacy(*old, s);
    }
}

}  // namespace pgpkit::trust
