// GnuPG's trustdb.gpg: records, the structure check, lookups and changes (trust/trustdb.h).

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <string>
#include <vector>

#include "base/error.h"
#include "tests/support/env.h"
#include "tests/fuzz/trust_targets.h"
#include "trust/trustdb.h"

namespace pgpkit::trust {
namespace {

const std::string kGpgFile = "/trust/gpg-2.2.40-checked.trustdb";
const std::string kSnowden = "E63027CF3D6822A76FF2093ED1799E72382660E3";

Bytes unhex(const std::string& h) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
    return out;
}

Bytes gpg_file() { return test::read_bytes(test::test_data_dir() + kGpgFile); }

/** A fingerprint whose first octet is `first` and the rest is `n`. */
Bytes fpr_with(std::uint8_t first, std::uint8_t n) {
    Bytes f(20, n);
    f[0] = first;
    return f;
}

void put32(Bytes& file, std::size_t rec, std::size_t at, std::uint32_t v) {
    std::uint8_t* p = file.data() + rec * kRecordLen + at;
    p[0] = static_cast<std::uint8_t>(v >> 24), p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8), p[3] = static_cast<std::uint8_t>(v);
}

/** The detail of the error Trustdb::parse throws, or "" if it parses. */
std::string parse_error(const Bytes& file) {
    try {
        (void)Trustdb::parse(file);
    } catch (const Error& e) {
        return e.detail();
    }
    return "";
}

/** A file with colliding fingerprints (a hash list), validity records and a free list. */
Bytes rich_file() {
    Trustdb db = Trustdb::create(1700000000);
    for (std::uint8_t i = 1; i <= 8; ++i) db.set_ownertrust(fpr_with(0x42, i), 4);
    db.set_validity(fpr_with(0x42, 1), as_bytes("Alice <a@example.org>"), {5, 1, 0}, 1);
    db.set_validity(fpr_with(0x42, 1), as_bytes("Alice <alice@example.org>"), {4, 0, 3}, 1);
    Bytes file = db.serialize();
    // Two free records at the end, on the free list.
    const std::size_t n = file.size() / kRecordLen;
    file.resize(file.size() + 2 * kRecordLen, 0);
    file[n * kRecordLen] = 254;
    put32(file, n, 2, static_cast<std::uint32_t>(n + 1));
    file[(n + 1) * kRecordLen] = 254;
    put32(file, 0, 28, static_cast<std::uint32_t>(n));
    return file;
}

TEST(TrustdbRecords, NamesEveryTypeOldAndNew) {
    EXPECT_STREQ(record_type_name(RecordType::HashTable), "hash table");
    EXPECT_STREQ(record_type_name(RecordType::ShadowDir), "shadow directory");
    EXPECT_STREQ(record_type_name(RecordType::Directory), "directory");
    EXPECT_EQ(record_type_name(static_cast<RecordType>(7)), nullptr);
    EXPECT_TRUE(is_legacy_record_type(RecordType::Preference));
    EXPECT_FALSE(is_legacy_record_type(RecordType::Trust));
}

TEST(TrustdbRecords, EveryRecordOfGpgsFileWritesBackIdentically) {
    const Bytes file = gpg_file();
    std::size_t n = 0;
    for_each_record(file, [&](const Record& r) {
        const auto octets = write_record(r);
        EXPECT_TRUE(std::equal(octets.begin(), octets.end(), file.begin() + static_cast<std::ptrdiff_t>(n * kRecordLen)))
            << "record " << n;
        ++n;
    });
    EXPECT_EQ(n, file.size() / kRecordLen);
}

TEST(TrustdbRecords, LegacyRecordsAreKeptAndDescribed) {
    Bytes rec(kRecordLen, 0);
    rec[0] = 3;  // GnuPG 1.0 key record: fingerprint length at 19, fingerprint at 20
    rec[18] = 17;
    rec[19] = 20;
    for (std::size_t i = 0; i < 20; ++i) rec[20 + i] = static_cast<std::uint8_t>(i);
    const Record r = parse_record(rec, 7);
    EXPECT_EQ(r.type(), RecordType::Key);
    const auto out = write_record(r);
    EXPECT_TRUE(std::equal(out.begin(), out.end(), rec.begin()));
}

TEST(Trustdb, CreateWritesGpgsEmptyFile) {
    const Bytes file = Trustdb::create(0x6b0f382a).serialize();
    ASSERT_EQ(file.size(), 30 * kRecordLen);
    const Bytes gpg = gpg_file();
    // gpg's record 0 has the same options and hash table pointer (its times differ).
    EXPECT_TRUE(std::equal(file.begin(), file.begin() + 12, gpg.begin()));
    EXPECT_EQ(file[39], 1);
    for (std::size_t r = 1; r < 30; ++r) EXPECT_EQ(file[r * kRecordLen], 10) << r;
    EXPECT_EQ(parse_error(file), "");
}

