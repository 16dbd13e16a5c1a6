// Full web-of-trust validity (trust::compute_validity) over a keyring, by default Debian's
// (env KEYRING). The ultimately trusted key is the one that made the most certifications
// in the keyring among the keys valid now; every other key has full ownertrust, so the passes reach every key that
// has a path to it and check every certification such keys made.
//
//   wot_bench --write-ownertrust FILE   writes that ownertrust in gpg's format and exits
//                                       (bench/compare_wot.sh gives it to gpg)
//   wot_bench --letters                 prints each key's pub letter, then each uid's
//   wot_bench [benchmark options]       times compute_validity with 1 and 2 threads
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <unordered_map>

#include "cert/cert.h"
#include "keyring/colons.h"
#include "trust/wot.h"

namespace {

using namespace pgpkit;

struct Input {
    std::vector<cert::Cert> certs;
    std::vector<std::pair<Bytes, std::uint8_t>> ownertrust;
    std::uint32_t now = static_cast<std::uint32_t>(std::time(nullptr));
};

Bytes read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

const Input& input() {
    static const Input in = [] {
        Input r;
        const char* env = std::getenv("KEYRING");
        r.certs = cert::read_all_certs(read_file(env && *env ? env : "/usr/share/keyrings/debian-keyring.gpg"));
        std::unordered_map<std::uint64_t, std::size_t> made;
        for (const auto& c : r.certs)
            for (const auto& comp : c.components)
                for (const auto* p : comp.signatures())
                    if (const auto* s = p->get<packet::Signature>();
                        s && s->issuer_keyid() && packet::is_certification(s->sig_type))
                        ++made[cert::keyid_value(*s->issuer_keyid())];
        // Among keys that are valid now (the always model lists them with '-').
        trust::WotOptions always;
        always.model = trust::WotModel::Always;
        const auto v = trust::compute_validity(r.certs, [](ByteView) { return std::uint8_t{0}; }, always, r.now);
        std::size_t best = 0, most = 0;
        for (std::size_t i = 0; i < r.certs.size(); ++i) {
            if (v.keys[i].letter != '-') continue;
            const std::size_t n = made[cert::keyid_value(r.certs[i].key().keyid)];
            if (n > most) most = n, best = i;
        }
        for (std::size_t i = 0; i < r.certs.size(); ++i) r.ownertrust.emplace_back(r.certs[i].fingerprint(), i == best ? 6 : 5);
        return r;
    }();
    return in;
}

void BM_ComputeValidity(benchmark::State& state) {
    const Input& in = input();
    trust::WotOptions opt;
    opt.jobs = static_cast<unsigned>(state.range(0));
    std::size_t checked = 0, full = 0;
    for (auto _ : state) {
        const auto r = trust::compute_validity(in.certs, trust::ownertrust_from(in.ownertrust), opt, in.now);
        checked = r.signatures_checked;
        full = 0;
        for (const auto& k : r.keys) full += k.validity >= trust::Validity::Full;
        benchmark::DoNotOptimize(r);
    }
    state.counters["certs"] = static_cast<double>(in.certs.size());
    state.counters["sigs_checked"] = static_cast<double>(checked);
    state.counters["valid_keys"] = static_cast<double>(full);
}
BENCHMARK(BM_ComputeValidity)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::strcmp(argv[1], "--write-ownertrust") == 0) {
        std::ofstream out(argv[2]);
        for (const auto& [fpr, level] : input().ownertrust) out << to_hex(fpr) << ":" << unsigned(level) << ":\n";
        return out ? 0 : 1;
    }
    if (argc == 2 && std::strcmp(argv[1], "--letters") == 0) {
        // One line per key, "FPR pub-letter uid-letters", to compare with gpg's listing.
        const auto r = trust::compute_validity(input().certs, trust::ownertrust_from(input().ownertrust), {},
                                               input().now);
        std::cout << "next_check " << r.next_check << '\n';
        for (std::size_t i = 0; i < r.keys.size(); ++i) {
            std::cout << to_hex(input().certs[i].fingerprint()) << ' ' << r.keys[i].letter << ' ';
            std::cout << '\n';
            for (const auto& u : r.keys[i].user_ids) {
                const Bytes id = input().certs[i].components[u.component].id_bytes();
                const bool attr = input().certs[i].components[u.component].kind == cert::ComponentKind::UserAttribute;
                std::cout << to_hex(input().certs[i].fingerprint()) << " uid " << u.letter << ' '
                          << (attr ? std::string("[attribute]")
                                   : keyring::colon_escape(std::string_view(
                                         reinterpret_cast<const char*>(id.data()), id.size())))
                          << '\n';
            }
        }
        return 0;
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    return 0;
}
