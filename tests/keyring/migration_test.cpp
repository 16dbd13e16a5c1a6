// Schema migration of keys.db against a committed store of schema version 1
// (tests/data/keyring/v1-store.db, made by tests/data/keyring/make_v1_store.sh with the
// sqlite3 CLI and gpg, not by pgpkit). The columns the migration fills are read back with
// SQLite itself, not through the store.

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "base/error.h"
#include "cert/cert.h"
#include "keyring/spec.h"
#include "keyring/store.h"
#include "tests/support/env.h"

namespace pgpkit::keyring {
namespace {

using test::TempDir;

/** A certificate of the fixture, in its certs.id order, with the file it came from. */
struct FixtureCert {
    std::string file;         ///< keyblock source (tests/data or shared/testdata)
    std::string secret_file;  ///< its transferable secret key, if the fixture stores one
};

std::vector<FixtureCert> fixture_certs() {
    const std::string cert = test::test_data_dir() + "/cert/";
    const std::string seq = test::shared_testdata() + "/sequoia/keys/";
    return {{cert + "ed25519-sha512.pgp", ""},
            {cert + "rsa2048-sha512.pgp", ""},
            {cert + "nistp256-sha256.pgp", ""},
            {seq + "dsa2048-elgamal3072.pgp", seq + "dsa2048-elgamal3072-private.pgp"}};
}

std::string fixture_path() { return test::test_data_dir() + "/keyring/v1-store.db"; }

/** A copy of the committed fixture in `dir`, so the test never writes to the original. */
std::string copy_fixture(const TempDir& dir) {
    const std::string db = dir.file("keys.db");
    test::write_bytes(db, test::read_bytes(fixture_path()));
    return db;
}

/**
 * Every row of `query` on the database at `path` (a copy: a WAL database is opened
 * read-write so that closing it removes its -wal and -shm files), columns joined by '|'.
 */
std::vector<std::string> sql_rows(const std::string& path, const std::string& query) {
    sqlite3* db = nullptr;
    std::vector<std::string> rows;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        ADD_FAILURE() << path << ": " << sqlite3_errmsg(db);
        sqlite3_close(db);
        return rows;
    }
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, query.c_str(), -1, &st, nullptr) != SQLITE_OK) {
        ADD_FAILURE() << query << ": " << sqlite3_errmsg(db);
    } else {
        while (sqlite3_step(st) == SQLITE_ROW) {
            std::string row;
            for (int i = 0; i < sqlite3_column_count(st); ++i) {
                const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
                row += (i ? "|" : "") + std::string(t ? t : "NULL");
            }
            rows.push_back(row);
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rows;
}

/** Runs one statement that changes the database at `path` (to make test files). */
void sql_exec(const std::string& path, const std::string& statement) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK)
        << path;
    char* msg = nullptr;
    const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &msg);
    EXPECT_EQ(rc, SQLITE_OK) << statement << ": " << (msg ? msg : "");
    sqlite3_free(msg);
    sqlite3_close(db);
}

std::vector<std::string> files_in(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        out.push_back(e.path().filename());
    std::sort(out.begin(), out.end());
    return out;
}

TEST(Migration, FixtureIsSchemaVersionOne) {
    // What the tests below start from, as SQLite sees it.
    TempDir dir;
    const std::string db = copy_fixture(dir);
    EXPECT_EQ(sql_rows(db, "PRAGMA application_id"),
              std::vector<std::string>{std::to_string(0x70677073)});
    EXPECT_EQ(sql_rows(db, "PRAGMA user_version"), std::vector<std::string>{"1"});
    EXPECT_EQ(sql_rows(db, "PRAGMA journal_mode"), std::vector<std::string>{"wal"});
    EXPECT_EQ(sql_rows(db, "SELECT count(*) FROM certs"), std::vector<std::string>{"4"});
    EXPECT_EQ(sql_rows(db, "SELECT count(*) FROM keys"), std::vector<std::string>{"5"});
    EXPECT_EQ(sql_rows(db, "SELECT count(*) FROM secrets"), std::vector<std::string>{"1"});
    // Version 1 had neither keygrips nor domains.
    EXPECT_EQ(sql_rows(db, "SELECT count(*) FROM pragma_table_info('keys') WHERE name = 'keygrip'"),
              std::vector<std::string>{"0"});
    EXPECT_EQ(
        sql_rows(db, "SELECT count(*) FROM pragma_table_info('userids') WHERE name = 'domain'"),
        std::vector<std::string>{"0"});
    EXPECT_EQ(files_in(dir.path()), std::vector<std::string>{"keys.db"});
}

