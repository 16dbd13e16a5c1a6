// open_keyserver_store (server_store.h): the engine a --db argument names.
#include "base/error.h"
#include "keyserver/postgres_store.h"
#include "keyserver/server_store.h"
#include "keyserver/sqlite_store.h"

namespace pgpkit::keyserver {

std::unique_ptr<KeyserverStore> open_keyserver_store(const std::string& spec, UploadLimits limits) {
    if (spec.rfind("sqlite:", 0) == 0 && spec.size() > 7) return std::make_unique<SqliteStore>(spec.substr(7), limits);
    if (spec.rfind("postgresql://", 0) == 0 || spec.rfind("postgres://", 0) == 0)
        return std::make_unique<PostgresStore>(spec, limits);
    throw Error(Errc::Usage, 0, "a keyserver store is sqlite:PATH or postgresql://..., not '" + spec + "'");
}

}  // namespace pgpkit::keyserver
