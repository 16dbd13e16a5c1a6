#pragma once
// keys.db's schema, its versions and the migrations between them.

#include <functional>

#include "keyring/internal/sqlite.h"

namespace pgpkit::keyring::sql {

/** 'pgps': PRAGMA application_id of a pgpkit store. */
inline constexpr std::int64_t kApplicationId = 0x70677073;

/** Creates the current schema in an empty database. */
void create_schema(Db& db);

/** The schema of version 1 (kept to make old-version fixtures and to test migrations). */
void create_schema_v1(Db& db);

/**
 * Brings a store of schema `from` to the current version, in one transaction.
 * `reindex` rebuilds the index rows of every certificate (after columns were added).
 */
void migrate(Db& db, int from, const std::function<void()>& reindex);

}  // namespace pgpkit::keyring::sql
