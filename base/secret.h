#pragma once
// The wiping secret type (HOUSE-STYLE rule 18): secret MPIs, session keys, S2K output,
// passphrases and seeds live in SecretBytes, whose allocator overwrites every buffer it
// gives back, so copies, moves and reallocations leave no secret behind. The wipe is in
// base/secret.cpp, so this header names no dependency.

#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <string>
#include <vector>

namespace pgpkit {

/**
 * Overwrites `len` octets at `data` with zeros in a way the compiler cannot elide (for
 * buffers that held secrets and are not SecretBytes, e.g. a packet writer's output).
 */
void wipe(void* data, std::size_t len) noexcept;

/**
 * Compares two octet strings in time that depends only on their lengths, not on where
 * they differ (for MACs, check values, passphrase-derived keys). Different lengths are
 * unequal at once: lengths are not secret.
 */
[[nodiscard]] bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept;

/**
 * A std::allocator that wipes each buffer before it frees it. Stateless. Storage comes from
 * the aligned operator new and goes back through the sized aligned operator delete.
 */
template <class T>
struct WipingAllocator {
    using value_type = T;

    WipingAllocator() noexcept = default;
    template <class U>
    WipingAllocator(const WipingAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)

    [[nodiscard]] T* allocate(std::size_t n) {
        return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{alignof(T)}));
    }
    void deallocate(T* p, std::size_t n) noexcept {
        wipe(p, n * sizeof(T));
#if defined(__cpp_sized_deallocation)
        ::operator delete(p, n * sizeof(T), std::align_val_t{alignof(T)});
#else
        // clang without -fsized-deallocation (its default before clang 19) has no sized form.
        ::operator delete(p, std::align_val_t{alignof(T)});
#endif
    }

    template <class U>
    bool operator==(const WipingAllocator<U>&) const noexcept {
        return true;
    }
};

/** Octets of secret material; a std::vector that wipes its storage when it lets it go. */
using SecretBytes = std::vector<std::uint8_t, WipingAllocator<std::uint8_t>>;

/**
 * Secret text (a line of an armored private key, a passphrase being read). Heap buffers are
 * wiped as with SecretBytes; a short string kept inside the object itself (the small-string
 * buffer) is not, so an owner of a SecretString wipes it before it goes, with wipe_string.
 */
using SecretString = std::basic_string<char, std::char_traits<char>, WipingAllocator<char>>;

/** Wipes the characters of `s` and empties it (covers the small-string buffer too). */
inline void wipe_string(SecretString& s) noexcept {
    wipe(s.data(), s.size());
    s.clear();
}

/**
 * Moves the content of a plain buffer into secret memory and wipes the buffer (what a
 * layer does with bytes a writer produced into a std::vector, e.g. serialized secret
 * keys). The buffer is left empty.
 */
[[nodiscard]] SecretBytes to_secret(std::vector<std::uint8_t>& plain);

}  // namespace pgpkit
