#include "message/encrypt_seipd.h"

#include <string>

#include "base/error.h"
#include "crypto/data_cipher.h"
#include "crypto/hash.h"

namespace pgpkit::message {

namespace {

crypto::CipherKind need_cipher(packet::SymAlgo a) {
    const auto c = cipher_of(a);
    if (!c) throw Error(Errc::Usage, 0, "unknown cipher " + std::to_string(static_cast<unsigned>(a)));
    return *c;
}

void put_be64(std::uint8_t* p, std::uint64_t v) noexcept {
    for (int i = 7; i >= 0; --i) {
        p[i] = static_cast<std::uint8_t>(v);
        v >>= 8;
    }
}

}  // namespace

struct SeipdV1Sink::Impl {
    explicit Impl(crypto::CfbStream c) : cfb(std::move(c)) {}
    crypto::CfbStream cfb;
    crypto::Hasher mdc{crypto::HashKind::Sha1};
    Bytes buf;
};

SeipdV1Sink::SeipdV1Sink(ByteSink& next, const SessionKey& sk, crypto::Rng& rng)
    : m_impl(std::make_unique<Impl>(
          crypto::CfbStream(need_cipher(sk.algo), crypto::CfbStream::Direction::Encrypt, sk.key))),
      m_next(next) {
    const std::uint8_t version = 1;
    m_next.write({&version, 1});
    // Random prefix of one block, its last two octets repeated (RFC 9580 section 5.13.1).
    const std::size_t bs = m_impl->cfb.block_size();
    Bytes prefix(bs + 2);
    rng.fill({prefix.data(), bs});
    prefix[bs] = prefix[bs - 2];
    prefix[bs + 1] = prefix[bs - 1];
    write(prefix);
}

SeipdV1Sink::~SeipdV1Sink() = default;

void SeipdV1Sink::write(ByteView data) {
    Impl& s = *m_impl;
    s.mdc.update(data);
    s.buf.assign(data.begin(), data.end());
    s.cfb.process(s.buf);
    m_next.write(s.buf);
}

void SeipdV1Sink::finish() {
    Impl& s = *m_impl;
    Bytes tail = {0xD3, 0x14};
    s.mdc.update(tail);
    const std::vector<std::uint8_t> digest = s.mdc.final();
    tail.insert(tail.end(), digest.begin(), digest.end());
    s.cfb.process(tail);
    m_next.write(tail);
    m_next.finish();
}

struct SeipdV2Sink::Impl {
    crypto::CipherKind cipher{};
    crypto::AeadKind mode{};
    SecretBytes key;
    Bytes iv, ad;
    std::size_t chunk = 0;
    std::uint64_t index = 0, total = 0;
    SecretBytes plain;

    Bytes nonce() const {
        Bytes n = iv;
        n.resize(iv.size() + 8);
        put_be64(n.data() + iv.size(), index);
        return n;
    }
};

SeipdV2Sink::SeipdV2Sink(ByteSink& next, const SessionKey& sk, packet::AeadAlgo aead, std::uint8_t chunk_octet,
                         crypto::Rng& rng)
    : m_impl(std::make_unique<Impl>()), m_next(next) {
    Impl& s = *m_impl;
    s.cipher = need_cipher(sk.algo);
    const auto mode = aead_of(aead);
    if (!mode || crypto::cipher_block_size(s.cipher) != 16 || chunk_octet > 16)
        throw Error(Errc::Usage, 0, "unsupported SEIPD v2 parameters");
    s.mode = *mode;
    s.chunk = std::size_t{1} << (chunk_octet + 6);
    s.ad = {0xD2, 2, static_cast<std::uint8_t>(sk.algo), static_cast<std::uint8_t>(aead), chunk_octet};
    Bytes salt(32);
    rng.fill(salt);
    const std::size_t klen = crypto::cipher_key_size(s.cipher);
    const std::size_t ivlen = crypto::aead_nonce_size(s.mode) - 8;
    const SecretBytes okm = crypto::hkdf_sha256_salted(sk.key, salt, s.ad, klen + ivlen);
    s.key.assign(okm.begin(), okm.begin() + static_cast<std::ptrdiff_t>(klen));
    s.iv.assign(okm.begin() + static_cast<std::ptrdiff_t>(klen), okm.end());
    Bytes head(s.ad.begin() + 1, s.ad.end());  // version, cipher, mode, chunk size
    head.insert(head.end(), salt.begin(), salt.end());
    m_next.write(head);
    s.plain.reserve(s.chunk);
}

SeipdV2Sink::~SeipdV2Sink() = default;

void SeipdV2Sink::seal_chunk() {
    Impl& s = *m_impl;
    const Bytes ct = crypto::aead_encrypt(s.cipher, s.mode, s.key, s.nonce(), s.ad, s.plain);
    m_next.write(ct);
    s.total += s.plain.size();
    ++s.index;
    s.plain.clear();
}

void SeipdV2Sink::write(ByteView data) {
    Impl& s = *m_impl;
    while (!data.empty()) {
        if (s.plain.size() == s.chunk) seal_chunk();  // full, and more follows
        const std::size_t take = std::min(data.size(), s.chunk - s.plain.size());
        s.plain.insert(s.plain.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
        data = data.subspan(take);
    }
}

void SeipdV2Sink::finish() {
    Impl& s = *m_impl;
    if (!s.plain.empty() || s.index == 0) seal_chunk();
    Bytes fad = s.ad;
    fad.resize(fad.size() + 8);
    put_be64(fad.data() + s.ad.size(), s.total);
    m_next.write(crypto::aead_encrypt(s.cipher, s.mode, s.key, s.nonce(), fad, {}));
    m_next.finish();
}

}  // namespace pgpkit::message
