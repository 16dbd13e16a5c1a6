#include "packet/header.h"

#include <string>

#include "base/error.h"
#include "packet/names.h"

namespace pgpkit::packet {

const char* length_form_name(LengthForm f) noexcept {
    switch (f) {
    case LengthForm::OneOctet: return "one-octet";
    case LengthForm::TwoOctet: return "two-octet";
    case LengthForm::FourOctet: return "four-octet";
    case LengthForm::FiveOctet: return "five-octet";
    case LengthForm::Indeterminate: return "indeterminate";
    case LengthForm::Partial: return "partial";
    case LengthForm::GnupgChunked: return "gnupg-chunked";
    }
    return "unknown";
}

namespace {

std::uint8_t next_octet(Source& src, std::uint64_t start, const char* what) {
    std::uint8_t b;
    if (src.read({&b, 1}) != 1)
        throw Error(Errc::Truncated, start, std::string("truncated ") + what);
    return b;
}

}  // namespace

NewLength read_new_length(Source& src) {
    const std::uint64_t at = src.offset();
    std::uint8_t b0 = next_octet(src, at, "length");
    if (b0 < 192) return {b0, LengthForm::OneOctet, 1};
    if (b0 < 224) {
        std::uint8_t b1 = next_octet(src, at, "two-octet length");
        return {static_cast<std::uint32_t>(((b0 - 192) << 8) + b1 + 192), LengthForm::TwoOctet, 2};
    }
    if (b0 < 255) return {std::uint32_t{1} << (b0 & 0x1F), LengthForm::Partial, 1};
    std::uint8_t b[4];
    if (src.read_full({b, 4}) != 4) throw Error(Errc::Truncated, at, "truncated five-octet length");
    std::uint32_t v = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                      (std::uint32_t{b[2]} << 8) | b[3];
    return {v, LengthForm::FiveOctet, 5};
}

std::optional<Header> read_header(Source& src, bool gnupg_chunked) {
    const std::uint64_t at = src.offset();
    std::uint8_t ctb;
    if (src.read({&ctb, 1}) != 1) return std::nullopt;
    if (!(ctb & 0x80)) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", ctb);
        throw Error(Errc::BadHeader, at, std::string("invalid CTB ") + hex + " (bit 7 clear)");
    }
    Header h;
    if (ctb & 0x40) {
        h.format = CtbFormat::New;
        h.tag = static_cast<Tag>(ctb & 0x3F);
        NewLength len = read_new_length(src);
        h.form = len.form;
        h.header_len = static_cast<std::uint8_t>(1 + len.octets);
        if (len.form == LengthForm::Partial) {
            h.chunks.push_back({len.value, LengthForm::Partial});
            h.length = 0;
        } else {
            h.length = len.value;
        }
        return h;
    }
    h.format = CtbFormat::Old;
    h.tag = static_cast<Tag>((ctb >> 2) & 0x0F);
    switch (ctb & 3) {
    case 0:
        h.form = LengthForm::OneOctet;
        h.length = next_octet(src, at, "old-format length");
        h.header_len = 2;
        break;
    case 1: {
        std::uint8_t b[2];
        if (src.read_full({b, 2}) != 2) throw Error(Errc::Truncated, at, "truncated old-format length");
        h.form = LengthForm::TwoOctet;
        h.length = (std::uint32_t{b[0]} << 8) | b[1];
        h.header_len = 3;
        break;
    }
    case 2: {
        std::uint8_t b[4];
        if (src.read_full({b, 4}) != 4) throw Error(Errc::Truncated, at, "truncated old-format length");
        h.form = LengthForm::FourOctet;
        h.length = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                   (std::uint32_t{b[2]} << 8) | b[3];
        h.header_len = 5;
        break;
    }
    default:
        h.form = gnupg_chunked ? LengthForm::GnupgChunked : LengthForm::Indeterminate;
        h.header_len = 1;
        break;
    }
    return h;
}

void write_new_length(std::uint32_t value, LengthForm form, Bytes& out) {
    switch (form) {
    case LengthForm::OneOctet: out.push_back(static_cast<std::uint8_t>(value)); break;
    case LengthForm::TwoOctet: {
        std::uint32_t v = value - 192;
        out.push_back(static_cast<std::uint8_t>((v >> 8) + 192));
        out.push_back(static_cast<std::uint8_t>(v));
        break;
    }
    case LengthForm::Partial: {
        std::uint8_t p = 0;
        while ((std::uint32_t{1} << p) < value) ++p;
        out.push_back(static_cast<std::uint8_t>(224 + p));
        break;
    }
    default:
        out.push_back(0xFF);
        for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(value >> s));
        break;
    }
}

void write_header(const Header& h, Bytes& out) {
    if (h.format == CtbFormat::New) {
        out.push_back(static_cast<std::uint8_t>(0xC0 | (static_cast<unsigned>(h.tag) & 0x3F)));
        if (h.form == LengthForm::Partial)
            write_new_length(h.chunks.empty() ? 0 : h.chunks.front().size,
                             h.chunks.empty() ? LengthForm::OneOctet : h.chunks.front().form, out);
        else
            write_new_length(static_cast<std::uint32_t>(h.length), h.form, out);
        return;
    }
    std::uint8_t ctb = static_cast<std::uint8_t>(0x80 | ((static_cast<unsigned>(h.tag) & 0x0F) << 2));
    switch (h.form) {
    case LengthForm::OneOctet:
        out.push_back(ctb);
        out.push_back(static_cast<std::uint8_t>(h.length));
        break;
    case LengthForm::TwoOctet:
        out.push_back(ctb | 1);
        out.push_back(static_cast<std::uint8_t>(h.length >> 8));
        out.push_back(static_cast<std::uint8_t>(h.length));
        break;
    case LengthForm::FourOctet:
        out.push_back(ctb | 2);
        for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(h.length >> s));
        break;
    default:
        out.push_back(ctb | 3);
        break;
    }
}

std::size_t new_length_size(std::uint64_t len) noexcept {
    if (len < 192) return 1;
    if (len < 8384) return 2;
    return 5;
}

void write_canonical_header(Tag tag, std::uint64_t len, Bytes& out) {
    out.push_back(static_cast<std::uint8_t>(0xC0 | (static_cast<unsigned>(tag) & 0x3F)));
    std::size_t n = new_length_size(len);
    write_new_length(static_cast<std::uint32_t>(len),
                     n == 1 ? LengthForm::OneOctet : n == 2 ? LengthForm::TwoOctet : LengthForm::FiveOctet,
                     out);
}

bool tag_allows_partial(Tag tag) noexcept {
    return tag == Tag::CompressedData || tag == Tag::Sed || tag == Tag::Literal || tag == Tag::Seipd ||
           tag == Tag::OcbEncrypted;
}

}  // namespace pgpkit::packet
