// GnuPG's keybox format, read-only (layout: kbx/keybox-blob.c of GnuPG).

#include "keyring/keybox.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "base/error.h"
#include "crypto/hash.h"

namespace pgpkit::keyring {

namespace {

constexpr std::size_t prefix_size = 5;            // u32 length, u8 type
constexpr std::uint32_t max_header_size = 65536;  // gpg writes 32
constexpr std::size_t checksum_size = 20;
constexpr std::size_t v1_key_info_min = 20 + 4 + 2 + 2;
constexpr std::size_t v2_key_info_min = 32 + 2 + 2;
constexpr std::size_t uid_info_min = 4 + 4 + 2 + 1 + 1;
constexpr std::size_t sig_info_min = 4;
constexpr std::size_t tail_size = 1 + 1 + 2 + 4 + 4 + 4 + 4;
constexpr std::uint16_t key_flag_fpr32 = 0x80;

std::uint32_t be32(const std::uint8_t* p) noexcept {
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

std::string num(std::uint64_t v) { return std::to_string(v); }

/** A bounds-checked cursor over one blob; errors carry the offset in the input. */
class Cursor {
public:
    Cursor(ByteView blob, std::uint64_t base) noexcept : m_b(blob), m_base(base) {}

    std::size_t pos() const noexcept { return m_pos; }
    std::size_t left() const noexcept { return m_b.size() - m_pos; }
    std::uint64_t at() const noexcept { return m_base + m_pos; }

    /** Throws unless `n` more octets (of `what`) are inside the blob. */
    void need(std::uint64_t n, const char* what) const {
        if (n > left())
            throw Error(Errc::BadLength, at(),
                        std::string(what) + " (" + num(n) + " octets) runs past the end of the blob at offset " +
                            num(m_base) + " (" + num(left()) + " octets left)");
    }
    std::uint8_t u8(const char* what) {
        need(1, what);
        return m_b[m_pos++];
    }
    std::uint16_t u16(const char* what) {
        need(2, what);
        auto v = static_cast<std::uint16_t>(m_b[m_pos] << 8 | m_b[m_pos + 1]);
        m_pos += 2;
        return v;
    }
    std::uint32_t u32(const char* what) {
        need(4, what);
        std::uint32_t v = be32(m_b.data() + m_pos);
        m_pos += 4;
        return v;
    }
    ByteView take(std::size_t n, const char* what) {
        need(n, what);
        ByteView v = m_b.subspan(m_pos, n);
        m_pos += n;
        return v;
    }
    void skip(std::size_t n, const char* what) { (void)take(n, what); }

private:
    ByteView m_b;
    std::uint64_t m_base;
    std::size_t m_pos = 0;
};

/** Reads the u16 count and u16 record size of a table and checks it fits the blob. */
std::pair<std::uint16_t, std::uint16_t> table(Cursor& c, const char* what, std::size_t min_size) {
    const std::uint64_t at = c.at();
    const std::uint16_t n = c.u16(what);
    const std::uint16_t size = c.u16(what);
    if (n > 0 && size < min_size)
        throw Error(Errc::BadField, at,
                    std::string(what) + ": record size " + num(size) + " is below the minimum " + num(min_size));
    c.need(std::uint64_t{n} * size, what);
    return {n, size};
}

/** The key information: the primary key, then each subkey. */
void parse_keys(Cursor& c, ByteView blob, KeyboxBlob& b) {
    const std::size_t min = b.version == 1 ? v1_key_info_min : v2_key_info_min;
    const std::uint64_t at = c.at();
    auto [n, size] = table(c, "key information", min);
    if (n == 0) throw Error(Errc::BadField, at, "OpenPGP blob at offset " + num(b.offset) + " lists no keys");
    b.keys.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        Cursor rec(c.take(size, "key information"), c.at());
        KeyboxKey k;
        if (b.version == 1) {
            ByteView fpr = rec.take(20, "fingerprint");
            k.fingerprint.assign(fpr.begin(), fpr.end());
            const std::uint64_t kid_at = rec.at();
            const std::uint32_t kid_off = rec.u32("key ID offset");
            k.flags = rec.u16("key flags");
            if (kid_off != 0) {
                if (kid_off > blob.size() || blob.size() - kid_off < 8)
                    throw Error(Errc::BadLength, kid_at,
                                "key ID offset " + num(kid_off) + " lies outside the blob at offset " +
                                    num(b.offset) + " (" + num(blob.size()) + " octets)");
                k.key_id.emplace();
                std::copy_n(blob.begin() + kid_off, 8, k.key_id->begin());
            }
        } else {
            ByteView fpr = rec.take(32, "fingerprint");
            k.flags = rec.u16("key flags");
            const std::size_t len = (k.flags & key_flag_fpr32) ? 32 : 20;
            k.fingerprint.assign(fpr.begin(), fpr.begin() + static_cast<std::ptrdiff_t>(len));
        }
        b.keys.push_back(std::move(k));
    }
}

/** The user ID information; each entry must point inside the blob. */
void parse_user_ids(Cursor& c, ByteView blob, KeyboxBlob& b) {
    auto [n, size] = table(c, "user ID information", uid_info_min);
    b.user_ids.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        Cursor rec(c.take(size, "user ID information"), c.at());
        KeyboxUserId u;
        const std::uint64_t at = rec.at();
        u.offset = rec.u32("user ID offset");
        u.length = rec.u32("user ID length");
        u.flags = rec.u16("user ID flags");
        u.validity = rec.u8("user ID validity");
        if (u.offset > blob.size() || blob.size() - u.offset < u.length)
            throw Error(Errc::BadLength, at,
                        "user ID " + num(i) + " (offset " + num(u.offset) + ", length " + num(u.length) +
                            ") lies outside the blob at offset " + num(b.offset) + " (" + num(blob.size()) +
                            " octets)");
        b.user_ids.push_back(u);
    }
}

/** The serial number (X.509; empty in OpenPGP blobs). */
void parse_serial(Cursor& c, KeyboxBlob& b) {
    const std::uint16_t serial_len = c.u16("serial number length");
    ByteView serial = c.take(serial_len, "serial number");
    b.serial.assign(serial.begin(), serial.end());
}

/** The signature information, then ownertrust, validity and dates if the blob holds them. */
void parse_signatures_and_tail(Cursor& c, KeyboxBlob& b) {
    auto [n, size] = table(c, "signature information", sig_info_min);
    b.signature_info.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        Cursor rec(c.take(size, "signature information"), c.at());
        b.signature_info.push_back(rec.u32("signature information"));
    }
    if (c.left() < tail_size) return;  // a blob may end before ownertrust and the dates
    b.ownertrust = c.u8("ownertrust");
    b.all_validity = c.u8("validity");
    c.skip(2, "reserved octets");
    b.recheck_after = c.u32("recheck time");
    b.latest_timestamp = c.u32("latest timestamp");
    b.created_at = c.u32("creation time");
    const std::uint32_t reserved = c.u32("reserved space length");
    c.skip(reserved, "reserved space");
}

