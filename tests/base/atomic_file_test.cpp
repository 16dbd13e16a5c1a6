#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include "base/atomic_file.h"
#include "base/error.h"
#include "tests/support/env.h"

namespace pgpkit {
namespace {

using test::read_bytes;
using test::TempDir;
using test::write_bytes;

unsigned mode_of(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
}

/** Names in `dir`, to see that no temporary file is left behind. */
std::vector<std::string> names_in(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

/** Sets the umask for the scope, so modes do not depend on the caller's. */
class Umask {
public:
    explicit Umask(mode_t m) : m_old(::umask(m)) {}
    ~Umask() { ::umask(m_old); }
    Umask(const Umask&) = delete;
    Umask& operator=(const Umask&) = delete;

private:
    mode_t m_old;
};

/**
 * Caps the size of files this process may write (RLIMIT_FSIZE), so a write fails as on a
 * full disk: the kernel answers EFBIG, also for root. SIGXFSZ is ignored meanwhile.
 */
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        EXPECT_EQ(::getrlimit(RLIMIT_FSIZE, &m_old), 0);
        m_old_handler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit lim = m_old;
        lim.rlim_cur = bytes;
        EXPECT_EQ(::setrlimit(RLIMIT_FSIZE, &lim), 0);
    }
    ~FileSizeLimit() {
        ::setrlimit(RLIMIT_FSIZE, &m_old);
        std::signal(SIGXFSZ, m_old_handler);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

private:
    rlimit m_old{};
    void (*m_old_handler)(int) = nullptr;
};

Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

TEST(AtomicFile, WriteCreatesTheFileWithMode0644AndNoTemporaryLeft) {
    Umask u(077);
    TempDir dir;
    write_file_atomically(dir.file("pub.gpg"), text("public"));
    EXPECT_EQ(read_bytes(dir.file("pub.gpg")), text("public"));
    EXPECT_EQ(mode_of(dir.file("pub.gpg")), 0644u);
    EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"pub.gpg"}));
}

TEST(AtomicFile, SecretFilesAre0600EvenWhenTheOldFileWasReadable) {
    Umask u(0);
    TempDir dir;
    write_bytes(dir.file("sec.gpg"), text("old"));
    ::chmod(dir.file("sec.gpg").c_str(), 0644);
    write_file_atomically(dir.file("sec.gpg"), text("secret"), FileMode::Secret);
    EXPECT_EQ(mode_of(dir.file("sec.gpg")), 0600u);
    append_file_atomically(dir.file("new-sec.gpg"), text("secret"), FileMode::Secret);
    EXPECT_EQ(mode_of(dir.file("new-sec.gpg")), 0600u);
}

TEST(AtomicFile, PublicReplaceKeepsTheOldPermissions) {
    TempDir dir;
    write_bytes(dir.file("pub.gpg"), text("old"));
    ::chmod(dir.file("pub.gpg").c_str(), 0640);
    write_file_atomically(dir.file("pub.gpg"), text("new"));
    EXPECT_EQ(read_bytes(dir.file("pub.gpg")), text("new"));
    EXPECT_EQ(mode_of(dir.file("pub.gpg")), 0640u);
}

TEST(AtomicFile, AppendKeepsTheOldContentAndAddsTheNew) {
    TempDir dir;
    const std::string ring = dir.file("ring.gpg");
    append_file_atomically(ring, text("first;"));
    append_file_atomically(ring, text("second"));
    EXPECT_EQ(read_bytes(ring), text("first;second"));
    EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"ring.gpg"}));
}

TEST(AtomicFile, AppendCopiesOldContentLargerThanOneBuffer) {
    TempDir dir;
    const std::string ring = dir.file("ring.gpg");
    Bytes big(200000);
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 7);
    write_bytes(ring, big);
    append_file_atomically(ring, text("tail"));
    Bytes want = big;
    want.insert(want.end(), {'t', 'a', 'i', 'l'});
    EXPECT_EQ(read_bytes(ring), want);
}

TEST(AtomicFile, AFailedAppendLeavesTheOldKeyringWhole) {
    TempDir dir;
    const std::string ring = dir.file("ring.gpg");
    write_bytes(ring, text("old keyring"));
    try {
        FileSizeLimit limit(4096);
        append_file_atomically(ring, Bytes(8192, 0x42), FileMode::Secret);
        ADD_FAILURE() << "the append past the file size limit succeeded";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Io);
        EXPECT_NE(std::string(e.what()).find(ring), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("File too large"), std::string::npos) << e.what();
    }
    EXPECT_EQ(read_bytes(ring), text("old keyring"));
    EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"ring.gpg"}));
}

