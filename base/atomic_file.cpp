#include "base/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cerrno>
#include <cstring>
#include <optional>

#include "base/error.h"
#include "base/secret.h"

namespace pgpkit {

namespace {

[[noreturn]] void io_error(const std::string& what, const std::string& path, int err) {
    throw Error(Errc::Io, 0, what + " " + path + ": " + std::strerror(err));
}

/** Owns a file descriptor. */
class Fd {
public:
    explicit Fd(int fd) noexcept : m_fd(fd) {}
    ~Fd() {
        if (m_fd >= 0) ::close(m_fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const noexcept { return m_fd; }
    /** Closes now, so a failing close (NFS reports write errors there) is seen. */
    int close() noexcept {
        const int rc = ::close(m_fd);
        m_fd = -1;
        return rc;
    }

private:
    int m_fd;
};

void write_all(int fd, const std::uint8_t* p, std::size_t n, const std::string& path) {
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            io_error("cannot write", path, errno);
        }
        p += w;
        n -= static_cast<std::size_t>(w);
    }
}

/** The status of `path`, nullopt if it does not exist. */
std::optional<struct stat> stat_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) return st;
    if (errno == ENOENT) return std::nullopt;
    io_error("cannot stat", path, errno);
}

/** A symbolic link's target, so the rename replaces the file and keeps the link. */
std::string resolved(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
    char* real = ::realpath(path.c_str(), nullptr);
    if (real == nullptr) io_error("cannot resolve the link", path, errno);
    std::string out(real);
    std::free(real);  // NOLINT(cppcoreguidelines-no-malloc): realpath's buffer
    return out;
}

/**
 * /dev/stdout, /dev/fd/3, /proc/self/fd/1: names of open descriptors, written in place even
 * when the descriptor is a regular file (a shell redirection): renaming a temporary file over
 * such a name would replace the link in /dev, not the file.
 */
bool names_descriptor(const std::string& path) noexcept {
    return path == "/dev/stdout" || path == "/dev/stderr" || path.starts_with("/dev/fd/") ||
           path.starts_with("/proc/");
}

mode_t mode_for(FileMode mode, const std::optional<struct stat>& old) noexcept {
    if (mode == FileMode::Secret) return 0600;
    return old ? (old->st_mode & 07777) : 0644;
}

std::string folder_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

void sync_folder(const std::string& path) {
    const std::string dir = folder_of(path);
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) io_error("cannot open folder", dir, errno);
    // Some file systems cannot sync a folder; the rename itself has happened then.
    if (::fsync(fd.get()) != 0 && errno != EINVAL && errno != ENOTSUP) io_error("cannot sync folder", dir, errno);
}

/** Copies the old content of `path` (if any) to `out`, through a buffer wiped afterwards. */
void copy_old_content(const std::string& path, int out, const std::string& tmp) {
    Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0) {
        if (errno == ENOENT) return;
        io_error("cannot open", path, errno);
    }
    std::array<std::uint8_t, 1 << 16> buf;
    struct Wiper {
        std::array<std::uint8_t, 1 << 16>& b;
        ~Wiper() { wipe(b.data(), b.size()); }
    } wiper{buf};
    for (;;) {
        const ssize_t r = ::read(in.get(), buf.data(), buf.size());
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) io_error("cannot read", path, errno);
        if (r == 0) return;
        write_all(out, buf.data(), static_cast<std::size_t>(r), tmp);
    }
}

/** The temporary-file dance; `old_content` says whether the old file is copied first. */
void replace_file(const std::string& link, ByteView data, FileMode mode, bool old_content) {
    const std::string path = resolved(link);
    const std::optional<struct stat> old = stat_of(path);
    if (old && !S_ISREG(old->st_mode)) io_error("cannot replace", path, EINVAL);
    std::string tmp = path + ".tmp-XXXXXX";
    Fd fd(::mkostemp(tmp.data(), O_CLOEXEC));
    if (fd.get() < 0) io_error("cannot create a temporary file for", path, errno);
    try {
        if (::fchmod(fd.get(), mode_for(mode, old)) != 0) io_error("cannot set the mode of", tmp, errno);
        if (old_content && old) copy_old_content(path, fd.get(), tmp);
        write_all(fd.get(), data.data(), data.size(), tmp);
        if (::fsync(fd.get()) != 0) io_error("cannot sync", tmp, errno);
        if (fd.close() != 0) io_error("cannot close", tmp, errno);
        if (::rename(tmp.c_str(), path.c_str()) != 0) io_error("cannot rename " + tmp + " to", path, errno);
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
    sync_folder(path);
}

}  // namespace

void write_file_atomically(const std::string& path, ByteView data, FileMode mode) {
    replace_file(path, data, mode, false);
}

void append_file_atomically(const std::string& path, ByteView data, FileMode mode) {
    const std::optional<struct stat> old = stat_of(path);
    if (old && !S_ISREG(old->st_mode))
        throw Error(Errc::Io, 0, "cannot append to " + path + ": it is not a regular file");
    replace_file(path, data, mode, true);
}

void write_output_file(const std::string& path, ByteView data, FileMode mode) {
    const std::optional<struct stat> old = stat_of(path);
    if (!names_descriptor(path) && (!old || S_ISREG(old->st_mode))) return write_file_atomically(path, data, mode);
    Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC | (old && S_ISREG(old->st_mode) ? O_TRUNC : 0)));
    if (fd.get() < 0) io_error("cannot open", path, errno);
    write_all(fd.get(), data.data(), data.size(), path);
    if (fd.close() != 0) io_error("cannot close", path, errno);
}

}  // namespace pgpkit