/** Checks the checksum after the keyblock (kbx/keybox-blob.c, create_blob_finish). */
BlobChecksum check_checksum(ByteView blob, std::size_t hashed, const KeyboxBlob& b) {
    if (blob.size() - hashed < checksum_size) return BlobChecksum::Absent;
    const ByteView stored = blob.last(checksum_size);
    const Bytes sha1 = crypto::digest(crypto::HashKind::Sha1, blob.first(hashed));
    if (std::equal(sha1.begin(), sha1.end(), stored.begin())) return BlobChecksum::Sha1;
    // Before GnuPG 2.1: an MD5 of all but the last 16 octets, behind four zero octets.
    if (std::all_of(stored.begin(), stored.begin() + 4, [](std::uint8_t x) { return x == 0; })) {
        const Bytes md5 = crypto::digest(crypto::HashKind::Md5, blob.first(blob.size() - 16));
        if (std::equal(md5.begin(), md5.end(), stored.begin() + 4)) return BlobChecksum::Md5;
    }
    throw Error(Errc::BadField, b.offset + blob.size() - checksum_size,
                "checksum mismatch in the OpenPGP blob at offset " + num(b.offset) + ": stored " +
                    to_hex_lower(stored) + ", computed SHA-1 " + to_hex_lower(sha1));
}

/** Parses a whole OpenPGP blob (type 2) found at `offset`. */
KeyboxBlob parse_openpgp(ByteView blob, std::uint64_t offset, bool verify) {
    KeyboxBlob b;
    b.offset = offset;
    b.length = static_cast<std::uint32_t>(blob.size());
    Cursor c(blob, offset);
    c.skip(prefix_size, "blob length and type");
    b.version = c.u8("blob version");
    if (b.version != 1 && b.version != 2)
        throw Error(Errc::BadField, offset + 5,
                    "OpenPGP blob at offset " + num(offset) + " has version " + num(b.version) +
                        "; known are 1 and 2");
    b.flags = c.u16("blob flags");
    const std::uint64_t kb_at = c.at();
    b.keyblock_offset = c.u32("keyblock offset");
    const std::uint32_t kb_len = c.u32("keyblock length");
    if (b.keyblock_offset > blob.size() || blob.size() - b.keyblock_offset < kb_len)
        throw Error(Errc::BadLength, kb_at,
                    "keyblock (offset " + num(b.keyblock_offset) + ", length " + num(kb_len) +
                        ") lies outside the OpenPGP blob at offset " + num(offset) + " (" + num(blob.size()) +
                        " octets)");
    b.keyblock = blob.subspan(b.keyblock_offset, kb_len);
    parse_keys(c, blob, b);
    parse_serial(c, b);
    parse_user_ids(c, blob, b);
    parse_signatures_and_tail(c, b);
    const std::size_t hashed = std::size_t{b.keyblock_offset} + kb_len;
    b.checksum = verify ? check_checksum(blob, hashed, b)
                        : (blob.size() - hashed < checksum_size ? BlobChecksum::Absent : BlobChecksum::Unchecked);
    return b;
}