TEST(Trustdb, GpgsFileParsesAndWritesBackByteForByte) {
    const Bytes file = gpg_file();
    const Trustdb db = Trustdb::parse(file);
    EXPECT_EQ(db.serialize(), file);
    EXPECT_EQ(db.version().marginals, 3);
    EXPECT_EQ(db.version().trust_model, TrustModel::Pgp);
    EXPECT_EQ(db.ownertrust(unhex(kSnowden)), 5);
    EXPECT_EQ(db.ownertrust(unhex("07B209D1BB890786156BF280C30AF6A848C9A997")), 6);
    EXPECT_EQ(db.ownertrust(unhex("CCD99FD6A66E720FB8DEEB1B0E970899")), 4);
    EXPECT_FALSE(db.ownertrust(fpr_with(1, 2)).has_value());
    const auto v = db.validity(unhex(kSnowden), as_bytes("Edward Snowden <edward@example.org>"));
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->validity, 6);
    EXPECT_EQ(db.ownertrust_entries().size(), 6u);
    EXPECT_EQ(to_hex(db.ownertrust_entries()[5].fingerprint), "CCD99FD6A66E720FB8DEEB1B0E97089900000000");
}

TEST(Trustdb, NamehashIsRipemd160OfTheUserId) {
    EXPECT_EQ(to_hex(uid_namehash(as_bytes("Edward Snowden <edward@example.org>"))),
              "67415CA2556193E197C9AF710864EF6714683900");
    EXPECT_EQ(to_hex(uid_namehash({})), "9C1185A5C5E9FC54612808977EE8F548B2258D31");
}

TEST(Trustdb, ImportLaysOutRecordsAsGpgDid) {
    // The import of gpg's file (same order, same values) gives the same trust records, the
    // same hash slots and the same record numbers; only check-trustdb's additions differ.
    Trustdb db = Trustdb::create(0);
    const auto entries = parse_ownertrust(
        "02905ABF17C781FBC3909B00636A1BBD68FD0088:3:\n7BD39314DC12832ACE4C59DEE28F35BD84439DCD:4:\n"
        "E63027CF3D6822A76FF2093ED1799E72382660E3:5:\n07B209D1BB890786156BF280C30AF6A848C9A997:6:\n"
        "ED854D985D8F502FC6C5FFB2AA81319E5C1AFC2A:7:\nCCD99FD6A66E720FB8DEEB1B0E970899:4:\n");
    EXPECT_EQ(db.import_ownertrust(entries), 6u);
    EXPECT_EQ(db.import_ownertrust(entries), 0u);
    const Bytes ours = db.serialize();
    const Bytes gpg = gpg_file();
    ASSERT_EQ(ours.size(), 36 * kRecordLen);
    for (std::size_t r = 1; r < 36; ++r) {
        if (r == 32) continue;  // gpg's check-trustdb set this key's validity list
        EXPECT_TRUE(std::equal(ours.begin() + static_cast<std::ptrdiff_t>(r * kRecordLen),
                               ours.begin() + static_cast<std::ptrdiff_t>((r + 1) * kRecordLen),
                               gpg.begin() + static_cast<std::ptrdiff_t>(r * kRecordLen)))
            << "record " << r;
    }
}

TEST(Trustdb, CollidingFingerprintsGoIntoHashLists) {
    const Trustdb db = Trustdb::parse(rich_file());
    for (std::uint8_t i = 1; i <= 8; ++i) EXPECT_EQ(db.ownertrust(fpr_with(0x42, i)), 4) << int(i);
    std::size_t lists = 0;
    for (const auto& r : db.records()) lists += r.type() == RecordType::HashList;
    EXPECT_EQ(lists, 2u);  // 8 items: 6 in the first list record, 2 in the next
    EXPECT_FALSE(db.ownertrust(fpr_with(0x42, 9)).has_value());
}

TEST(Trustdb, ValidityRecordsArePrependedPerUserId) {
    Trustdb db = Trustdb::parse(rich_file());
    const auto list = db.validities(fpr_with(0x42, 1));
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].namehash, uid_namehash(as_bytes("Alice <alice@example.org>")));
    EXPECT_EQ(db.validity(fpr_with(0x42, 1), as_bytes("Alice <a@example.org>")), (UidValidity{5, 1, 0}));
    EXPECT_EQ(db.find_trust(fpr_with(0x42, 1))->depth, 1);
    db.set_validity(fpr_with(0x42, 1), as_bytes("Alice <a@example.org>"), {2, 0, 1}, 3);
    EXPECT_EQ(db.validities(fpr_with(0x42, 1)).size(), 2u);
    EXPECT_EQ(db.validity(fpr_with(0x42, 1), as_bytes("Alice <a@example.org>")), (UidValidity{2, 0, 1}));
    EXPECT_EQ(db.find_trust(fpr_with(0x42, 1))->depth, 3);
    // A key without a trust record gets one for a validity, not for an unknown one.
    db.set_validity(fpr_with(0x10, 1), as_bytes("Bob"), {0, 0, 0}, 1);
    EXPECT_FALSE(db.find_trust(fpr_with(0x10, 1)).has_value());
    db.set_validity(fpr_with(0x10, 1), as_bytes("Bob"), {4, 0, 3}, 1);
    EXPECT_EQ(db.ownertrust(fpr_with(0x10, 1)), 0);
    EXPECT_EQ(parse_error(db.serialize()), "");
}

