#include "packet/compress.h"

#include <bzlib.h>
#include <zlib.h>

#include <string>

#include "base/error.h"

namespace pgpkit::packet {

struct Compressor::Impl {
    CompressionAlgo algo{};
    z_stream z{};
    bz_stream bz{};
    bool done = false;

    ~Impl() {
        if (algo == CompressionAlgo::Bzip2) BZ2_bzCompressEnd(&bz);
        else deflateEnd(&z);
    }

    void run(ByteView in, Bytes& out, bool last) {
        std::uint8_t tmp[1 << 15];
        if (algo == CompressionAlgo::Bzip2) {
            bz.next_in = const_cast<char*>(reinterpret_cast<const char*>(in.data()));
            bz.avail_in = static_cast<unsigned>(in.size());
            for (;;) {
                bz.next_out = reinterpret_cast<char*>(tmp);
                bz.avail_out = sizeof tmp;
                const int rc = BZ2_bzCompress(&bz, last ? BZ_FINISH : BZ_RUN);
                if (rc < 0) throw Error(Errc::Decompression, 0, "BZ2_bzCompress failed: " + std::to_string(rc));
                out.insert(out.end(), tmp, tmp + (sizeof tmp - bz.avail_out));
                if (last ? rc == BZ_STREAM_END : bz.avail_in == 0) break;
            }
            return;
        }
        z.next_in = const_cast<Bytef*>(in.data());
        z.avail_in = static_cast<uInt>(in.size());
        for (;;) {
            z.next_out = tmp;
            z.avail_out = sizeof tmp;
            const int rc = deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
            if (rc == Z_STREAM_ERROR) throw Error(Errc::Decompression, 0, "deflate failed");
            out.insert(out.end(), tmp, tmp + (sizeof tmp - z.avail_out));
            if (last ? rc == Z_STREAM_END : (z.avail_in == 0 && z.avail_out != 0)) break;
        }
    }
};

Compressor::Compressor(CompressionAlgo algo, int level) : m_impl(std::make_unique<Impl>()) {
    m_impl->algo = algo;
    int rc = 0;
    switch (algo) {
    case CompressionAlgo::Zip: rc = deflateInit2(&m_impl->z, level, Z_DEFLATED, -13, 8, Z_DEFAULT_STRATEGY); break;
    case CompressionAlgo::Zlib: rc = deflateInit2(&m_impl->z, level, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY); break;
    case CompressionAlgo::Bzip2: rc = BZ2_bzCompressInit(&m_impl->bz, level, 0, 0); break;
    default:
        m_impl->algo = CompressionAlgo::Zip;
        deflateInit2(&m_impl->z, 1, Z_DEFLATED, -13, 8, Z_DEFAULT_STRATEGY);  // so the destructor is uniform
        throw Error(Errc::Usage, 0, "no compressor for algorithm " + std::to_string(static_cast<unsigned>(algo)));
    }
    if (rc != 0) throw Error(Errc::Usage, 0, "compressor initialisation failed: " + std::to_string(rc));
}

Compressor::~Compressor() = default;

void Compressor::update(ByteView in, Bytes& out) {
    if (m_impl->done) throw Error(Errc::Usage, 0, "compressor used after finish");
    if (!in.empty()) m_impl->run(in, out, false);
}

void Compressor::finish(Bytes& out) {
    if (m_impl->done) return;
    m_impl->run({}, out, true);
    m_impl->done = true;
}

}  // namespace pgpkit::packet