KeyboxHeader parse_header(ByteView blob) {
    KeyboxHeader h;
    Cursor c(blob, 0);
    h.length = c.u32("header blob length");
    c.skip(1, "blob type");
    h.version = c.u8("header version");
    h.flags = c.u16("header flags");
    c.skip(4, "magic");
    if (c.left() >= 12) {
        c.skip(4, "reserved octets");
        h.created_at = c.u32("creation time");
        h.last_maintenance = c.u32("maintenance time");
    }
    return h;
}

}  // namespace

bool is_keybox(ByteView head) noexcept {
    return head.size() >= 12 && be32(head.data()) >= 12 && head[4] == static_cast<std::uint8_t>(BlobType::Header) &&
           std::memcmp(head.data() + 8, "KBXf", 4) == 0;
}

/**
 * The input of a reader: a stream, zero-copy where the stream can show its next octets
 * (packet::Source::peek_view), else copied into a buffer of one blob.
 */
struct KeyboxReader::Input {
    std::unique_ptr<packet::MemorySource> owned;
    packet::Source& src;
    Bytes buf;
    std::uint64_t pending = 0;  // octets of the current blob peeked, not yet consumed

    explicit Input(packet::Source& s) : src(s) {}

    /** Consumes what the previous blob left peeked. */
    void settle() {
        if (pending && src.skip(pending) != pending)
            throw Error(Errc::Io, src.offset(), "keybox input shrank while it was read");
        pending = 0;
    }

    /** The blob's length and type, or nothing at a clean end of input; sets `consumed`. */
    std::optional<std::pair<std::uint32_t, std::uint8_t>> prefix(bool& consumed) {
        std::uint8_t pre[prefix_size];
        if (auto v = src.peek_view(prefix_size)) {
            std::copy(v->begin(), v->end(), pre);
            consumed = false;
        } else {
            const std::uint64_t at = src.offset();
            const std::size_t got = src.read_full(pre);
            if (got == 0) return std::nullopt;
            consumed = true;
            if (got < prefix_size)
                throw Error(Errc::Truncated, at,
                            "keybox ends inside the length and type of a blob (" + num(got) + " of 5 octets)");
        }
        return std::make_pair(be32(pre), pre[4]);
    }

    /** The whole blob of `len` octets starting at `at`. */
    ByteView whole(std::uint64_t at, std::uint32_t len, bool consumed, std::uint8_t type) {
        if (!consumed) {
            if (auto v = src.peek_view(len)) {
                pending = len;
                return *v;
            }
        }
        buf.resize(len);
        std::size_t have = 0;
        if (consumed) {
            const std::uint32_t l = len;
            buf[0] = static_cast<std::uint8_t>(l >> 24);
            buf[1] = static_cast<std::uint8_t>(l >> 16);
            buf[2] = static_cast<std::uint8_t>(l >> 8);
            buf[3] = static_cast<std::uint8_t>(l);
            buf[4] = type;
            have = prefix_size;
        }
        const std::size_t got = have + src.read_full(std::span(buf).subspan(have));
        if (got < len) truncated(at, len, got);
        return buf;
    }

    /** Passes over a blob of `len` octets (its prefix already consumed if `consumed`). */
    void pass(std::uint64_t at, std::uint32_t len, bool consumed) {
        const std::uint64_t rest = consumed ? len - prefix_size : len;
        const std::uint64_t got = src.skip(rest);
        if (got < rest) truncated(at, len, len - rest + got);
    }

    [[noreturn]] static void truncated(std::uint64_t at, std::uint64_t len, std::uint64_t got) {
        throw Error(Errc::Truncated, at,
                    "keybox blob of " + num(len) + " octets is cut short: the input ends after " + num(got));
    }
};

KeyboxReader::KeyboxReader(ByteView data, KeyboxOptions opt) : m_opt(opt) {
    auto owned = std::make_unique<packet::MemorySource>(data);
    m_in = std::make_unique<Input>(*owned);
    m_in->owned = std::move(owned);
    read_header();
}

