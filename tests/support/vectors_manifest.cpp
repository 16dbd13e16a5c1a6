#include "tests/support/vectors_manifest.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/env.h"

namespace pgpkit::test {

std::vector<ManifestRow> read_manifest(const std::string& dir) {
    std::ifstream in(dir + "/MANIFEST.tsv");
    if (!in) throw std::runtime_error("no " + dir + "/MANIFEST.tsv");
    std::string line;
    std::getline(in, line);
    const std::vector<std::string> columns = split(line, '\t');
    std::vector<ManifestRow> rows;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const std::vector<std::string> fields = split(line, '\t');
        if (fields.size() != columns.size())
            throw std::runtime_error("MANIFEST.tsv: " + std::to_string(fields.size()) + " fields, want " +
                                     std::to_string(columns.size()) + ": " + line);
        ManifestRow row;
        for (std::size_t i = 0; i < columns.size(); ++i) row[columns[i]] = fields[i];
        rows.push_back(std::move(row));
    }
    return rows;
}

namespace {

void sequence_of(const nlohmann::json& packets, std::string& out) {
    bool first = true;
    for (const nlohmann::json& p : packets) {
        if (!first) out += ' ';
        first = false;
        out += std::to_string(p.value("tag", -1));
        if (p.contains("packets") && p["packets"].is_array()) {
            out += '(';
            sequence_of(p["packets"], out);
            out += ')';
        }
    }
}

void key_fields(const nlohmann::json& packets, const std::string& what, std::string& out) {
    for (const nlohmann::json& p : packets) {
        const int tag = p.value("tag", -1);
        if ((tag == 5 || tag == 6 || tag == 7 || tag == 14) && p.contains(what) && p[what].is_string())
            out += (out.empty() ? "" : ",") + p[what].get<std::string>();
        if (p.contains("packets") && p["packets"].is_array()) key_fields(p["packets"], what, out);
    }
}

}  // namespace

std::string dump_packet_sequence(const std::string& dump_json) {
    std::string out;
    sequence_of(nlohmann::json::parse(dump_json), out);
    return out;
}

std::string dump_key_field(const std::string& dump_json, const std::string& what) {
    std::string out;
    key_fields(nlohmann::json::parse(dump_json), what, out);
    return out.empty() ? "-" : out;
}

}  // namespace pgpkit::test
