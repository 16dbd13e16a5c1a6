// Re-encoding packet framing (reframe.h).
#include "packet/reframe.h"

#include <bit>
#include <random>
#include <string>

#include "base/error.h"

namespace pgpkit::packet {

namespace {

constexpr std::uint64_t kMaxDefinite = 0xFFFFFFFFu;

/** Errors name the packet as `dump` does: "packet #3 (tag 11)". */
class Refusal {
public:
    Refusal(const Packet& p, std::size_t index, bool allow_invalid)
        : m_offset(p.offset), m_allow(allow_invalid),
          m_name("packet #" + std::to_string(index) + " (tag " + std::to_string(static_cast<unsigned>(p.tag())) + ")") {}
    /** The form cannot carry the packet: always an error. */
    [[noreturn]] void impossible(const std::string& why) const {
        throw Error(Errc::Usage, m_offset, m_name + ": " + why);
    }
    /** RFC 9580 forbids the form for the packet: an error unless allow_invalid. */
    void forbidden(const std::string& why) const {
        if (!m_allow) throw Error(Errc::Usage, m_offset, m_name + ": " + why + " (--allow-invalid writes it anyway)");
    }

private:
    std::uint64_t m_offset;
    bool m_allow;
    std::string m_name;
};

LengthForm minimal_new(std::uint64_t len) {
    return len < 192 ? LengthForm::OneOctet : len < 8384 ? LengthForm::TwoOctet : LengthForm::FiveOctet;
}

ReframeLength kept(const Header& h) {
    switch (h.form) {
    case LengthForm::OneOctet: return ReframeLength::One;
    case LengthForm::TwoOctet: return ReframeLength::Two;
    case LengthForm::FourOctet: return ReframeLength::Four;
    case LengthForm::FiveOctet: return ReframeLength::Five;
    case LengthForm::Indeterminate: return ReframeLength::Indeterminate;
    case LengthForm::Partial: return ReframeLength::Partial;
    case LengthForm::GnupgChunked: return ReframeLength::GnupgChunked;
    }
    return ReframeLength::Minimal;
}

/** A definite form for `len` in `fmt`, checked. */
void definite(Header& h, ReframeLength want, const Refusal& r) {
    const std::uint64_t len = h.length;
    const bool fresh = h.format == CtbFormat::New;
    if (len > kMaxDefinite) r.impossible("a body of " + std::to_string(len) + " octets needs partial lengths");
    switch (want) {
    case ReframeLength::Minimal:
        h.form = fresh ? minimal_new(len)
                       : len < 256 ? LengthForm::OneOctet : len < 65536 ? LengthForm::TwoOctet : LengthForm::FourOctet;
        return;
    case ReframeLength::One:
        if (len >= (fresh ? 192u : 256u)) r.impossible("a one-octet length cannot hold " + std::to_string(len));
        h.form = LengthForm::OneOctet;
        return;
    case ReframeLength::Two:
        if (fresh && (len < 192 || len > 8383))
            r.impossible("a new-format two-octet length holds 192 to 8383, not " + std::to_string(len));
        if (!fresh && len > 65535) r.impossible("an old-format two-octet length cannot hold " + std::to_string(len));
        h.form = LengthForm::TwoOctet;
        return;
    case ReframeLength::Four:
        if (fresh) r.impossible("four-octet lengths are old-format (the new format has five-octet ones)");
        h.form = LengthForm::FourOctet;
        return;
    case ReframeLength::Five:
        if (!fresh) r.impossible("five-octet lengths are new-format (the old format has four-octet ones)");
        h.form = LengthForm::FiveOctet;
        return;
    default: return;
    }
}

/** Partial chunks for `h.length` octets: `chunk` each (or random sizes), then a definite end. */
void partial(Header& h, const ReframeOptions& opt, std::size_t index, const Refusal& r) {
    if (h.format != CtbFormat::New) r.impossible("partial lengths are new-format");
    if (!tag_allows_partial(h.tag)) r.forbidden("RFC 9580 allows partial lengths on tags 8, 9, 11, 18 and 20 only");
    h.form = LengthForm::Partial;
    std::uint64_t left = h.length;
    std::mt19937_64 rng(opt.seed ^ (0x9E3779B97F4A7C15ull * (index + 1)));
    for (bool first = true;; first = false) {
        std::uint64_t size = opt.chunk;
        if (opt.length == ReframeLength::PartialRandom) {
            if (left < 2) break;
            const unsigned top = std::min(30u, static_cast<unsigned>(std::bit_width(left - 1) - 1));
            const unsigned low = first ? std::min(9u, top) : 0u;
            size = std::uint64_t{1} << std::uniform_int_distribution<unsigned>(low, top)(rng);
            if (!first && rng() % 4 == 0) break;  // a longer definite end now and then
        }
        if (size == 0 || left < size) break;
        h.chunks.push_back({static_cast<std::uint32_t>(size), LengthForm::Partial});
        left -= size;
    }
    if (h.chunks.empty())
        r.impossible("a body of " + std::to_string(h.length) + " octets has no room for a partial chunk");
    if (h.chunks.front().size < 512) r.forbidden("the first partial chunk must be at least 512 octets");
    if (left > kMaxDefinite) r.impossible("the last chunk of " + std::to_string(left) + " octets is too long");
    h.chunks.push_back({static_cast<std::uint32_t>(left), minimal_new(left)});
}

void gnupg_chunked(Header& h, const ReframeOptions& opt, const Refusal& r) {
    if (h.format != CtbFormat::Old) r.impossible("GnuPG's chunked form is old-format (length type 3)");
    const std::uint64_t size = opt.chunk ? opt.chunk : 65534;
    h.form = LengthForm::GnupgChunked;
    for (std::uint64_t left = h.length; left > 0;) {
        const std::uint64_t n = std::min(left, size);
        h.chunks.push_back({static_cast<std::uint32_t>(n), LengthForm::GnupgChunked});
        left -= n;
    }
    h.chunks.push_back({0, LengthForm::GnupgChunked});
}

bool selected(const ReframeOptions& opt, std::size_t index) {
    if (opt.packets.empty()) return true;
    for (const auto& [lo, hi] : opt.packets)
        if (index >= lo && index <= hi) return true;
    return false;
}

}  // namespace

Header reframed_header(const Packet& p, std::uint64_t body_length, std::size_t index, std::size_t count,
                       const ReframeOptions& opt) {
    const Refusal r(p, index, opt.allow_invalid);
    Header h = p.header;
    h.length = body_length;
    h.format = opt.ctb.value_or(p.header.format);
    if (h.format == CtbFormat::Old && static_cast<unsigned>(h.tag) > 15)
        r.impossible("tags above 15 have no old-format CTB (its tag field has four bits)");
    const bool keep = opt.length == ReframeLength::Keep;
    const ReframeLength want = keep ? kept(p.header) : opt.length;
    // Kept chunked forms keep their chunks when the CTB format still has the form.
    if (keep && (want == ReframeLength::Partial || want == ReframeLength::GnupgChunked)) {
        if ((want == ReframeLength::Partial) != (h.format == CtbFormat::New))
            r.impossible(std::string("its ") + length_form_name(p.header.form) + " length has no " +
                         (h.format == CtbFormat::New ? "new" : "old") + "-format encoding; give --length");
        return h;
    }
    h.chunks.clear();
    h.chunks_omitted = 0;
    switch (want) {
    case ReframeLength::Partial:
    case ReframeLength::PartialRandom: partial(h, opt, index, r); break;
    case ReframeLength::GnupgChunked: gnupg_chunked(h, opt, r); break;
    case ReframeLength::Indeterminate:
        if (h.format != CtbFormat::Old) r.impossible("indeterminate lengths are old-format (length type 3)");
        if (index + 1 != count) r.forbidden("an indeterminate length before the last packet swallows the packets after it");
        h.form = LengthForm::Indeterminate;
        break;
    default: definite(h, want, r); break;
    }
    return h;
}

namespace {

std::uint64_t number(std::string_view s, std::string_view what) {
    if (s.empty() || s.size() > 19) throw Error(Errc::Usage, 0, std::string(what) + ": not a number: '" + std::string(s) + "'");
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') throw Error(Errc::Usage, 0, std::string(what) + ": not a number: '" + std::string(s) + "'");
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
}

}  // namespace

void parse_length_spec(std::string_view spec, ReframeOptions& opt) {
    static constexpr std::pair<std::string_view, ReframeLength> plain[] = {
        {"minimal", ReframeLength::Minimal}, {"one", ReframeLength::One},   {"two", ReframeLength::Two},
        {"four", ReframeLength::Four},       {"five", ReframeLength::Five}, {"indeterminate", ReframeLength::Indeterminate},
        {"gnupg-chunked", ReframeLength::GnupgChunked},
    };
    for (const auto& [name, form] : plain)
        if (spec == name) {
            opt.length = form;
            return;
        }
    if (spec.rfind("partial:random:", 0) == 0) {
        opt.length = ReframeLength::PartialRandom;
        opt.seed = number(spec.substr(15), "--length partial:random:SEED");
        return;
    }
    const bool gnupg = spec.rfind("gnupg-chunked:", 0) == 0;
    if (spec.rfind("partial:", 0) == 0 || gnupg) {
        const std::uint64_t n = number(spec.substr(gnupg ? 14 : 8), "--length");
        if (gnupg ? (n == 0 || n > 65534) : (n == 0 || n > (1u << 30) || !std::has_single_bit(n)))
            throw Error(Errc::Usage, 0,
                        gnupg ? "--length gnupg-chunked:N takes 1 to 65534"
                              : "--length partial:N takes a power of two from 1 to 2^30, not " + std::to_string(n));
        opt.length = gnupg ? ReframeLength::GnupgChunked : ReframeLength::Partial;
        opt.chunk = static_cast<std::uint32_t>(n);
        return;
    }
    throw Error(Errc::Usage, 0, "--length: minimal, one, two, four, five, partial:N, partial:random:SEED, "
                                "indeterminate or gnupg-chunked[:N], not '" + std::string(spec) + "'");
}

std::vector<std::pair<std::size_t, std::size_t>> parse_packet_ranges(std::string_view spec) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    while (!spec.empty()) {
        const auto comma = spec.find(',');
        const std::string_view item = spec.substr(0, comma);
        spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
        const auto dash = item.find('-');
        const std::uint64_t lo = number(item.substr(0, dash), "--packets");
        const std::uint64_t hi = dash == std::string_view::npos ? lo : number(item.substr(dash + 1), "--packets");
        if (hi < lo) throw Error(Errc::Usage, 0, "--packets: " + std::string(item) + " is an empty range");
        out.emplace_back(static_cast<std::size_t>(lo), static_cast<std::size_t>(hi));
    }
    if (out.empty()) throw Error(Errc::Usage, 0, "--packets: no packet numbers");
    return out;
}

SecretBytes reframe(const std::vector<Packet>& packets, const ReframeOptions& opt) {
    SecretBytes out;
    for (std::size_t i = 0; i < packets.size(); ++i) {
        if (!selected(opt, i)) {
            write_packet(packets[i], out);
            continue;
        }
        Packet q = packets[i];
        q.header = reframed_header(q, q.header.length, i, packets.size(), opt);
        write_packet(q, out);
    }
    return out;
}

}  // namespace pgpkit::packet
