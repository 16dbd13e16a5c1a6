#pragma once
// Compressing for Compressed Data packets (RFC 9580 section 5.6), the writer's side of
// packet/decompress.h: ZIP (raw deflate), ZLIB and BZip2, streamed.

#include <memory>

#include "base/bytes.h"
#include "packet/names.h"

namespace pgpkit::packet {

class Compressor {
public:
    /**
     * `level` 1..9 (zlib and bzip2 block size alike).
     * @throws Error(Errc::Usage) for Uncompressed or an unknown algorithm.
     */
    explicit Compressor(CompressionAlgo algo, int level = 6);
    ~Compressor();
    Compressor(const Compressor&) = delete;
    Compressor& operator=(const Compressor&) = delete;

    /** Compresses `in`, appending whatever output is ready to `out`. */
    void update(ByteView in, Bytes& out);
    /** Ends the stream, appending the rest of the output. */
    void finish(Bytes& out);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace pgpkit::packet
