#include "message/seipd.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "base/error.h"
#include "crypto/hash.h"

namespace pgpkit::message {

namespace {

constexpr std::size_t io_block = std::size_t{1} << 16;
constexpr std::size_t mdc_len = 22;  // 0xD3 0x14 and the SHA-1 digest

[[noreturn]] void manipulated(std::uint64_t offset, const std::string& why) {
    throw Error(Errc::Crypto, offset, std::string(manipulated_text) + " (" + why + ")");
}

void put_be64(std::uint8_t* p, std::uint64_t v) noexcept {
    for (int i = 7; i >= 0; --i) {
        p[i] = static_cast<std::uint8_t>(v);
        v >>= 8;
    }
}

}  // namespace

bool cfb_quick_check(crypto::CipherKind c, const SecretBytes& key, ByteView prefix) {
    const std::size_t bs = crypto::cipher_block_size(c);
    if (prefix.size() != bs + 2 || key.size() != crypto::cipher_key_size(c)) return false;
    SecretBytes p(prefix.begin(), prefix.end());
    crypto::CfbStream cfb(c, crypto::CfbStream::Direction::Decrypt, key);
    cfb.process(p);
    return p[bs - 2] == p[bs] && p[bs - 1] == p[bs + 1];
}

// ---- SEIPD v1 -------------------------------------------------------------------------

struct SeipdV1Reader::Impl {
    Impl(packet::Source& b, crypto::CfbStream c) : body(b), cfb(std::move(c)) {}
    packet::Source& body;
    crypto::CfbStream cfb;
    crypto::Hasher mdc{crypto::HashKind::Sha1};
    SecretBytes buf = SecretBytes(io_block + mdc_len);
    std::size_t pos = 0, end = 0;
    bool eof = false;
};

SeipdV1Reader::SeipdV1Reader(packet::Source& body, crypto::CipherKind c, const SecretBytes& key, ByteView prefix)
    : m_impl(std::make_unique<Impl>(body, crypto::CfbStream(c, crypto::CfbStream::Direction::Decrypt, key))) {
    SecretBytes p(prefix.begin(), prefix.end());
    m_impl->cfb.process(p);
    m_impl->mdc.update(p);
}

SeipdV1Reader::~SeipdV1Reader() = default;

bool SeipdV1Reader::refill() {
    Impl& s = *m_impl;
    if (s.eof) return false;
    std::memmove(s.buf.data(), s.buf.data() + s.pos, s.end - s.pos);
    s.end -= s.pos;
    s.pos = 0;
    const std::size_t n = s.body.read({s.buf.data() + s.end, s.buf.size() - s.end});
    if (n == 0) {
        s.eof = true;
        return false;
    }
    s.cfb.process({s.buf.data() + s.end, n});
    s.end += n;
    return true;
}

std::size_t SeipdV1Reader::read(std::span<std::uint8_t> out) {
    Impl& s = *m_impl;
    if (m_verified || out.empty()) return 0;
    while (s.end - s.pos <= mdc_len && refill()) {
    }
    const std::size_t avail = s.end - s.pos;
    if (avail > mdc_len) {
        const std::size_t n = std::min(out.size(), avail - mdc_len);
        std::memcpy(out.data(), s.buf.data() + s.pos, n);
        s.mdc.update({out.data(), n});
        s.pos += n;
        m_offset += n;
        return n;
    }
    // The end: the last 22 octets must be the MDC packet over everything before it.
    if (avail < mdc_len) manipulated(m_offset, "no MDC packet");
    const std::uint8_t* tail = s.buf.data() + s.pos;
    if (tail[0] != 0xD3 || tail[1] != 0x14) manipulated(m_offset, "no MDC packet");
    s.mdc.update({tail, 2});
    const std::vector<std::uint8_t> digest = s.mdc.final();
    if (!crypto::constant_time_equal(digest, {tail + 2, 20})) manipulated(m_offset, "MDC mismatch");
    s.pos = s.end;
    m_verified = true;
    return 0;
}

// ---- SED ------------------------------------------------------------------------------

namespace {

crypto::CfbStream resynced(crypto::CipherKind c, const SecretBytes& key, ByteView prefix) {
    const std::size_t bs = crypto::cipher_block_size(c);
    if (prefix.size() != bs + 2) throw Error(Errc::Truncated, 0, "SED prefix cut short");
    // After the prefix, CFB restarts with the last block of prefix ciphertext as its IV.
    return crypto::CfbStream(c, crypto::CfbStream::Direction::Decrypt, key, prefix.subspan(2, bs));
}

}  // namespace

SedReader::SedReader(packet::Source& body, crypto::CipherKind c, const SecretBytes& key, ByteView prefix)
    : m_body(body), m_cfb(resynced(c, key, prefix)) {}

SedReader::~SedReader() = default;

std::size_t SedReader::read(std::span<std::uint8_t> buf) {
    const std::size_t n = m_body.read(buf);
    m_cfb.process(buf.first(n));
    m_offset += n;
    return n;
}

// ---- AEAD (SEIPD v2 and tag 20) -----------------------------------------------------------

struct AeadReader::Impl {
    explicit Impl(packet::Source& b) : body(b) {}
    packet::Source& body;
    crypto::CipherKind cipher{};
    crypto::AeadKind mode{};
    bool librepgp = false;
    SecretBytes key;
    Bytes iv;        ///< v2: nonce without the index; tag 20: the starting IV
    Bytes ad;        ///< the fixed associated data
    std::size_t chunk = 0;
    std::uint64_t index = 0, total = 0;
    Bytes raw;       ///< ciphertext read ahead
    bool eof = false;
    SecretBytes plain;
    std::size_t ppos = 0;
    bool finished = false;

