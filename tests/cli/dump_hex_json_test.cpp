// `pgpkit dump --json --hex`: every field's wire octets (issue 9).
//
// The wire strings of a packet object, taken in order (header_wire, then every
// "<name>_wire" and every object's "wire", which stands for the fields inside it;
// nested "packets" are the decompressed stream and are left out), give the packet's
// octets. Documented gaps: streamed payloads (literal data, compressed and encrypted
// octets) and the length octets of later partial chunks (in partial_chunks_wire), so
// for data packets they give a prefix of the packet; secret values only with --secrets;
// v3 signatures list their fields in the v4 order.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using Json = nlohmann::ordered_json;

std::string pgpkit(const std::string& args) { return shell_quote(pgpkit_bin()) + " " + args; }

std::string hex_of(const Bytes& b, std::size_t from, std::size_t n) {
    static const char* d = "0123456789ABCDEF";
    std::string s;
    for (std::size_t i = from; i < from + n && i < b.size(); ++i) {
        s += d[b[i] >> 4];
        s += d[b[i] & 15];
    }
    return s;
}

void collect_wire(const Json& v, std::string& out) {
    if (v.is_object()) {
        if (v.contains("wire") && v["wire"].is_string()) {
            out += v["wire"].get<std::string>();
            return;
        }
        for (const auto& [k, x] : v.items()) {
            if (k == "packets") continue;
            if (k.ends_with("_wire") && x.is_string()) out += x.get<std::string>();
            else if (x.is_structured()) collect_wire(x, out);
        }
    } else if (v.is_array()) {
        for (const auto& x : v) collect_wire(x, out);
    }
}

/** header_wire first, then the fields' wire strings in order. */
std::string packet_wire(const Json& p) {
    std::string out = p.at("header_wire").get<std::string>();
    for (const auto& [k, x] : p.items()) {
        if (k == "header_wire" || k == "packets") continue;
        if (k.ends_with("_wire") && x.is_string()) out += x.get<std::string>();
        else if (x.is_structured()) collect_wire(x, out);
    }
    return out;
}

Json dump_json(const std::string& path, const std::string& flags = "--json --hex") {
    RunResult r = run(pgpkit("dump " + flags + " " + shell_quote(path)));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(nlohmann::json::accept(r.out)) << r.out;
    return Json::parse(r.out);
}

std::string testy() { return shared_testdata() + "/sequoia/keys/testy.pgp"; }

TEST(DumpHexJson, KeyAndSignatureWireReproducesEveryPacket) {
    const Bytes file = read_bytes(testy());
    Json doc = dump_json(testy());
    ASSERT_EQ(doc.size(), 5u);
    for (const auto& p : doc) {
        const std::size_t off = p["offset"].get<std::size_t>();
        const std::size_t n = p["header_len"].get<std::size_t>() + p["length"].get<std::size_t>();
        EXPECT_EQ(packet_wire(p), hex_of(file, off, n)) << "packet " << p["index"];
    }
}

TEST(DumpHexJson, RsaModulusWireHasItsBitCount) {
    const Bytes file = read_bytes(testy());
    Json doc = dump_json(testy());
    const Json& key = doc.at(0);
    ASSERT_EQ(key["algo"], 1);
    ASSERT_EQ(key["n"]["bits"], 2048);
    // Body: version, four octets of creation time, algorithm, then n.
    const std::size_t n_at = key["header_len"].get<std::size_t>() + 6;
    EXPECT_EQ(key["n_wire"], hex_of(file, n_at, 2 + 256));
    EXPECT_TRUE(key["n_wire"].get<std::string>().starts_with("0800"));
    EXPECT_FALSE(key.contains("keyid_wire")) << "a v4 key ID is derived, not on the wire";
    EXPECT_FALSE(key.contains("fingerprint_wire"));
}