/** Every key and address of `fc`'s certificate names it; its keyblocks are unchanged. */
void expect_found_and_whole(Store& store, const FixtureCert& fc) {
    SCOPED_TRACE(fc.file);
    const Bytes file = test::read_bytes(fc.file);
    const auto parsed = cert::read_all_certs(file);
    ASSERT_EQ(parsed.size(), 1u);
    const cert::Cert& c = parsed[0];
    const std::vector<Bytes> want{c.fingerprint()};
    // Every key, primary and subkeys, by fingerprint, key ID and short key ID.
    std::vector<const packet::Key*> keys{&c.key()};
    for (const auto* sub : c.of_kind(cert::ComponentKind::Subkey)) keys.push_back(sub->key());
    for (const auto* k : keys) {
        const std::string fpr = to_hex(ByteView(k->fingerprint));
        const std::string kid = to_hex(ByteView(k->keyid));
        for (const std::string& spec : {fpr, "0x" + kid, kid, "0x" + kid.substr(8), kid.substr(8)})
            EXPECT_EQ(store.find(parse_key_spec(spec)), want) << spec;
    }
    for (const auto* uid : c.of_kind(cert::ComponentKind::UserId)) {
        const Bytes b = uid->id_bytes();
        const std::string text(b.begin(), b.end());
        const std::string mail = email_of(text);
        ASSERT_FALSE(mail.empty()) << text;
        for (const std::string& spec : {"<" + mail + ">", mail, "=" + text})
            EXPECT_EQ(store.find(parse_key_spec(spec)), want) << spec;
    }
    // The keyblocks are the bytes the version-1 store held, untouched.
    const auto got = store.get(c.fingerprint());
    ASSERT_TRUE(got);
    EXPECT_EQ(got->keyblock, file);
    EXPECT_EQ(got->has_secret, !fc.secret_file.empty());
    if (fc.secret_file.empty()) {
        EXPECT_TRUE(store.secret_keys(c.fingerprint()).empty());
        return;
    }
    const auto sec = store.get_secret(c.fingerprint());
    ASSERT_TRUE(sec);
    const Bytes secret = test::read_bytes(fc.secret_file);
    EXPECT_TRUE(std::equal(sec->begin(), sec->end(), secret.begin(), secret.end()));
    // Version 2 marks which keys have secret parts: the migration did.
    EXPECT_EQ(store.secret_keys(c.fingerprint()).size(), keys.size());
    for (const auto& [fpr, level] : store.secret_keys(c.fingerprint()))
        EXPECT_EQ(level, SecretLevel::Present) << to_hex(fpr);
}

TEST(Migration, VersionOneStoreIsMigratedAndEveryCertIsFound) {
    TempDir dir;
    const std::string db = copy_fixture(dir);
    const auto certs = fixture_certs();
    {
        Store store(db);
        EXPECT_EQ(store.opened_version(), 1);
        EXPECT_EQ(store.count(), certs.size());
        EXPECT_EQ(store.integrity_check(), "ok");
        for (const auto& fc : certs) expect_found_and_whole(store, fc);
        // The domain index is new in version 2: all four addresses are at example.org.
        EXPECT_EQ(store.find(parse_key_spec("@example.org")).size(), certs.size());
        EXPECT_EQ(store.find(parse_key_spec("El Gamal")).size(), 1u);
    }
    // Closed: the file itself now says version 3, and SQLite finds it whole.
    EXPECT_EQ(sql_rows(db, "PRAGMA user_version"), std::vector<std::string>{"3"});
    // Version 3's table of verifications known to succeed starts empty.
    EXPECT_EQ(sql_rows(db, "SELECT count(*) FROM verified"), std::vector<std::string>{"0"});
    EXPECT_EQ(sql_rows(db, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    // Every key row got its keygrip, every address its domain; no index row twice.
    EXPECT_EQ(sql_rows(db, "SELECT count(*), count(keygrip), count(DISTINCT keygrip) FROM keys"),
              std::vector<std::string>{"5|5|5"});
    EXPECT_EQ(sql_rows(db, "SELECT count(*), count(email), count(domain) FROM userids"),
              std::vector<std::string>{"4|4|4"});
    EXPECT_EQ(sql_rows(db, "SELECT DISTINCT domain FROM userids"),
              std::vector<std::string>{"example.org"});
    EXPECT_EQ(sql_rows(db, "SELECT count(*) FROM keys WHERE secret != 0"),
              std::vector<std::string>{"2"});
    // Opened again, nothing is left to migrate.
    Store again(db);
    EXPECT_EQ(again.opened_version(), 3);
    EXPECT_EQ(again.count(), certs.size());
}

TEST(Migration, KeygripsAfterMigrationAreThoseOfAFreshStore) {
    // A store written now from the same certificates holds the same index rows.
    TempDir dir;
    const std::string migrated = copy_fixture(dir);
    const std::string fresh = dir.file("fresh.db");
    { Store s(migrated); }
    {
        Store s(fresh);
        StoreWriter w(s);
        for (const auto& fc : fixture_certs()) {
            for (const auto& c : cert::read_all_certs(test::read_bytes(fc.file))) w.put(c);
        }
        w.commit();
    }
    const std::string q =
        "SELECT hex(k.fingerprint), k.keyid, k.short_keyid, k.is_primary, hex(k.keygrip)"
        " FROM keys k JOIN certs c ON c.id = k.cert_id ORDER BY 1";
    const auto rows = sql_rows(migrated, q);
    EXPECT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows, sql_rows(fresh, q));
    const std::string u = "SELECT uid, email, domain FROM userids ORDER BY 1";
    EXPECT_EQ(sql_rows(migrated, u), sql_rows(fresh, u));
}

TEST(Migration, NewerSchemaIsRefusedAndLeftAsItIs) {
    TempDir dir;
    const std::string db = copy_fixture(dir);
    sql_exec(db, "PRAGMA user_version = 4");
    ASSERT_EQ(sql_rows(db, "PRAGMA user_version"), std::vector<std::string>{"4"});
    const std::vector<std::string> before_files = files_in(dir.path());
    const Bytes before = test::read_bytes(db);
    try {
        Store s(db);
        ADD_FAILURE() << "a store of schema 4 was opened";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::BadField);
        const std::string what = e.what();
        EXPECT_NE(what.find(db), std::string::npos) << what;
        EXPECT_NE(what.find("newer"), std::string::npos) << what;
    }
    EXPECT_EQ(test::read_bytes(db), before);
    EXPECT_EQ(files_in(dir.path()), before_files);  // no -wal or -shm left behind
}

}  // namespace
}  // namespace pgpkit::keyring