TEST(AtomicFile, AFailedWriteLeavesTheOldFile) {
    TempDir dir;
    const std::string f = dir.file("out.gpg");
    write_bytes(f, text("old"));
    {
        FileSizeLimit limit(1024);
        EXPECT_THROW(write_file_atomically(f, Bytes(4096, 1)), Error);
    }
    EXPECT_EQ(read_bytes(f), text("old"));
    EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"out.gpg"}));
}

TEST(AtomicFile, AMissingFolderIsAnIoErrorNamingThePath) {
    TempDir dir;
    const std::string f = dir.file("no/such/folder/ring.gpg");
    try {
        append_file_atomically(f, text("x"));
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Io);
        EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos) << e.what();
    }
}

TEST(AtomicFile, AFolderInTheWayIsNotReplaced) {
    TempDir dir;
    std::filesystem::create_directory(dir.file("ring.gpg"));
    EXPECT_THROW(write_file_atomically(dir.file("ring.gpg"), text("x")), Error);
    EXPECT_THROW(append_file_atomically(dir.file("ring.gpg"), text("x")), Error);
    EXPECT_TRUE(std::filesystem::is_directory(dir.file("ring.gpg")));
    EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"ring.gpg"}));
}

TEST(AtomicFile, AppendToADeviceIsRefused) {
    try {
        append_file_atomically("/dev/null", text("x"));
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Io);
        EXPECT_NE(std::string(e.what()).find("/dev/null: it is not a regular file"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(std::filesystem::is_character_file("/dev/null"));
}

TEST(AtomicFile, OutputToADeviceIsWrittenInPlace) {
    write_output_file("/dev/null", text("discarded"), FileMode::Secret);
    EXPECT_TRUE(std::filesystem::is_character_file("/dev/null"));
    EXPECT_THROW(write_file_atomically("/dev/null", text("x")), Error);  // never renamed over
    EXPECT_TRUE(std::filesystem::is_character_file("/dev/null"));
}

TEST(AtomicFile, OutputToADescriptorNameOfARegularFileWritesThatFileInPlace) {
    // What gen-key --output /dev/stdout does under a shell redirection: the open file is
    // written, not replaced by a new one (the inode stays). The test uses
    // /dev/fd/N and /proc/self/fd/N of its own descriptor: a regression then fails to create
    // its temporary file in /proc instead of renaming over a link in /dev.
    TempDir dir;
    const std::string f = dir.file("redirected");
    for (const std::string prefix : {"/dev/fd/", "/proc/self/fd/"}) {
        write_bytes(f, text("previous content"));
        const int fd = ::open(f.c_str(), O_WRONLY);
        ASSERT_GE(fd, 0);
        struct stat before {};
        ASSERT_EQ(::fstat(fd, &before), 0);
        std::string error;
        try {
            write_output_file(prefix + std::to_string(fd), text("keys"), FileMode::Secret);
        } catch (const Error& e) {
            error = e.what();
        }
        ::close(fd);
        EXPECT_EQ(error, "") << prefix;
        EXPECT_EQ(read_bytes(f), text("keys")) << prefix;
        struct stat after {};
        ASSERT_EQ(::stat(f.c_str(), &after), 0);
        EXPECT_EQ(after.st_ino, before.st_ino) << prefix << ": the file was replaced, not written in place";
        EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"redirected"}));
    }
}

TEST(AtomicFile, OutputToAPipeIsWrittenInPlace) {
    TempDir dir;
    const std::string fifo = dir.file("fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);  // so the writer's open does not wait
    ASSERT_GE(reader, 0);
    write_output_file(fifo, text("through"), FileMode::Secret);
    char buf[16] = {};
    EXPECT_EQ(::read(reader, buf, sizeof buf), 7);
    ::close(reader);
    EXPECT_EQ(std::string(buf), "through");
    EXPECT_TRUE(std::filesystem::is_fifo(fifo));
}

TEST(AtomicFile, OutputToARegularFileIsAtomic) {
    TempDir dir;
    write_output_file(dir.file("o"), text("one"), FileMode::Secret);
    write_output_file(dir.file("o"), text("two"), FileMode::Secret);
    EXPECT_EQ(read_bytes(dir.file("o")), text("two"));
    EXPECT_EQ(mode_of(dir.file("o")), 0600u);
}

TEST(AtomicFile, ASymlinkStaysALinkAndItsTargetIsReplaced) {
    TempDir dir;
    write_bytes(dir.file("real.gpg"), text("a"));
    std::filesystem::create_symlink(dir.file("real.gpg"), dir.file("link.gpg"));
    append_file_atomically(dir.file("link.gpg"), text("b"));
    EXPECT_TRUE(std::filesystem::is_symlink(dir.file("link.gpg")));
    EXPECT_EQ(read_bytes(dir.file("real.gpg")), text("ab"));
}

}  // namespace
}  // namespace pgpkit
