#pragma once

#include <CLI/CLI.hpp>

/// @file
/// Each command lives in its own cmd_<name>.cpp and adds itself to the app.

namespace choro::cli {

void add_render_command(CLI::App& app);
void add_join_command(CLI::App& app);
void add_batch_command(CLI::App& app);
#ifdef CHORO_HAVE_AGREEMENTS
void add_agreements_command(CLI::App& app);
#endif
#ifdef CHORO_HAVE_TILES
void add_tiles_command(CLI::App& app);
void add_merge_command(CLI::App& app);
#endif

}  // namespace choro::cli
