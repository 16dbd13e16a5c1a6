#pragma once
// Crash-safe file writes (DESIGN principle 5): a file is written to a temporary file in the
// same folder, synced, renamed over the target and the folder synced, so a reader or a
// crash sees either the old content or the new, never a half-written file.

#include <cstdint>
#include <string>

#include "base/bytes.h"

namespace pgpkit {

/** Permissions of the files written here. */
enum class FileMode : std::uint8_t {
    Public,  ///< 0644 for a new file; a replaced or extended file keeps its permission bits
    Secret,  ///< always 0600 (secret keys), whatever the file had before and the umask
};

/**
 * Replaces the regular file `path` (or creates it) with `data`: temporary file
 * "<path>.tmp-XXXXXX" beside it, write, fsync, rename, fsync of the folder. On failure the
 * temporary file is removed and `path` is untouched.
 * @throws Error(Errc::Io) naming the file and the system's reason.
 */
void write_file_atomically(const std::string& path, ByteView data, FileMode mode = FileMode::Public);

/**
 * Appends `data` to the keyring `path` the same crash-safe way: the old content and the new
 * are copied into the temporary file, which is renamed over `path`; a missing file counts
 * as empty. A failure never loses or truncates the old content. Two processes appending at
 * once may lose one of the appends (there is no lock), never corrupt the file.
 * @throws Error(Errc::Io) if `path` exists and is not a regular file, or a step fails.
 */
void append_file_atomically(const std::string& path, ByteView data, FileMode mode = FileMode::Public);

/**
 * Writes an output file: a regular or missing file with write_file_atomically(), a device
 * or a pipe (/dev/null, /dev/stdout, a FIFO) in place, as the user named it.
 * @throws Error(Errc::Io) naming the file and the system's reason.
 */
void write_output_file(const std::string& path, ByteView data, FileMode mode = FileMode::Public);

}  // namespace pgpkit
