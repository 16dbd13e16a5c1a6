#pragma once
// The structural check of a trustdb read from a file (used by Trustdb::parse).

#include <vector>

#include "trust/trustdb_records.h"

namespace pgpkit::trust::internal {

/**
 * Throws Error naming the first record that breaks the structure gpg 2.2 relies on: the
 * version record, pointers inside the file and to records of the right type, lists without
 * loops, the hash table's 29 records.
 */
void check_trustdb(const std::vector<Record>& records);

}  // namespace pgpkit::trust::internal
