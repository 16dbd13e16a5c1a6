#pragma once
// The checks behind the keyring/ libFuzzer entry points (fuzz_key_spec, fuzz_keybox),
// shared with the GoogleTest replay of tests/data/fuzz/<target>/ as tests/fuzz/targets.h
// is. Each returns normally for any input; a broken invariant aborts (fuzz::require).

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "keyring/keybox.h"
#include "keyring/spec.h"
#include "packet/source.h"
#include "tests/fuzz/targets.h"

namespace pgpkit::fuzz {

inline bool has_upper(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c >= 'A' && c <= 'Z'; });
}

/** The text that parses back to `k` (gpg's explicit forms), if there is one. */
inline std::optional<std::string> spec_text(const keyring::KeySpec& k) {
    switch (k.kind) {
    case keyring::SpecKind::ShortKeyId:
    case keyring::SpecKind::LongKeyId:
    case keyring::SpecKind::Fingerprint: return "0x" + to_hex(k.id) + (k.exact_key ? "!" : "");
    case keyring::SpecKind::Email:
        if (k.text.find('>') != std::string::npos) return std::nullopt;
        return "<" + k.text + ">";
    case keyring::SpecKind::Exact: return "=" + k.text;
    case keyring::SpecKind::Domain: return "@" + k.text;
    case keyring::SpecKind::Substring: return "*" + k.text;
    }
    return std::nullopt;
}

/**
 * Key specifications: parse_key_spec throws nothing but Error(Usage); an ID has the
 * octets its kind says, e-mail and domain text is lower-case, and the explicit form of
 * the result (0x..., <...>, =..., @..., *...) parses to the same specification.
 */
inline void key_spec_one(ByteView in) {
    const std::string_view text(reinterpret_cast<const char*>(in.data()), in.size());
    const std::string mail = keyring::email_of(text);
    require(mail.empty() || mail.find('@') != std::string::npos);
    require(!has_upper(mail));
    require(keyring::domain_of(mail).find('@') == std::string::npos);
    keyring::KeySpec k;
    try {
        k = keyring::parse_key_spec(text);
    } catch (const Error& e) {
        require(e.kind() == Errc::Usage);
        return;
    }
    (void)keyring::spec_kind_name(k.kind);
    switch (k.kind) {
    case keyring::SpecKind::ShortKeyId: require(k.id.size() == 4); break;
    case keyring::SpecKind::LongKeyId: require(k.id.size() == 8); break;
    case keyring::SpecKind::Fingerprint:
        require(k.id.size() == 16 || k.id.size() == 20 || k.id.size() == 32);
        break;
    default: require(k.id.empty() && !k.exact_key); break;
    }
    if (k.kind == keyring::SpecKind::Email || k.kind == keyring::SpecKind::Domain)
        require(!has_upper(k.text));
    if (const auto again = spec_text(k)) {
        keyring::KeySpec k2;
        try {
            k2 = keyring::parse_key_spec(*again);
        } catch (const Error&) {
            std::abort();  // the explicit form of a specification must parse
        }
        require(k2 == k);
    }
}

/** Hands out at most 7 octets per read and never a view: KeyboxReader's copying path. */
class TrickleSource final : public packet::Source {
public:
    explicit TrickleSource(ByteView data) noexcept : m_data(data) {}
    std::size_t read(std::span<std::uint8_t> buf) override {
        const std::size_t n = std::min<std::size_t>({buf.size(), 7, m_data.size() - m_offset});
        if (n) std::memcpy(buf.data(), m_data.data() + m_offset, n);
        m_offset += n;
        return n;
    }

private:
    ByteView m_data;
};

/** What a keybox read gave: every blob's fields and keyblock, then the error, if any. */
struct KeyboxRun {
    std::vector<std::string> blobs;  ///< blob_summary of each
    std::vector<keyring::BlobChecksum> checksums;
    keyring::KeyboxStats stats;
    std::optional<std::pair<Errc, std::uint64_t>> error;
};

