#include "cli/listing_sources.h"

#include <CLI/CLI.hpp>

#include "cli/home.h"

namespace pgpkit::cli {

void add_key_source_options(CLI::App& cmd, KeySourceOptions& opt, const char* keyring_help, const char* jobs_help) {
    // One file per --keyring, so that positional arguments after it stay positional.
    cmd.add_option("--keyring", opt.keyrings, keyring_help)->allow_extra_args(false);
    cmd.add_option("--jobs", opt.jobs, jobs_help)->capture_default_str()->check(CLI::Range(1u, 256u));
    add_input_options(cmd, opt.in);
}

void add_store_options(CLI::App& cmd, KeySourceOptions& opt) {
    add_home_option(&cmd, opt.home);
    cmd.add_flag("--no-default-keyring", opt.no_default_keyring,
                 "Do not list the store (as gpg's option; the store is left out whenever --keyring is given)");
}

keyring::Sources listing_sources(const KeySourceOptions& opt) {
    keyring::Sources s = keyring_sources(opt);
    if (opt.keyrings.empty() && !opt.no_default_keyring) s.add_store(opt.home);
    return s;
}

keyring::Sources keyring_sources(const KeySourceOptions& opt) {
    keyring::Sources s;
    for (const std::string& k : opt.keyrings) s.add_file(k);
    return s;
}

keyring::SourceReadOptions read_options(const KeySourceOptions& opt) {
    keyring::SourceReadOptions ro;
    ro.read.parse = opt.in.parse;
    return ro;
}

}  // namespace pgpkit::cli
