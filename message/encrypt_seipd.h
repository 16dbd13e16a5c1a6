#pragma once
// Writing the encrypted data packets' bodies: SEIPD v1 (CFB with MDC, RFC 9580 section
// 5.13.1) and SEIPD v2 (AEAD chunks, section 5.13.2). Give `next` a PacketSink of tag 18.

#include <cstdint>
#include <memory>

#include "crypto/rng.h"
#include "message/encrypt_sink.h"
#include "message/session_key.h"

namespace pgpkit::message {

class SeipdV1Sink final : public ByteSink {
public:
    /** @throws Error(Errc::Usage) for a session key of an unknown cipher. */
    SeipdV1Sink(ByteSink& next, const SessionKey& sk, crypto::Rng& rng);
    ~SeipdV1Sink() override;
    void write(ByteView data) override;
    void finish() override;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    ByteSink& m_next;
};

class SeipdV2Sink final : public ByteSink {
public:
    /** Chunks of 2^(chunk_octet + 6) octets; RFC 9580 recommends octet 16 at most. */
    SeipdV2Sink(ByteSink& next, const SessionKey& sk, packet::AeadAlgo aead, std::uint8_t chunk_octet,
                crypto::Rng& rng);
    ~SeipdV2Sink() override;
    void write(ByteView data) override;
    void finish() override;

private:
    void seal_chunk();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    ByteSink& m_next;
};

}  // namespace pgpkit::message
