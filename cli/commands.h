#pragma once
// Registration functions of the pgpkit subcommands, one file per subcommand
// (HOUSE-STYLE rule 22). Each sets exit_code from its callback.

namespace CLI {
class App;
}

namespace pgpkit::cli {

void register_dump(CLI::App& app, int& exit_code);
void register_split(CLI::App& app, int& exit_code);
void register_join(CLI::App& app, int& exit_code);
void register_armor(CLI::App& app, int& exit_code);
void register_dearmor(CLI::App& app, int& exit_code);
void register_genkey(CLI::App& app, int& exit_code);
void register_check_sigs(CLI::App& app, int& exit_code);
void register_export(CLI::App& app, int& exit_code);
void register_delete(CLI::App& app, int& exit_code);
void register_list_keys(CLI::App& app, int& exit_code);
void register_list_secret_keys(CLI::App& app, int& exit_code);
void register_import(CLI::App& app, int& exit_code);
void register_list_config(CLI::App& app, int& exit_code);
void register_show_keys(CLI::App& app, int& exit_code);
void register_trustdb(CLI::App& app, int& exit_code);
void register_export_ownertrust(CLI::App& app, int& exit_code);
void register_import_ownertrust(CLI::App& app, int& exit_code);
void register_import_trustdb(CLI::App& app, int& exit_code);
void register_check_trustdb(CLI::App& app, int& exit_code);
void register_update_trustdb(CLI::App& app, int& exit_code);
void register_keyserver(CLI::App& app, int& exit_code);
/** `keyserver legacy`, under the keyserver command (cli/cmd_keyserver_legacy.cpp). */
void register_keyserver_legacy(CLI::App& keyserver_cmd, int& exit_code);
void register_serve(CLI::App& app, int& exit_code);
void register_reframe(CLI::App& app, int& exit_code);
void register_vectors(CLI::App& app, int& exit_code);
void register_sign(CLI::App& app, int& exit_code);
void register_verify(CLI::App& app, int& exit_code);
void register_encrypt(CLI::App& app, int& exit_code);
void register_decrypt(CLI::App& app, int& exit_code);
void register_gen_revoke(CLI::App& app, int& exit_code);
/** `sop ...`: the Stateless OpenPGP interface (cli/sop/), with its own exit codes. */
void register_sop(CLI::App& app, int& exit_code);
/** The same as `pgpkit sop ARGS...`, for the `pgpkit-sop` name. */
int run_sop_main(int argc, char** argv);
/** True if argv[0] names the program pgpkit-sop. */
bool invoked_as_sop(const char* argv0);

}  // namespace pgpkit::cli
