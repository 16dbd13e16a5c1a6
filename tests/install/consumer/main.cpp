// Prints the fingerprint of every primary key and subkey in an OpenPGP file, binary or
// armored, using only pgpkit's installed public headers.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

#include "armor/armor.h"
#include "base/bytes.h"
#include "base/error.h"
#include "packet/key.h"
#include "packet/parser.h"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: consumer FILE\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    const pgpkit::Bytes file{std::istreambuf_iterator<char>(in), {}};
    try {
        pgpkit::Bytes binary;
        if (pgpkit::armor::looks_armored(file)) {
            for (const pgpkit::armor::Block& b : pgpkit::armor::decode_all(file))
                binary.insert(binary.end(), b.data.begin(), b.data.end());
        } else {
            binary = file;
        }
        for (const pgpkit::packet::Packet& p : pgpkit::packet::parse_all(binary))
            if (const auto* k = p.get<pgpkit::packet::Key>())
                std::printf("%s\n", pgpkit::to_hex(k->fingerprint).c_str());
    } catch (const pgpkit::Error& e) {
        std::fprintf(stderr, "consumer: %s\n", e.what());
        return 2;
    }
    return 0;
}
