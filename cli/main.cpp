// pgpkit: the command-line client of the pgpkit library. Owns the only try/catch.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string>

#include "cli/commands.h"
#include "base/error.h"
#include "base/version.h"

int main(int argc, char** argv) {
    // Installed as pgpkit-sop too (a link to pgpkit): that name is `pgpkit sop`.
    if (argc > 0 && pgpkit::cli::invoked_as_sop(argv[0])) return pgpkit::cli::run_sop_main(argc - 1, argv + 1);
    CLI::App app{"pgpkit: OpenPGP packet toolkit and unattended key generation"};
    app.set_version_flag("--version", std::string("pgpkit ") + pgpkit::version());
    app.require_subcommand(1);
    int exit_code = 0;
    pgpkit::cli::register_dump(app, exit_code);
    pgpkit::cli::register_split(app, exit_code);
    pgpkit::cli::register_join(app, exit_code);
    pgpkit::cli::register_armor(app, exit_code);
    pgpkit::cli::register_dearmor(app, exit_code);
    pgpkit::cli::register_genkey(app, exit_code);
    pgpkit::cli::register_check_sigs(app, exit_code);
    pgpkit::cli::register_export(app, exit_code);
    pgpkit::cli::register_delete(app, exit_code);
    pgpkit::cli::register_list_keys(app, exit_code);
    pgpkit::cli::register_list_secret_keys(app, exit_code);
    pgpkit::cli::register_import(app, exit_code);
    pgpkit::cli::register_list_config(app, exit_code);
    pgpkit::cli::register_show_keys(app, exit_code);
    pgpkit::cli::register_trustdb(app, exit_code);
    pgpkit::cli::register_export_ownertrust(app, exit_code);
    pgpkit::cli::register_import_ownertrust(app, exit_code);
    pgpkit::cli::register_import_trustdb(app, exit_code);
    pgpkit::cli::register_check_trustdb(app, exit_code);
    pgpkit::cli::register_update_trustdb(app, exit_code);
    pgpkit::cli::register_keyserver(app, exit_code);
    pgpkit::cli::register_serve(app, exit_code);
    pgpkit::cli::register_reframe(app, exit_code);
    pgpkit::cli::register_vectors(app, exit_code);
    pgpkit::cli::register_sign(app, exit_code);
    pgpkit::cli::register_verify(app, exit_code);
    pgpkit::cli::register_encrypt(app, exit_code);
    pgpkit::cli::register_decrypt(app, exit_code);
    pgpkit::cli::register_gen_revoke(app, exit_code);
    pgpkit::cli::register_sop(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    } catch (const pgpkit::Error& e) {
        std::fflush(stdout);
        // A usage error outside any input (a bad option value) has no offset worth naming.
        const bool no_place = e.kind() == pgpkit::Errc::Usage && e.offset() == 0 && !e.packet_index();
        std::fprintf(stderr, "pgpkit: error: %s\n", no_place ? e.detail().c_str() : e.what());
        return 2;
    } catch (const std::bad_alloc&) {
        std::fflush(stdout);
        std::fprintf(stderr, "pgpkit: error: out of memory\n");
        return 2;
    } catch (const std::exception& e) {
        std::fflush(stdout);
        std::fprintf(stderr, "pgpkit: error: %s\n", e.what());
        return 2;
    }
    return exit_code;
}
