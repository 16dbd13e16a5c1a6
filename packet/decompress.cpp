#include "packet/decompress.h"

#include <bzlib.h>
#include <zlib.h>

#include <array>
#include <cstring>
#include <string>

#include "base/error.h"

namespace pgpkit::packet {

namespace {

constexpr std::size_t in_buffer_size = 1 << 16;

/** Shared bookkeeping: input buffering, error offsets and the bomb limits. */
class DecompressorBase : public Source {
protected:
    DecompressorBase(Source& in, const DecompressionLimits& limits, DecompressionInput where)
        : m_in(in), m_limits(limits), m_where(where) {}

    bool refill() {
        m_avail = m_in.read({m_buf.data(), m_buf.size()});
        m_next = m_buf.data();
        return m_avail > 0;
    }
    /** Compressed octets handed to the library so far (not merely buffered). */
    std::uint64_t consumed() const noexcept { return m_in.offset() - m_avail; }
    /** Offset of the next unconsumed compressed octet, in the stream holding the container. */
    std::uint64_t at() const noexcept { return m_where.start + consumed(); }

    void account(std::size_t produced, const char* what) {
        m_offset += produced;
        const std::uint64_t out = m_offset;
        if (m_limits.max_output && out > m_limits.max_output)
            throw Error(Errc::LimitExceeded, at(),
                        std::string(what) + " output exceeds " + std::to_string(m_limits.max_output) +
                            " octets (raise with --max-decompressed)");
        if (out <= m_limits.ratio_floor || !m_limits.max_ratio) return;
        // Nested containers are measured against the outermost compressed input: per
        // container, three levels at 1:900 each would turn 26 KiB into a terabyte.
        const std::uint64_t in = m_where.outermost ? m_where.outermost->offset() : consumed();
        if (out / (in ? in : 1) > m_limits.max_ratio)
            throw Error(Errc::LimitExceeded, at(),
                        std::string(what) + " expands " + std::to_string(in) +
                            (m_where.outermost ? " octets of the outermost compressed data" : " compressed octets") +
                            " to over " + std::to_string(out) + " (ratio above " +
                            std::to_string(m_limits.max_ratio) + ", raise with --max-ratio: a compression bomb?)");
    }

    Source& m_in;
    DecompressionLimits m_limits;
    DecompressionInput m_where;
    std::array<std::uint8_t, in_buffer_size> m_buf{};
    std::uint8_t* m_next = nullptr;
    std::size_t m_avail = 0;
    bool m_end = false;
};

const char* zlib_code_name(int rc) noexcept {
    switch (rc) {
    case Z_NEED_DICT: return "Z_NEED_DICT";
    case Z_DATA_ERROR: return "Z_DATA_ERROR";
    case Z_MEM_ERROR: return "Z_MEM_ERROR";
    case Z_BUF_ERROR: return "Z_BUF_ERROR";
    case Z_STREAM_ERROR: return "Z_STREAM_ERROR";
    default: return "Z_ERRNO";
    }
}

class Inflater final : public DecompressorBase {
public:
    Inflater(Source& in, const DecompressionLimits& limits, DecompressionInput where, bool raw)
        : DecompressorBase(in, limits, where) {
        std::memset(&m_z, 0, sizeof m_z);
        int rc = raw ? inflateInit2(&m_z, -15) : inflateInit(&m_z);
        if (rc != Z_OK) throw Error(Errc::Decompression, where.start + in.offset(), std::string("inflateInit: ") + zlib_code_name(rc));
        m_name = raw ? "ZIP" : "ZLIB";
    }
    ~Inflater() override { inflateEnd(&m_z); }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;

