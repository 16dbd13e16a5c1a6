#include "packet/subpacket.h"

#include <algorithm>
#include <string>

namespace pgpkit::packet {

bool Subpacket::non_minimal_length() const noexcept {
    std::size_t len = body.size() + 1;
    if (len_form == LengthForm::FiveOctet) return len < 8384;
    return false;  // one- and two-octet ranges do not overlap
}

namespace {
/** Counts the subpackets of an area without validating it, to reserve once. */
std::size_t count_subpackets(ByteView a) noexcept {
    std::size_t n = 0, i = 0;
    while (i < a.size()) {
        std::size_t len;
        if (a[i] < 192) {
            len = a[i];
            i += 1;
        } else if (a[i] < 255) {
            if (i + 1 >= a.size()) break;
            len = ((std::size_t{a[i]} - 192) << 8) + a[i + 1] + 192;
            i += 2;
        } else {
            if (i + 4 >= a.size()) break;
            len = (std::size_t{a[i + 1]} << 24) | (std::size_t{a[i + 2]} << 16) | (std::size_t{a[i + 3]} << 8) | a[i + 4];
            i += 5;
        }
        ++n;
        if (len == 0 || len > a.size() - i) break;
        i += len;
    }
    return n;
}
}  // namespace

Subpackets parse_subpackets(ByteReader& area, std::size_t max_count) {
    Subpackets out;
    {
        ByteReader peek = area;
        out.reserve(std::min(count_subpackets(peek.rest()), max_count));
    }
    while (!area.empty()) {
        const std::uint64_t at = area.offset();
        if (out.size() >= max_count)
            throw Error(Errc::LimitExceeded, at,
                        "more than " + std::to_string(max_count) + " subpackets (raise with --max-subpackets)");
        Subpacket s;
        std::uint32_t len;
        std::uint8_t b0 = area.u8("subpacket length");
        if (b0 < 192) {
            len = b0;
            s.len_form = LengthForm::OneOctet;
        } else if (b0 < 255) {
            std::uint8_t b1 = area.u8("subpacket length");
            len = ((std::uint32_t{b0} - 192) << 8) + b1 + 192;
            s.len_form = LengthForm::TwoOctet;
        } else {
            len = area.be32("subpacket length");
            s.len_form = LengthForm::FiveOctet;
        }
        if (len == 0) throw Error(Errc::BadLength, at, "subpacket with length 0");
        if (len > area.remaining())
            throw Error(Errc::BadLength, at,
                        "subpacket length " + std::to_string(len) + " exceeds the " +
                            std::to_string(area.remaining()) + " octets left in its area");
        s.type_octet = area.u8("subpacket type");
        s.body = area.take_bytes(len - 1, "subpacket body");
        out.push_back(std::move(s));
    }
    return out;
}

void write_subpackets(const Subpackets& subs, ByteWriter& out) {
    for (const Subpacket& s : subs) {
        std::uint32_t len = static_cast<std::uint32_t>(s.body.size() + 1);
        switch (s.len_form) {
        case LengthForm::OneOctet: out.u8(static_cast<std::uint8_t>(len)); break;
        case LengthForm::TwoOctet:
            out.u8(static_cast<std::uint8_t>(((len - 192) >> 8) + 192));
            out.u8(static_cast<std::uint8_t>(len - 192));
            break;
        default:
            out.u8(0xFF);
            out.be32(len);
            break;
        }
        out.u8(s.type_octet);
        out.bytes(s.body);
    }
}

std::size_t subpackets_size(const Subpackets& subs) noexcept {
    std::size_t n = 0;
    for (const Subpacket& s : subs)
        n += 1 + s.body.size() +
             (s.len_form == LengthForm::OneOctet ? 1 : s.len_form == LengthForm::TwoOctet ? 2 : 5);
    return n;
}

}  // namespace pgpkit::packet