TEST(Trustdb, NewRecordsReuseTheFreeList) {
    const Bytes file = rich_file();
    const std::uint32_t first_free = static_cast<std::uint32_t>(file.size() / kRecordLen - 2);
    Trustdb db = Trustdb::parse(file);
    EXPECT_EQ(db.version().firstfree, first_free);
    db.set_ownertrust(fpr_with(0x77, 1), 5);
    EXPECT_EQ(db.records()[first_free].type(), RecordType::Trust);
    EXPECT_EQ(db.version().firstfree, first_free + 1);
    db.set_ownertrust(fpr_with(0x78, 1), 5);
    EXPECT_EQ(db.version().firstfree, 0u);
    EXPECT_EQ(db.records().size(), file.size() / kRecordLen);
    db.set_ownertrust(fpr_with(0x79, 1), 5);
    EXPECT_EQ(db.records().size(), file.size() / kRecordLen + 1);
    EXPECT_EQ(Trustdb::parse(db.serialize()).serialize(), db.serialize());
}

TEST(Trustdb, SetOwnertrustChangesInPlaceAndSkipsZero) {
    Trustdb db = Trustdb::create(0);
    EXPECT_FALSE(db.set_ownertrust(fpr_with(1, 1), 0));
    EXPECT_EQ(db.records().size(), 30u);
    EXPECT_TRUE(db.set_ownertrust(fpr_with(1, 1), 0x85));
    EXPECT_FALSE(db.set_ownertrust(fpr_with(1, 1), 0x85));
    EXPECT_TRUE(db.set_ownertrust(fpr_with(1, 1), 0));
    EXPECT_EQ(db.records().size(), 31u);
    EXPECT_TRUE(db.ownertrust_entries().empty());
    EXPECT_THROW(db.set_ownertrust(Bytes(32, 1), 4), Error);
}

TEST(TrustdbDamage, TruncatedRecordNamesItsNumber) {
    Bytes file = gpg_file();
    file.resize(file.size() - 3);
    EXPECT_EQ(parse_error(file), "trustdb record 36: truncated record (37 of 40 octets)");
    EXPECT_EQ(parse_error({}), "trustdb record 0: empty file, no version record");
}

TEST(TrustdbDamage, BadRecordType) {
    Bytes file = gpg_file();
    file[5 * kRecordLen] = 7;
    EXPECT_EQ(parse_error(file), "trustdb record 5: bad record type 7");
}

TEST(TrustdbDamage, VersionRecordProblems) {
    Bytes file = gpg_file();
    file[1] = 'x';
    EXPECT_EQ(parse_error(file), "trustdb record 0: version record without magic \"gpg\"");
    file = gpg_file();
    file[4] = 2;
    EXPECT_EQ(parse_error(file), "trustdb record 0: trustdb version 2, gpg 2.2 reads version 3");
    file = gpg_file();
    std::copy(file.begin(), file.begin() + 40, file.begin() + 36 * kRecordLen);
    EXPECT_EQ(parse_error(file), "trustdb record 36: a second version record");
    file = gpg_file();
    file[0] = 12;
    EXPECT_EQ(parse_error(file), "trustdb record 0: not a version record (type 12)");
}

TEST(TrustdbDamage, GnuPG1RecordsAreNamed) {
    Bytes file = gpg_file();
    file[36 * kRecordLen] = 2;
    EXPECT_EQ(parse_error(file), "trustdb record 36: GnuPG 1.x directory record, not read by gpg 2.2");
    file[36 * kRecordLen] = 8;
    EXPECT_EQ(parse_error(file), "trustdb record 36: GnuPG 1.x shadow directory record, not read by gpg 2.2");
}

TEST(TrustdbDamage, PointerPastTheEnd) {
    Bytes file = gpg_file();
    put32(file, 32, 26, 999);  // Snowden's validity list
    EXPECT_EQ(parse_error(file), "trustdb record 32: validity list points to record 999, past the end (37 records)");
    file = gpg_file();
    put32(file, 1, 2, 37);
    EXPECT_EQ(parse_error(file), "trustdb record 1: hash slot points to record 37, past the end (37 records)");
    file = gpg_file();
    put32(file, 0, 36, 20);
    EXPECT_EQ(parse_error(file), "trustdb record 0: hash table at record 20 runs past the end (37 records)");
    file = gpg_file();
    put32(file, 0, 28, 40);
    EXPECT_EQ(parse_error(file), "trustdb record 0: free list points to record 40, past the end (37 records)");
}