    std::size_t read(std::span<std::uint8_t> out) override {
        if (m_end || out.empty()) return 0;
        m_z.next_out = out.data();
        m_z.avail_out = static_cast<uInt>(std::min<std::size_t>(out.size(), 1u << 30));
        const uInt want = m_z.avail_out;
        // The input may run out while inflate still holds output or the end marker: only
        // a call that gets no new input and makes no progress means a truncated stream.
        bool input_done = false;
        while (m_z.avail_out == want) {
            if (m_avail == 0) input_done = !refill();
            m_z.next_in = m_next;
            m_z.avail_in = static_cast<uInt>(m_avail);
            int rc = inflate(&m_z, Z_NO_FLUSH);
            m_next = m_z.next_in;
            m_avail = m_z.avail_in;
            if (rc == Z_STREAM_END) {
                m_end = true;
                break;
            }
            if (rc != Z_OK && rc != Z_BUF_ERROR)
                throw Error(Errc::Decompression, at(),
                            std::string(m_name) + " data is corrupt (inflate: " + zlib_code_name(rc) +
                                (m_z.msg ? std::string(", ") + m_z.msg : std::string()) + ")");
            if (input_done && m_z.avail_out == want)
                throw Error(Errc::Decompression, at(),
                            std::string(m_name) + " stream ends before its end marker (inflate: input exhausted)");
        }
        std::size_t produced = want - m_z.avail_out;
        account(produced, m_name);
        return produced;
    }

private:
    z_stream m_z{};
    const char* m_name = "ZLIB";
};

const char* bz_code_name(int rc) noexcept {
    switch (rc) {
    case BZ_DATA_ERROR: return "BZ_DATA_ERROR";
    case BZ_DATA_ERROR_MAGIC: return "BZ_DATA_ERROR_MAGIC";
    case BZ_MEM_ERROR: return "BZ_MEM_ERROR";
    case BZ_PARAM_ERROR: return "BZ_PARAM_ERROR";
    case BZ_SEQUENCE_ERROR: return "BZ_SEQUENCE_ERROR";
    default: return "BZ_ERROR";
    }
}

class Bunzip final : public DecompressorBase {
public:
    Bunzip(Source& in, const DecompressionLimits& limits, DecompressionInput where)
        : DecompressorBase(in, limits, where) {
        std::memset(&m_bz, 0, sizeof m_bz);
        // small = 1: about 2.5 octets per block octet instead of 4, to bound nested containers.
        int rc = BZ2_bzDecompressInit(&m_bz, 0, 1);
        if (rc != BZ_OK) throw Error(Errc::Decompression, where.start + in.offset(),
                                       std::string("BZ2_bzDecompressInit: ") + bz_code_name(rc));
    }
    ~Bunzip() override { BZ2_bzDecompressEnd(&m_bz); }
    Bunzip(const Bunzip&) = delete;
    Bunzip& operator=(const Bunzip&) = delete;

    std::size_t read(std::span<std::uint8_t> out) override {
        if (m_end || out.empty()) return 0;
        m_bz.next_out = reinterpret_cast<char*>(out.data());
        m_bz.avail_out = static_cast<unsigned>(std::min<std::size_t>(out.size(), 1u << 30));
        const unsigned want = m_bz.avail_out;
        bool input_done = false;  // as in Inflater::read: BZip2 buffers a whole block
        while (m_bz.avail_out == want) {
            if (m_avail == 0) input_done = !refill();
            m_bz.next_in = reinterpret_cast<char*>(m_next);
            m_bz.avail_in = static_cast<unsigned>(m_avail);
            int rc = BZ2_bzDecompress(&m_bz);
            m_next = reinterpret_cast<std::uint8_t*>(m_bz.next_in);
            m_avail = m_bz.avail_in;
            if (rc == BZ_STREAM_END) {
                m_end = true;
                break;
            }
            if (rc != BZ_OK)
                throw Error(Errc::Decompression, at(),
                            std::string("BZip2 data is corrupt (BZ2_bzDecompress: ") + bz_code_name(rc) + ")");
            if (input_done && m_bz.avail_out == want)
                throw Error(Errc::Decompression, at(),
                            "BZip2 stream ends before its end marker (BZ2_bzDecompress: input exhausted)");
        }
        std::size_t produced = want - m_bz.avail_out;
        account(produced, "BZip2");
        return produced;
    }

private:
    bz_stream m_bz{};
};

class Passthrough final : public Source {
public:
    explicit Passthrough(Source& in) : m_in(in) {}
    std::size_t read(std::span<std::uint8_t> out) override {
        std::size_t n = m_in.read(out);
        m_offset += n;
        return n;
    }

private:
    Source& m_in;
};

}  // namespace

std::unique_ptr<Source> make_decompressor(CompressionAlgo algo, Source& compressed, const DecompressionLimits& limits,
                                          DecompressionInput where) {
    switch (algo) {
    case CompressionAlgo::Uncompressed: return std::make_unique<Passthrough>(compressed);
    case CompressionAlgo::Zip: return std::make_unique<Inflater>(compressed, limits, where, true);
    case CompressionAlgo::Zlib: return std::make_unique<Inflater>(compressed, limits, where, false);
    case CompressionAlgo::Bzip2: return std::make_unique<Bunzip>(compressed, limits, where);
    }
    return nullptr;
}

}  // namespace pgpkit::packet