TEST(DumpHexJson, SubpacketsCarryTheirWholeEncoding) {
    Json doc = dump_json(testy());
    const Json& sig = doc.at(2);
    ASSERT_EQ(sig["tag"], 2);
    EXPECT_EQ(sig["hashed_area_length"], 62);
    EXPECT_EQ(sig["hashed_area_length_wire"], "003E");
    const Json& fpr = sig["hashed_subpackets"].at(0);
    EXPECT_EQ(fpr["type"], 33);
    EXPECT_EQ(fpr["wire"], "1621043E8877C877274692975189F5D03F6F865226FE8B");
    EXPECT_EQ(fpr["fingerprint_wire"], "3E8877C877274692975189F5D03F6F865226FE8B");
    bool issuer = false;
    for (const auto& sp : sig["unhashed_subpackets"])
        if (sp["type"] == 16) {
            EXPECT_EQ(sp["wire"], "0910D03F6F865226FE8B");
            EXPECT_EQ(sp["length_wire"], "09");
            EXPECT_EQ(sp["keyid_wire"], "D03F6F865226FE8B");
            issuer = true;
        }
    EXPECT_TRUE(issuer);
    EXPECT_FALSE(sig.contains("created_wire")) << "derived from a subpacket";
}

TEST(DumpHexJson, PartialLengthLiteralGivesHeaderFieldsAndChunkLengths) {
    TempDir tmp;
    Bytes in{0xCB, 0xE9, 'b', 0, 0x5A, 0x00, 0x00, 0x01};  // first chunk: 2^9 octets
    in.resize(2 + 512, 'x');
    in.insert(in.end(), {0x03, 'a', 'b', 'c'});
    write_bytes(tmp.file("partial.pgp"), in);
    Json doc = dump_json(tmp.file("partial.pgp"));
    ASSERT_EQ(doc.size(), 1u);
    const Json& lit = doc[0];
    EXPECT_EQ(lit["header_wire"], "CBE9");
    EXPECT_EQ(lit["filename_length_wire"], "00");
    EXPECT_EQ(lit["date_wire"], "5A000001");
    EXPECT_EQ(lit["partial_chunks"], Json::array({512, 3}));
    EXPECT_EQ(lit["partial_chunks_wire"], Json::array({"E9", "03"}));
    EXPECT_EQ(packet_wire(lit), hex_of(in, 0, 8)) << "the payload is streamed, not shown";
}

TEST(DumpHexJson, CompressedContainerAndItsPacketsHaveWire) {
    const std::string path = shared_testdata() + "/sequoia/messages/compressed-data-algo-1.gpg";
    const Bytes file = read_bytes(path);
    Json doc = dump_json(path);
    ASSERT_EQ(doc.size(), 1u);
    const Json& c = doc[0];
    EXPECT_EQ(c["length"], nullptr);
    EXPECT_EQ(packet_wire(c), hex_of(file, 0, 2)) << "old CTB of indeterminate length, then the algorithm";
    EXPECT_EQ(c["algo_wire"], "01");
    ASSERT_EQ(c["packets"].size(), 1u);
    const Json& lit = c["packets"][0];
    EXPECT_EQ(lit["tag"], 11);
    EXPECT_EQ(lit["header_wire"].get<std::string>().size(), 2 * lit["header_len"].get<std::size_t>());
    EXPECT_EQ(lit["format_wire"], hex_of(Bytes{lit["format"].get<std::uint8_t>()}, 0, 1));
}

TEST(DumpHexJson, SecretValuesNeedSecretsFlag) {
    const std::string path = shared_testdata() + "/sequoia/keys/testy-private.pgp";
    const Bytes file = read_bytes(path);
    Json hidden = dump_json(path);
    ASSERT_EQ(hidden.at(0)["tag"], 5);
    EXPECT_FALSE(hidden[0]["secret"].contains("d_wire"));
    Json shown = dump_json(path, "--json --hex --mpis --secrets");
    for (const auto& p : shown) {
        const std::size_t n = p["header_len"].get<std::size_t>() + p["length"].get<std::size_t>();
        EXPECT_EQ(packet_wire(p), hex_of(file, p["offset"].get<std::size_t>(), n)) << "packet " << p["index"];
    }
}

TEST(DumpHexJson, WithoutHexNoWireKeysAppear) {
    RunResult r = run(pgpkit("dump --json " + shell_quote(testy())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find("wire"), std::string::npos);
}

}  // namespace
}  // namespace pgpkit::test