KeyboxReader::KeyboxReader(packet::Source& input, KeyboxOptions opt)
    : m_in(std::make_unique<Input>(input)), m_opt(opt) {
    read_header();
}

KeyboxReader::~KeyboxReader() = default;

void KeyboxReader::read_header() {
    const std::uint64_t at = m_in->src.offset();
    bool consumed = false;
    auto pre = m_in->prefix(consumed);
    if (!pre || pre->second != static_cast<std::uint8_t>(BlobType::Header))
        throw Error(Errc::BadHeader, at, "not a keybox: the input does not open with a header blob (type 1)");
    if (pre->first < 12 || pre->first > max_header_size)
        throw Error(Errc::BadLength, at, "keybox header blob length " + num(pre->first) + " is outside 12.." +
                                             num(max_header_size));
    ByteView blob = m_in->whole(at, pre->first, consumed, pre->second);
    if (std::memcmp(blob.data() + 8, "KBXf", 4) != 0)
        throw Error(Errc::BadHeader, at + 8, "not a keybox: the header blob lacks the magic \"KBXf\"");
    m_header = parse_header(blob);
}

std::optional<KeyboxBlob> KeyboxReader::next() {
    for (;;) {
        m_in->settle();
        const std::uint64_t at = m_in->src.offset();
        bool consumed = false;
        auto pre = m_in->prefix(consumed);
        if (!pre) return std::nullopt;
        const auto [len, type] = *pre;
        if (len < prefix_size)
            throw Error(Errc::BadLength, at,
                        "keybox blob length " + num(len) + " is shorter than its length and type fields");
        if (type != static_cast<std::uint8_t>(BlobType::OpenPgp) || len > m_opt.max_blob_size) {
            count_skipped(type, len);
            m_in->pass(at, len, consumed);
            continue;
        }
        KeyboxBlob b = parse_openpgp(m_in->whole(at, len, consumed, type), at, m_opt.verify_checksum);
        if (m_opt.skip_ephemeral && b.ephemeral()) {
            ++m_stats.ephemeral;
            continue;
        }
        ++m_stats.openpgp;
        return b;
    }
}

void KeyboxReader::count_skipped(std::uint8_t type, std::uint32_t len) noexcept {
    switch (static_cast<BlobType>(type)) {
    case BlobType::Empty: ++m_stats.empty; break;
    case BlobType::X509: ++m_stats.x509; break;
    case BlobType::OpenPgp:
        if (len > m_opt.max_blob_size) ++m_stats.too_large;
        break;
    default: ++m_stats.other; break;
    }
}

std::vector<KeyboxBlob> read_keybox(ByteView data, const KeyboxOptions& opt, KeyboxStats* stats) {
    KeyboxReader r(data, opt);
    std::vector<KeyboxBlob> out;
    while (auto b = r.next()) out.push_back(std::move(*b));
    if (stats) *stats = r.stats();
    return out;
}

namespace {

/** An error inside a keyblock, with the offset in the keybox and the blob named. */
Error in_blob(const Error& e, const KeyboxBlob& b) {
    Error out(e.kind(), b.offset + b.keyblock_offset + e.offset(),
              "keybox blob at offset " + num(b.offset) + ": " + e.detail());
    if (e.packet_index()) out.in_packet(*e.packet_index(), e.tag());
    return out;
}

}  // namespace

KeyboxStats read_keybox_certs(packet::Source& input, const KeyboxOptions& kopt, const cert::ReadOptions& ropt,
                              const KeyboxCertEvents& events) {
    KeyboxReader r(input, kopt);
    while (auto b = r.next()) {
        cert::ReadEvents ev;
        const KeyboxBlob& blob = *b;
        if (events.cert) ev.cert = [&](cert::Cert&& c) { events.cert(std::move(c), blob); };
        ev.stray = events.stray;
        packet::MemorySource kb(blob.keyblock);
        try {
            cert::read_certs(kb, ropt, ev);
        } catch (const Error& e) {
            throw in_blob(e, blob);
        }
    }
    return r.stats();
}

std::vector<cert::Cert> read_keybox_all_certs(ByteView data, const KeyboxOptions& kopt,
                                              const cert::ReadOptions& ropt) {
    std::vector<cert::Cert> out;
    packet::MemorySource src(data);
    KeyboxCertEvents ev;
    ev.cert = [&out](cert::Cert&& c, const KeyboxBlob&) { out.push_back(std::move(c)); };
    (void)read_keybox_certs(src, kopt, ropt, ev);
    return out;
}

}  // namespace pgpkit::keyring
