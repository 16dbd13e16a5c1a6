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

}  // namespace pgpkit::cli
