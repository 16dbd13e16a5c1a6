#include "base/version.h"

#ifndef PGPKIT_VERSION
#error "PGPKIT_VERSION comes from CMakeLists.txt"
#endif

namespace pgpkit {

const char* version() noexcept { return PGPKIT_VERSION; }

}  // namespace pgpkit
