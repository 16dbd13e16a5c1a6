#include "keyring/internal/schema.h"

#include <string>

#include "base/error.h"
#include "keyring/store.h"

namespace pgpkit::keyring::sql {

namespace {

// Version 1: certificates, secret keyblocks, key IDs and e-mail addresses.
constexpr const char* kV1 = R"(
CREATE TABLE certs(id INTEGER PRIMARY KEY, fingerprint BLOB NOT NULL UNIQUE,
                   keyblock BLOB NOT NULL, updated INTEGER NOT NULL);
CREATE TABLE secrets(cert_id INTEGER PRIMARY KEY REFERENCES certs(id) ON DELETE CASCADE,
                     keyblock BLOB NOT NULL);
CREATE TABLE keys(cert_id INTEGER NOT NULL REFERENCES certs(id) ON DELETE CASCADE,
                  fingerprint BLOB NOT NULL, keyid INTEGER NOT NULL, short_keyid INTEGER NOT NULL,
                  is_primary INTEGER NOT NULL);
CREATE INDEX keys_cert ON keys(cert_id);
CREATE INDEX keys_fingerprint ON keys(fingerprint);
CREATE INDEX keys_keyid ON keys(keyid);
CREATE INDEX keys_short_keyid ON keys(short_keyid);
CREATE TABLE userids(cert_id INTEGER NOT NULL REFERENCES certs(id) ON DELETE CASCADE,
                     uid TEXT NOT NULL, email TEXT);
CREATE INDEX userids_cert ON userids(cert_id);
CREATE INDEX userids_email ON userids(email);
)";

// Version 2: keygrips, which keys have secret parts, domains, exact user IDs.
constexpr const char* kV1ToV2 = R"(
ALTER TABLE keys ADD COLUMN keygrip BLOB;
ALTER TABLE keys ADD COLUMN secret INTEGER NOT NULL DEFAULT 0;
ALTER TABLE userids ADD COLUMN domain TEXT;
CREATE INDEX keys_keygrip ON keys(keygrip);
CREATE INDEX userids_domain ON userids(domain);
CREATE INDEX userids_uid ON userids(uid);
)";

// Version 3: verifications known to succeed (cert::VerifiedSignatures), per certificate,
// as gpg's keybox keeps signature-cache flags; listings skip their public-key operations.
constexpr const char* kV2ToV3 = R"(
CREATE TABLE verified(cert_id INTEGER NOT NULL REFERENCES certs(id) ON DELETE CASCADE,
                      sig BLOB NOT NULL, PRIMARY KEY(cert_id, sig)) WITHOUT ROWID;
)";

void stamp(Db& db, int version) {
    db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    db.exec("PRAGMA user_version = " + std::to_string(version));
}

}  // namespace

void create_schema_v1(Db& db) {
    Transaction t(db);
    db.exec(kV1);
    stamp(db, 1);
    t.commit();
}

void create_schema(Db& db) {
    Transaction t(db);  // BEGIN IMMEDIATE: of two processes creating one store, one does it
    Stmt q(db, "SELECT count(*) FROM sqlite_master");
    const bool empty = q.step() && q.int64(0) == 0;
    q.reset();
    if (empty) {
        db.exec(kV1);
        db.exec(kV1ToV2);
        db.exec(kV2ToV3);
        stamp(db, kSchemaVersion);
    }
    t.commit();
}

void migrate(Db& db, int from, const std::function<void()>& reindex) {
    if (from >= kSchemaVersion) return;
    Transaction t(db);
    if (from < 2) db.exec(kV1ToV2);
    if (from < 3) db.exec(kV2ToV3);
    reindex();
    stamp(db, kSchemaVersion);
    t.commit();
}

}  // namespace pgpkit::keyring::sql