/** Every field of a blob but the checksum verdict, and its keyblock, as text. */
inline std::string blob_summary(const keyring::KeyboxBlob& b) {
    std::string s = std::to_string(b.offset) + "/" + std::to_string(b.length) + "/" +
                    std::to_string(b.version) + "/" + std::to_string(b.flags) + "/" +
                    std::to_string(b.keyblock_offset) + ":" + to_hex(b.keyblock) + ":" +
                    to_hex(b.serial);
    for (const auto& k : b.keys)
        s += " k" + to_hex(k.fingerprint) + "/" + (k.key_id ? to_hex(ByteView(*k.key_id)) : "-") +
             "/" + std::to_string(k.flags);
    for (const auto& u : b.user_ids)
        s += " u" + std::to_string(u.offset) + "/" + std::to_string(u.length) + "/" +
             std::to_string(u.flags);
    for (auto v : b.signature_info) s += " s" + std::to_string(v);
    s += " t" + std::to_string(b.ownertrust.value_or(0)) + "/" + std::to_string(b.created_at);
    return s;
}

/** Reads every blob; checks each one's bounds against the input. */
inline KeyboxRun keybox_run(ByteView in, packet::Source* stream, bool verify) {
    KeyboxRun run;
    keyring::KeyboxOptions opt;
    opt.verify_checksum = verify;
    opt.max_blob_size = 1u << 20;  // the fuzzer's inputs are far smaller
    try {
        std::optional<keyring::KeyboxReader> r;
        if (stream)
            r.emplace(*stream, opt);
        else
            r.emplace(in, opt);
        while (auto b = r->next()) {
            require(b->offset + b->length <= in.size());
            require(!b->keys.empty());
            require(std::uint64_t{b->keyblock_offset} + b->keyblock.size() <= b->length);
            const ByteView want = in.subspan(b->offset + b->keyblock_offset, b->keyblock.size());
            require(std::equal(want.begin(), want.end(), b->keyblock.begin(), b->keyblock.end()));
            if (!stream)
                require(b->keyblock.empty() || b->keyblock.data() == want.data());  // zero-copy
            for (const auto& k : b->keys)
                require(k.fingerprint.size() == 20 || k.fingerprint.size() == 32);
            for (const auto& u : b->user_ids)
                require(std::uint64_t{u.offset} + u.length <= b->length);
            require(verify ? b->checksum != keyring::BlobChecksum::Unchecked
                           : b->checksum != keyring::BlobChecksum::Sha1 &&
                                 b->checksum != keyring::BlobChecksum::Md5);
            run.blobs.push_back(blob_summary(*b));
            run.checksums.push_back(b->checksum);
        }
        run.stats = r->stats();
    } catch (const Error& e) {
        require(e.offset() <= in.size());
        run.error = std::make_pair(e.kind(), e.offset());
    }
    return run;
}

inline bool same_stats(const keyring::KeyboxStats& a, const keyring::KeyboxStats& b) {
    return a.openpgp == b.openpgp && a.x509 == b.x509 && a.empty == b.empty &&
           a.ephemeral == b.ephemeral && a.too_large == b.too_large && a.other == b.other;
}

/**
 * Keybox: the zero-copy reader over memory and the copying reader over a stream that
 * trickles 7 octets at a time see the same blobs and stop at the same error; without
 * checksum checks the blobs are the same, and an input read cleanly with the checks is
 * read cleanly without. Every keyblock then goes through certificate assembly.
 */
inline void keybox_one(ByteView in) {
    const KeyboxRun mem = keybox_run(in, nullptr, true);
    TrickleSource trickle(in);
    const KeyboxRun streamed = keybox_run(in, &trickle, true);
    require(mem.blobs == streamed.blobs && mem.checksums == streamed.checksums);
    require(mem.error == streamed.error);
    if (!mem.error) require(same_stats(mem.stats, streamed.stats));

    const KeyboxRun unchecked = keybox_run(in, nullptr, false);
    require(unchecked.blobs.size() >= mem.blobs.size());
    require(std::equal(mem.blobs.begin(), mem.blobs.end(), unchecked.blobs.begin()));
    if (!mem.error) require(!unchecked.error && unchecked.blobs.size() == mem.blobs.size());

    cert::ReadOptions ro;
    ro.parse = parse_options();
    ro.max_packets_per_cert = 4096;
    keyring::KeyboxCertEvents ev;
    std::size_t certs = 0;
    ev.cert = [&](cert::Cert&&, const keyring::KeyboxBlob&) { ++certs; };
    ev.stray = [](const packet::Packet&, const std::string&) {};
    try {
        packet::MemorySource src(in);
        keyring::KeyboxOptions kopt;
        kopt.max_blob_size = 1u << 20;
        (void)keyring::read_keybox_certs(src, kopt, ro, ev);
    } catch (const Error& e) {
        require(e.offset() <= in.size());
    }
}

}  // namespace pgpkit::fuzz
