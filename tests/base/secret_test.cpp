#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <vector>

#include "base/secret.h"

// WipingAllocator takes its storage from the aligned operator new and returns it through
// the sized aligned operator delete. This test program replaces that pair (nothing else
// uses it here), so it can look at each buffer at the moment it is freed: after the
// allocator's wipe, before the memory goes back to the system.
namespace {
bool g_recording = false;
std::size_t g_freed_buffers = 0;
std::size_t g_freed_octets = 0;
std::size_t g_freed_nonzero = 0;  // octets that were not zero when their buffer was freed
}  // namespace

void* operator new(std::size_t n, std::align_val_t al) {
    const std::size_t a = std::max<std::size_t>(static_cast<std::size_t>(al), sizeof(void*));
    void* p = std::aligned_alloc(a, (std::max<std::size_t>(n, 1) + a - 1) / a * a);
    if (p == nullptr) throw std::bad_alloc();
    return p;
}
void operator delete(void* p, std::align_val_t) noexcept {
    std::free(p);  // NOLINT(cppcoreguidelines-no-malloc): pairs with aligned_alloc above
}
void operator delete(void* p, std::size_t n, std::align_val_t al) noexcept {
    if (g_recording && p != nullptr) {
        ++g_freed_buffers;
        g_freed_octets += n;
        const auto* b = static_cast<const std::uint8_t*>(p);
        g_freed_nonzero += static_cast<std::size_t>(std::count_if(b, b + n, [](std::uint8_t x) { return x != 0; }));
    }
    operator delete(p, al);
}

namespace pgpkit {
namespace {

/** Counts the buffers the wiping allocator frees while it is alive. */
class FreeRecorder {
public:
    FreeRecorder() {
        g_freed_buffers = g_freed_octets = g_freed_nonzero = 0;
        g_recording = true;
    }
    ~FreeRecorder() { g_recording = false; }
    FreeRecorder(const FreeRecorder&) = delete;
    FreeRecorder& operator=(const FreeRecorder&) = delete;
};

TEST(Wipe, OverwritesEveryOctetWithZero) {
    std::array<std::uint8_t, 37> buf;
    buf.fill(0xA5);
    wipe(buf.data(), buf.size());
    for (std::uint8_t b : buf) EXPECT_EQ(b, 0);
}

TEST(Wipe, AcceptsAnEmptyRange) {
    wipe(nullptr, 0);
    std::uint8_t one = 7;
    wipe(&one, 0);
    EXPECT_EQ(one, 7);
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
    const std::vector<std::uint8_t> a{1, 2, 3, 4}, b{1, 2, 3, 4}, c{1, 2, 3, 5}, d{1, 2, 3};
    EXPECT_TRUE(constant_time_equal(a, b));
    EXPECT_FALSE(constant_time_equal(a, c));
    EXPECT_FALSE(constant_time_equal(a, d));
    EXPECT_TRUE(constant_time_equal({}, {}));
    const SecretBytes s{1, 2, 3, 4};
    EXPECT_TRUE(constant_time_equal(s, a));
}

TEST(ConstantTimeEqual, FindsADifferenceInTheFirstOctet) {
    const std::vector<std::uint8_t> a{0x00, 9, 9}, b{0x80, 9, 9};
    EXPECT_FALSE(constant_time_equal(a, b));
}

TEST(SecretBytes, IsAVectorWithTheWipingAllocator) {
    static_assert(std::is_same_v<SecretBytes::allocator_type, WipingAllocator<std::uint8_t>>);
    SecretBytes s{1, 2, 3};
    SecretBytes copy = s;
    SecretBytes moved = std::move(copy);
    s.insert(s.end(), 300, 9);
    EXPECT_EQ(moved, (SecretBytes{1, 2, 3}));
    EXPECT_EQ(s.size(), 303u);
}

TEST(SecretBytes, DestructionWipesTheBuffer) {
    FreeRecorder rec;
    { SecretBytes s(100, 0xEE); }
    EXPECT_EQ(g_freed_buffers, 1u);
    EXPECT_EQ(g_freed_octets, 100u);
    EXPECT_EQ(g_freed_nonzero, 0u);
}

TEST(SecretBytes, ReallocationWipesTheOldBuffer) {
    FreeRecorder rec;
    SecretBytes s(16, 0xEE);
    s.resize(5000, 0xEE);  // the 16-octet buffer is freed here
    EXPECT_EQ(g_freed_buffers, 1u);
    EXPECT_EQ(g_freed_octets, 16u);
    EXPECT_EQ(g_freed_nonzero, 0u);
}

TEST(SecretBytes, CopiesAndMovedFromBuffersAreWiped) {
    FreeRecorder rec;
    {
        SecretBytes a(64, 0x5A);
        SecretBytes b = a;             // second buffer
        SecretBytes c = std::move(a);  // takes a's buffer
        SecretBytes d;
        d = b;  // third buffer
    }
    EXPECT_EQ(g_freed_buffers, 3u);
    EXPECT_EQ(g_freed_octets, 3u * 64);
    EXPECT_EQ(g_freed_nonzero, 0u);
}

TEST(SecretBytes, ThePlainAllocatorWouldLeaveTheSecret) {
    // The recorder itself can fail: a buffer freed without a wipe is counted as non-zero.
    FreeRecorder rec;
    auto* p = static_cast<std::uint8_t*>(::operator new(32, std::align_val_t{1}));
    std::fill(p, p + 32, 0x11);
    ::operator delete(p, 32, std::align_val_t{1});
    EXPECT_EQ(g_freed_buffers, 1u);
    EXPECT_EQ(g_freed_nonzero, 32u);
}

TEST(ToSecret, MovesTheContentAndWipesTheSource) {
    std::vector<std::uint8_t> plain{5, 6, 7, 8};
    const SecretBytes s = to_secret(plain);
    EXPECT_EQ(s, (SecretBytes{5, 6, 7, 8}));
    EXPECT_TRUE(plain.empty());
    EXPECT_EQ(plain.capacity(), 0u);
}

TEST(SecretString, UsesTheWipingAllocatorAndWipesItsHeapBuffers) {
    static_assert(std::is_same_v<SecretString::allocator_type, WipingAllocator<char>>);
    FreeRecorder rec;
    {
        SecretString s(100, 'x');  // on the heap: longer than any small-string buffer
        s.append(400, 'y');        // reallocates: the first buffer is freed here
    }
    EXPECT_EQ(g_freed_buffers, 2u);
    EXPECT_GE(g_freed_octets, 500u);
    EXPECT_EQ(g_freed_nonzero, 0u);
}

TEST(SecretString, WipeStringEmptiesIt) {
    SecretString s(50, 'p');
    wipe_string(s);
    EXPECT_TRUE(s.empty());
}

}  // namespace
}  // namespace pgpkit
