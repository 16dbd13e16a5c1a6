#pragma once
// The library's version, from the CMake project version (one place to change it).

namespace pgpkit {

/** "MAJOR.MINOR.PATCH" of the library this program is linked with. */
const char* version() noexcept;

}  // namespace pgpkit
