#pragma once
// The writer side of messages: a chain of byte sinks, each transforming what it is given
// and passing it to the next (literal data -> compression -> encryption -> packet framing
// -> armor -> file), so a message of any size is written in constant memory.

#include <cstdint>
#include <memory>
#include <string>

#include "base/bytes.h"
#include "packet/names.h"

namespace pgpkit::message {

class ByteSink {
public:
    virtual ~ByteSink() = default;
    virtual void write(ByteView data) = 0;
    /** Ends the stream: flushes and writes trailers. Called once; no write after it. */
    virtual void finish() = 0;
};

/** Appends to a buffer that must outlive it. */
class BufferSink final : public ByteSink {
public:
    explicit BufferSink(Bytes& out) noexcept : m_out(out) {}
    void write(ByteView data) override { m_out.insert(m_out.end(), data.begin(), data.end()); }
    void finish() override {}

private:
    Bytes& m_out;
};

/** Writes to a file descriptor (retrying short writes). @throws Error(Errc::Io). */
class FdSink final : public ByteSink {
public:
    explicit FdSink(int fd) noexcept : m_fd(fd) {}
    void write(ByteView data) override;
    void finish() override {}

private:
    int m_fd;
};

/**
 * One packet of `tag` with a streamed body: new-format header with partial body lengths
 * of 2^`chunk_log2` octets (RFC 9580 section 4.2.1.4), the last piece with a definite length.
 */
class PacketSink final : public ByteSink {
public:
    PacketSink(ByteSink& next, packet::Tag tag, unsigned chunk_log2 = 16);
    void write(ByteView data) override;
    void finish() override;

private:
    ByteSink& m_next;
    packet::Tag m_tag;
    std::size_t m_chunk;
    Bytes m_buf;
    bool m_started = false;
};

/** ASCII armor with `label` ("MESSAGE" for "-----BEGIN PGP MESSAGE-----"), as gpg writes it. */
class ArmorSink final : public ByteSink {
public:
    ArmorSink(ByteSink& next, std::string label);
    ~ArmorSink() override;
    void write(ByteView data) override;
    void finish() override;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    ByteSink& m_next;
};

/** A Compressed Data packet's body: the algorithm octet, then the compressed input. */
class CompressSink final : public ByteSink {
public:
    /** `next` receives the body (give it a PacketSink of tag 8). */
    CompressSink(ByteSink& next, packet::CompressionAlgo algo, int level = 6);
    ~CompressSink() override;
    void write(ByteView data) override;
    void finish() override;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    ByteSink& m_next;
};

}  // namespace pgpkit::message
