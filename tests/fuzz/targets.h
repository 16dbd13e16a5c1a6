#pragma once
// The checks behind the libFuzzer entry points (tests/fuzz/fuzz_<name>.cpp calls
// <name>_one), shared with the GoogleTest that replays every input under
// tests/data/fuzz/fuzz_<name>/ (HOUSE-STYLE rule 27). Each returns normally for any input;
// a broken invariant aborts. Every target runs with small limits, so that one input
// stays far below libFuzzer's memory limit and timeout.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "armor/armor.h"
#include "cert/cert.h"
#include "cert/validity.h"
#include "cli/render.h"
#include "keygen/params.h"
#include "packet/decompress.h"
#include "packet/describe.h"
#include "packet/parser.h"
#include "packet/source.h"

namespace pgpkit::fuzz {

/** Parse limits of every target: a few MiB per input at most. */
inline packet::ParseOptions parse_options() {
    packet::ParseOptions opt;
    opt.limits.max_depth = 8;
    opt.limits.decompression.max_output = std::uint64_t{4} << 20;
    opt.limits.max_kept_payload = std::uint64_t{4} << 20;
    return opt;
}

/** Checks a condition that holds for every input; a failure is a finding. */
inline void require(bool ok) {
    if (!ok) std::abort();
}

class NullSink final : public packet::FieldSink {
public:
    void number(std::string_view, std::uint64_t, ByteView) override {}
    void named(std::string_view, std::uint64_t, std::string_view, ByteView) override {}
    void text(std::string_view, std::string_view, ByteView) override {}
    void hex(std::string_view, ByteView, ByteView) override {}
    void boolean(std::string_view, bool, ByteView) override {}
    void time(std::string_view, std::uint32_t, ByteView) override {}
    void mpi(std::string_view, std::uint16_t, ByteView, bool, ByteView) override {}
    void length_of(std::string_view, std::uint64_t, ByteView) override {}
    void begin_object(std::string_view) override {}
    void end_object() override {}
    void begin_list(std::string_view) override {}
    void end_list() override {}
};

/** Records every field value (not the wire bytes) as one line, for comparing packets. */
class RecordingSink final : public packet::FieldSink {
public:
    std::string out;
    void number(std::string_view n, std::uint64_t v, ByteView) override {
        line("num", n, std::to_string(v));
    }
    void named(std::string_view n, std::uint64_t v, std::string_view m, ByteView) override {
        line("named", n, std::to_string(v) + " " + std::string(m));
    }
    void text(std::string_view n, std::string_view v, ByteView) override { line("text", n, v); }
    void hex(std::string_view n, ByteView v, ByteView) override { line("hex", n, bytes(v)); }
    void boolean(std::string_view n, bool v, ByteView) override { line("bool", n, v ? "1" : "0"); }
    void time(std::string_view n, std::uint32_t t, ByteView) override {
        line("time", n, std::to_string(t));
    }
    void mpi(std::string_view n, std::uint16_t bits, ByteView v, bool secret, ByteView) override {
        line("mpi", n, std::to_string(bits) + (secret ? " s " : " p ") + bytes(v));
    }
    void length_of(std::string_view n, std::uint64_t octets, ByteView) override {
        line("len", n, std::to_string(octets));
    }
    void begin_object(std::string_view n) override { line("{", n, ""); }
    void end_object() override { line("}", "", ""); }
    void begin_list(std::string_view n) override { line("[", n, ""); }
    void end_list() override { line("]", "", ""); }

private:
    static std::string bytes(ByteView v) { return std::string(v.begin(), v.end()); }
    void line(std::string_view kind, std::string_view name, std::string_view value) {
        out.append(kind).append(1, ' ').append(name).append(1, '=').append(value).append(1, '\n');
    }
};

/** Stream-parse with descent (nested compressed containers) and describe every packet. */
inline void parse_one(ByteView in) {
    try {
        packet::MemorySource src(in);
        packet::PacketParser parser(src, parse_options());
        NullSink sink;
        while (auto p = parser.next()) packet::describe(*p, sink);
    } catch (const Error&) {
    }
}

/** Dearmor every block, then parse what came out. */
inline void dearmor_one(ByteView in) {
    try {
        for (const auto& block : armor::decode_all(in)) parse_one(block.data);
    } catch (const Error&) {
    }
}

/** What `pgpkit dump` writes for `in` (binary or armored) with one renderer. */
inline std::string render(ByteView in, bool json, cli::RenderOptions ropt) {
    std::string text;
    {
        cli::Output out(text);
        auto r = json ? cli::make_json_renderer(out, ropt) : cli::make_text_renderer(out, ropt);
        cli::InputOptions iopt;
        iopt.parse = parse_options();
        r->begin();
        try {
            packet::MemorySource src(in);
            cli::render_input(src, iopt, *r);
        } catch (const Error&) {
        }
        r->finish();
        out.flush();
    }
    return text;
}

/**
 * Dump as text, as text with --hex --mpis --secrets, and as JSON without and with --hex
 * (every field's wire octets), which must be valid.
 */
inline void dump_one(ByteView in) {
    (void)render(in, false, {});
    (void)render(in, false, {.hex = true, .mpis = true, .secrets = true});
    std::string json = render(in, true, {.hex = false, .mpis = true, .secrets = true});
    require(nlohmann::json::accept(json));
    std::string hex_json = render(in, true, {.hex = true, .mpis = true, .secrets = true});
    require(nlohmann::json::accept(hex_json));
}

/**
 * Decompress: octet 0 picks the algorithm (bits 0-1: 0 none, 1 ZIP, 2 ZLIB, 3 BZip2) and
 * the read size (bits 2-3); the rest is the stream. Reading in small pieces must give the
 * same octets as reading in large ones, and never more than the output limit.
 */
inline void decompress_one(ByteView in) {
    if (in.empty()) return;
    const auto algo = static_cast<packet::CompressionAlgo>(in[0] & 3);
    constexpr std::size_t piece_sizes[] = {1, 7, 4096, 65536};
    const std::size_t piece = piece_sizes[(in[0] >> 2) & 3];
    packet::DecompressionLimits limits;
    limits.max_output = std::uint64_t{256} << 10;  // 1-octet reads of more are slow
    auto drain = [&](std::size_t n, Bytes& got) {
        packet::MemorySource src(in.subspan(1));
        auto d = packet::make_decompressor(algo, src, limits);
        require(d != nullptr);
        Bytes buf(n);
        while (std::size_t k = d->read(buf)) {
            require(k <= n);
            got.insert(got.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(k));
            require(got.size() <= limits.max_output);
        }
    };
    Bytes large, small;
    bool large_ok = true, small_ok = true;
    try {
        drain(65536, large);
    } catch (const Error&) {
        large_ok = false;
    }
    try {
        drain(piece, small);
    } catch (const Error&) {
        small_ok = false;
    }
    require(large_ok == small_ok);
    // After an error the two runs may have stopped at different points, never diverged.
    const Bytes& shorter = large.size() < small.size() ? large : small;
    const Bytes& longer = large.size() < small.size() ? small : large;
    require(large_ok ? large == small : std::equal(shorter.begin(), shorter.end(), longer.begin()));
}

/** Parse a keygen parameter file: never throws; every error names the file. */
inline void keygen_params_one(ByteView in) {
    std::string_view text(reinterpret_cast<const char*>(in.data()), in.size());
    for (const auto& item : keygen::parse_params(text, "fuzz.param")) {
        if (const auto* b = std::get_if<keygen::KeyBlock>(&item)) {
            if (b->error) require(b->error->starts_with("fuzz.param:"));
            (void)b->effective_user_id();
        }
    }
}

/** Every packet of a tree, children after their container, described into one string. */
inline void record(const std::vector<packet::Packet>& packets, RecordingSink& sink) {
    for (const auto& p : packets) {
        sink.out.append("packet ").append(std::to_string(static_cast<unsigned>(p.tag()))).append(1, '\n');
        packet::describe(p, sink);
        record(p.children, sink);
    }
}

/**
 * parse -> write is byte-identical (the lossless promise); the canonical encoding parses
 * again to packets with the same fields, and writing that again changes nothing.
 */
inline void writeback_one(ByteView in) {
    const packet::ParseOptions opt = parse_options();
    std::vector<packet::Packet> tree;
    try {
        tree = packet::parse_lossless(in, opt);
    } catch (const Error&) {
        return;
    }
    require(packet::write_packets(tree) == Bytes(in.begin(), in.end()));
    // The writers into wiping memory (for secret keys) give the same octets.
    require(packet::write_packets_secret(tree) == SecretBytes(in.begin(), in.end()));
    Bytes canonical = packet::write_packets_canonical(tree);
    require(packet::write_packets_canonical_secret(tree) == SecretBytes(canonical.begin(), canonical.end()));
    std::vector<packet::Packet> again;
    try {
        again = packet::parse_lossless(canonical, opt);
    } catch (const Error&) {
        std::abort();  // what we wrote must parse
    }
    RecordingSink before, after;
    record(tree, before);
    record(again, after);
    require(before.out == after.out);
    require(packet::write_packets_canonical(again) == canonical);
}

/**
 * Certificates: assemble every certificate of the input, check every signature and
 * derive validity (two passes, third-party issuers from the same input), and write each
 * certificate back: the bytes must read again as the same certificate.
 */
inline void cert_one(ByteView in) {
    cert::ReadOptions ro;
    ro.parse = parse_options();
    ro.max_packets_per_cert = 4096;
    std::vector<cert::Cert> certs;
    try {
        certs = cert::read_all_certs(in, ro);
    } catch (const Error&) {
        return;
    }
    const auto res = cert::check_certs(certs, {}, cert::Policy{}, 1700000000u, 1);
    require(res.reports.size() == certs.size());
    for (std::size_t i = 0; i < certs.size(); ++i) {
        const auto& rep = res.reports[i];
        require(rep.components.size() == certs[i].components.size());
        require(rep.primary.sigs.size() == certs[i].primary.signatures().size());
        for (const auto& r : rep.components) require(r.sigs.size() == r.component->signatures().size());
        (void)rep.usage_field();
        const Bytes back = cert::write_cert(certs[i]);
        std::vector<cert::Cert> again;
        try {
            again = cert::read_all_certs(back, ro);
        } catch (const Error&) {
            std::abort();  // what was read must read again
        }
        require(again.size() == 1 && again[0].components.size() == certs[i].components.size());
        require(cert::write_cert(again[0]) == back);
        (void)cert::write_cert(cert::public_part(certs[i]));
    }
}

}  // namespace pgpkit::fuzz