TEST(TrustdbDamage, PointerToTheWrongType) {
    Bytes file = gpg_file();
    put32(file, 32, 26, 31);
    EXPECT_EQ(parse_error(file),
              "trustdb record 32: validity list points to record 31, a trust record, not a valid record");
    file = gpg_file();
    put32(file, 1, 2, 36);
    EXPECT_EQ(parse_error(file), "trustdb record 1: hash slot points to record 36, a valid record");
}

TEST(TrustdbDamage, HashListLoop) {
    Bytes file = rich_file();
    const Trustdb db = Trustdb::parse(file);
    std::size_t list = 0;
    for (const auto& r : db.records())
        if (r.type() == RecordType::HashList && list == 0) list = r.number;
    ASSERT_NE(list, 0u);
    const auto second = std::get<HashListRecord>(db.records()[list].body).next;
    put32(file, second, 2, static_cast<std::uint32_t>(list));
    EXPECT_EQ(parse_error(file), "trustdb record " + std::to_string(second) + ": hash list loops back to record " +
                                     std::to_string(list));
}

TEST(TrustdbDamage, ValidityListLoop) {
    Bytes file = rich_file();
    const Trustdb db = Trustdb::parse(file);
    const auto head = db.find_trust(fpr_with(0x42, 1))->validlist;
    const auto tail = std::get<ValidRecord>(db.records()[head].body).next;
    put32(file, tail, 23, head);
    EXPECT_EQ(parse_error(file), "trustdb record " + std::to_string(tail) + ": validity list loops back to record " +
                                     std::to_string(head));
}

TEST(TrustdbDamage, FreeListLoop) {
    Bytes file = rich_file();
    const std::size_t last = file.size() / kRecordLen - 1;
    put32(file, last, 2, static_cast<std::uint32_t>(last - 1));
    EXPECT_EQ(parse_error(file), "trustdb record " + std::to_string(last) + ": free list loops back to record " +
                                     std::to_string(last - 1));
}

TEST(TrustdbDamage, NestedHashTableLoop) {
    Bytes file = gpg_file();
    put32(file, 1, 2, 1);  // slot 2 of the table points at the table itself
    EXPECT_EQ(parse_error(file), "trustdb record 1: hash tables loop back to record 1");
}

TEST(TrustdbDamage, LoadNamesTheFileAndNeverWritesIt) {
    test::TempDir dir;
    Bytes file = gpg_file();
    put32(file, 32, 26, 999);
    const std::string path = dir.file("trustdb.gpg");
    test::write_bytes(path, file);
    try {
        (void)Trustdb::load(path);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.detail(), path + ": trustdb record 32: validity list points to record 999, past the end (37 records)");
        EXPECT_EQ(e.offset(), 32 * kRecordLen);
    }
    EXPECT_EQ(test::read_bytes(path), file);
    EXPECT_THROW((void)Trustdb::load(dir.file("missing.gpg")), Error);
}

TEST(Trustdb, SaveWritesTheFileWithMode0600) {
    test::TempDir dir;
    Trustdb db = Trustdb::parse(gpg_file());
    db.set_ownertrust(fpr_with(0x99, 3), 5);
    db.save(dir.file("t.gpg"));
    EXPECT_EQ(test::read_bytes(dir.file("t.gpg")), db.serialize());
    struct stat st {};
    ASSERT_EQ(::stat(dir.file("t.gpg").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(Trustdb::load(dir.file("t.gpg")).ownertrust(fpr_with(0x99, 3)), 5);
}

TEST(TrustdbFuzzTarget, HoldsForGoodAndDamagedFiles) {
    // The checks of fuzz_trustdb (tests/fuzz/trust_targets.h) on the files above.
    std::vector<Bytes> inputs = {gpg_file(), rich_file(), Trustdb::create(1).serialize(), {}};
    Bytes f = gpg_file();
    put32(f, 32, 26, 999);
    inputs.push_back(f);
    f = gpg_file();
    put32(f, 1, 2, 1);
    inputs.push_back(f);
    f = gpg_file();
    f.resize(f.size() - 1);
    inputs.push_back(f);
    const std::string text = "02905ABF17C781FBC3909B00636A1BBD68FD0088:3:\n";
    inputs.emplace_back(text.begin(), text.end());
    for (const Bytes& in : inputs) fuzz::trustdb_one(in);
}

}  // namespace
}  // namespace pgpkit::trust