    Bytes nonce(std::uint64_t i) const {
        Bytes n = iv;
        if (librepgp) {
            for (int k = 0; k < 8; ++k)
                n[n.size() - 1 - static_cast<std::size_t>(k)] ^= static_cast<std::uint8_t>(i >> (8 * k));
        } else {
            n.resize(iv.size() + 8);
            put_be64(n.data() + iv.size(), i);
        }
        return n;
    }
    Bytes chunk_ad(std::uint64_t i) const {
        Bytes a = ad;
        if (librepgp) {
            a.resize(a.size() + 8);
            put_be64(a.data() + ad.size(), i);
        }
        return a;
    }
};

namespace {

std::unique_ptr<AeadReader::Impl> aead_impl(packet::Source& body, packet::SymAlgo sym, packet::AeadAlgo aead,
                                            std::uint8_t chunk_octet) {
    const auto cipher = cipher_of(sym);
    const auto mode = aead_of(aead);
    if (!cipher || crypto::cipher_block_size(*cipher) != 16)
        throw Error(Errc::BadField, 0, "unsupported AEAD cipher " + std::to_string(unsigned(sym)));
    if (!mode) throw Error(Errc::BadField, 0, "unsupported AEAD mode " + std::to_string(unsigned(aead)));
    if (chunk_octet > max_chunk_size_octet)
        throw Error(Errc::BadField, 0, "AEAD chunk size octet " + std::to_string(chunk_octet) + " above 16");
    auto s = std::make_unique<AeadReader::Impl>(body);
    s->cipher = *cipher;
    s->mode = *mode;
    s->chunk = std::size_t{1} << (chunk_octet + 6);
    return s;
}

}  // namespace

AeadReader::AeadReader(packet::Source& body, const packet::Seipd& h, const SecretBytes& key)
    : m_impl(aead_impl(body, h.sym_algo, h.aead_algo, h.chunk_size)) {
    Impl& s = *m_impl;
    s.ad = {0xD2, 2, static_cast<std::uint8_t>(h.sym_algo), static_cast<std::uint8_t>(h.aead_algo), h.chunk_size};
    const std::size_t klen = crypto::cipher_key_size(s.cipher);
    const std::size_t ivlen = crypto::aead_nonce_size(s.mode) - 8;
    if (h.salt.size() != 32) throw Error(Errc::BadField, 0, "SEIPD v2 salt of " + std::to_string(h.salt.size()) + " octets");
    if (key.size() != klen) throw Error(Errc::Crypto, 0, "session key of the wrong size for the SEIPD v2 cipher");
    const SecretBytes okm = crypto::hkdf_sha256_salted(key, h.salt, s.ad, klen + ivlen);
    s.key.assign(okm.begin(), okm.begin() + static_cast<std::ptrdiff_t>(klen));
    s.iv.assign(okm.begin() + static_cast<std::ptrdiff_t>(klen), okm.end());
}

AeadReader::AeadReader(packet::Source& body, const packet::OcbEncrypted& h, const SecretBytes& key)
    : m_impl(aead_impl(body, h.sym_algo, h.aead_algo, h.chunk_size)) {
    Impl& s = *m_impl;
    s.librepgp = true;
    s.ad = {0xD4, h.version, static_cast<std::uint8_t>(h.sym_algo), static_cast<std::uint8_t>(h.aead_algo),
            h.chunk_size};
    if (h.iv.size() != crypto::aead_nonce_size(s.mode)) throw Error(Errc::BadField, 0, "AEAD IV of the wrong size");
    if (key.size() != crypto::cipher_key_size(s.cipher))
        throw Error(Errc::Crypto, 0, "session key of the wrong size for the AEAD cipher");
    s.key = key;
    s.iv = h.iv;
}

AeadReader::~AeadReader() = default;

bool AeadReader::next_chunk() {
    Impl& s = *m_impl;
    const std::size_t full = s.chunk + crypto::aead_tag_size;
    const std::size_t want = full + crypto::aead_tag_size + 1;
    while (!s.eof && s.raw.size() < want) {
        const std::size_t old = s.raw.size();
        s.raw.resize(want);
        const std::size_t n = s.body.read({s.raw.data() + old, want - old});
        s.raw.resize(old + n);
        if (n == 0) s.eof = true;
    }
    if (s.raw.size() < crypto::aead_tag_size + (s.eof ? 0 : 1)) {
        if (s.finished) return false;
        throw Error(Errc::Truncated, m_offset, "AEAD encrypted data ends before its final tag");
    }
    const std::size_t data = s.raw.size() - (s.eof ? crypto::aead_tag_size : 0);
    if (data > 0) {
        const std::size_t take = std::min(full, data);
        if (take < crypto::aead_tag_size) manipulated(m_offset, "AEAD chunk shorter than its tag");
        auto out = crypto::aead_decrypt(s.cipher, s.mode, s.key, s.nonce(s.index), s.chunk_ad(s.index),
                                        {s.raw.data(), take});
        if (!out) manipulated(m_offset, "authentication tag of chunk " + std::to_string(s.index) + " does not verify");
        s.raw.erase(s.raw.begin(), s.raw.begin() + static_cast<std::ptrdiff_t>(take));
        s.plain = std::move(*out);
        s.ppos = 0;
        s.total += s.plain.size();
        ++s.index;
        return true;
    }
    // Only the final tag is left: it covers the chunk count and the total length.
    Bytes fad = s.chunk_ad(s.index);
    fad.resize(fad.size() + 8);
    put_be64(fad.data() + fad.size() - 8, s.total);
    auto fin = crypto::aead_decrypt(s.cipher, s.mode, s.key, s.nonce(s.index), fad, s.raw);
    if (!fin) manipulated(m_offset, "final authentication tag does not verify");
    s.raw.clear();
    s.finished = true;
    m_verified = true;
    return false;
}

std::size_t AeadReader::read(std::span<std::uint8_t> out) {
    Impl& s = *m_impl;
    if (out.empty()) return 0;
    while (s.ppos == s.plain.size()) {
        if (s.finished || !next_chunk()) return 0;
    }
    const std::size_t n = std::min(out.size(), s.plain.size() - s.ppos);
    std::memcpy(out.data(), s.plain.data() + s.ppos, n);
    s.ppos += n;
    m_offset += n;
    return n;
}

}  // namespace pgpkit::message
